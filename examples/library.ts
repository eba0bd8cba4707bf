// exitlab as a library (README "Use it as a library"): the shipped sample, one backtest, one compare.
import { backtest, compare, formatCompareTerminal, loadData, writeBacktest } from "exitlab";

// Binance USD-M BTCUSDT + ETHUSDT 1h bars with funding, shipped inside the package.
const data = await loadData({ paths: ["data/samples/binance-perp-1h"] });
// Any part of the JSON config file (README: configuration); the rest takes its defaults.
const config = { exits: { kind: "static", stopLossPct: 0.03, takeProfitPct: 0.06 }, sizing: { kind: "fixed-fraction", fraction: 0.1, leverage: 3 } };

const run = await backtest(config, { data });
const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(2)} %`);
console.log(`${run.stats.tradeCount} trades, return ${percent(run.stats.totalReturnPct)}, max drawdown ${percent(run.stats.maxDrawdownPct)}`);
console.log(`written to ${writeBacktest(run)}/`); // the run folder `exitlab backtest` writes (runs/backtest/)

const plans = await compare(config, { data, plans: ["static", "ai", "lsf"] });
console.log(formatCompareTerminal(plans.result));

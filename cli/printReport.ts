import type { RunResult } from "../engine/index.js";
import type { RunStats } from "../reports/stats.js";
import { formatWarningLine, type RunWarning } from "../strategies/warnings/runWarning.js";
import type { CliIo } from "./cliIo.js";

const percent = (value: number | null): string => (value === null ? "—" : `${(value * 100).toFixed(2)} %`);
const fixed = (value: number | null, digits = 2): string => (value === null ? "—" : value.toFixed(digits));

/** The few lines `exitlab backtest` prints after writing its folder. */
export function formatRunReport(outDir: string, result: RunResult, stats: RunStats, moreFiles: readonly string[] = []): string {
  const { account, counters } = result;
  const files = ["summary.json", "equity.csv", "trades.csv", "fills.csv", "exit_stats.csv", "positions.json", "report.html", ...moreFiles];
  const lines = [
    `exitlab backtest → ${outDir}/ (${files.join(", ")})`,
    `  bars ${counters.bars}  signals ${counters.signals}  intents ${counters.intents}  trades ${stats.tradeCount}  liquidations ${counters.liquidations}`,
    `  equity ${fixed(account.initialBalance)} → ${fixed(account.finalEquity)}  return ${percent(stats.totalReturnPct)}  max drawdown ${percent(stats.maxDrawdownPct)}  Sharpe ${fixed(stats.sharpeRatio)}`,
    `  win rate ${percent(stats.winRatePct)}  profit factor ${fixed(stats.profitFactor)}  avg R ${fixed(stats.averageR)}  fees ${fixed(account.feesUsd)}  funding ${fixed(account.fundingUsd)}`,
    `  path-dependent exits ${counters.pathDependentFills} fills / ${counters.pathDependentTrades} trades  refused orders ${Object.values(counters.refusedOrders).reduce((a, b) => a + b, 0)}`,
    `  funding times: ${counters.fundingTimesPaid} paid; ${counters.fundingTimesFromData} from data, ${counters.fundingTimesFromConstant} from the constant, ${counters.fundingTimesUncovered} uncovered`,
  ];
  if (counters.detailBarsUsed + counters.detailFallbacks > 0) {
    lines.push(`  intrabar detail: ${counters.detailBarsUsed} bars resolved from lower-timeframe bars, ${counters.detailFallbacks} fell back to the assumed path`);
  }
  return `${lines.join("\n")}\n`;
}

/** Every warning on stderr, one line each (also with --quiet: a warning is never silent). */
export function printWarnings(warnings: readonly RunWarning[], io: CliIo): void {
  for (const warning of warnings) io.err(formatWarningLine(warning));
}

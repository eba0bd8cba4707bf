/**
 * A real small run for the report tests: the shipped Binance perp sample (two symbols, 1 h
 * bars, about 85 trades with the ai exit policy), run in-process and turned into the
 * report's input the way the CLI does.
 */
import { fileURLToPath } from "node:url";
import { generateSynthBars, loadMarketData } from "../../data/index.js";
import type { MarketData } from "../../engine/index.js";
import { computeExitStats } from "../../reports/exitStats.js";
import type { RunReportInput } from "../../reports/html/renderReport.js";
import { computeStats } from "../../reports/stats.js";
import { buildSummary } from "../../reports/summary.js";
import { runConfiguredBacktest } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";

export const SAMPLE_DATA = fileURLToPath(new URL("../../data/samples/binance-perp-1h", import.meta.url));

export async function buildSampleReportInput(): Promise<RunReportInput> {
  const config = configSchema.parse({ data: { paths: [SAMPLE_DATA] }, exits: { kind: "ai" } });
  const data = await loadMarketData({ paths: config.data.paths });
  const { result } = runConfiguredBacktest(config, data, {}, null, undefined, undefined, true);
  const metrics = computeStats({
    trades: result.trades, equity: result.equity, timeframeMs: result.timeframeMs,
    initialBalance: config.initialBalance, account: result.account, counters: result.counters, fills: result.fills,
  });
  const summary = buildSummary({ engineVersion: "test", config, fingerprint: data.fingerprint, result, stats: metrics });
  return {
    title: "exitlab backtest — binance-perp-1h, ai exits",
    runKind: "backtest",
    summary,
    equity: result.equity,
    trades: result.trades,
    exitStats: computeExitStats(result.trades, result.fills),
    price: { bars: data.bars, fills: result.fills, levels: result.levelTrace ?? null },
  };
}

/**
 * A run long enough (> CANDLE_BUDGET bars) that each drill-down carries candles of its own:
 * ai exits on 40,000 synthetic one-minute bars.
 */
export function buildLongReportInput(): RunReportInput {
  const config = configSchema.parse({ exits: { kind: "ai" }, exchange: { fundingRate: 0.0001 } });
  const series = generateSynthBars({ symbol: "SYNTHUSDT", bars: 40_000, seed: 5, timeframeMs: 60_000 });
  const data: MarketData = { bars: [series], funding: new Map(), fingerprint: [] };
  const { result } = runConfiguredBacktest(config, data, {}, null, undefined, undefined, true);
  return {
    title: "long", runKind: "backtest", summary: { metrics: {} as never, account: result.account, counters: {} as never, config },
    equity: result.equity, trades: result.trades, exitStats: computeExitStats(result.trades, result.fills),
    price: { bars: data.bars, fills: result.fills, levels: result.levelTrace ?? null },
  };
}

/**
 * Builders for the workflow tests: RunStats with chosen fields, trades at a given hour.
 */
import type { Trade } from "../../../engine/types.js";
import { computeStats, type RunStats } from "../../../reports/stats.js";
import { START_MS, makeAccount, makeCounters, makeEquityCurve, makeTrade } from "../fixtures.js";

export const HOUR_MS = 3_600_000;

/** The stats of an empty 4-row run (100 → 121), with `overrides` on top. */
export function makeStats(overrides: Partial<RunStats> = {}): RunStats {
  const base = computeStats({
    trades: [],
    equity: makeEquityCurve({ equity: [100, 110, 99, 121] }),
    timeframeMs: 86_400_000,
    initialBalance: 100,
    account: makeAccount({ finalEquity: 121, finalBalance: 121 }),
    counters: makeCounters(),
  });
  return { ...base, ...overrides };
}

/** A trade entered at `hour` hours after START_MS and held one hour. */
export function tradeAt(hour: number, overrides: Partial<Trade> = {}): Trade {
  return makeTrade({
    entryTimeMs: START_MS + hour * HOUR_MS,
    exitTimeMs: START_MS + (hour + 1) * HOUR_MS,
    ...overrides,
  });
}

/** A trade whose return on margin is `returnOnMargin` (margin 10, so net PnL = 10 × it). */
export function tradeWithReturn(hour: number, returnOnMargin: number, overrides: Partial<Trade> = {}): Trade {
  return tradeAt(hour, { returnOnMargin, netPnlUsd: 10 * returnOnMargin, ...overrides });
}

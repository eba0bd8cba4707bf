import { describe, expect, it } from "vitest";
import { generateSynthBars, marketDataFromColumns, parseConfig } from "../../index.js";
import { buildSparseSignals } from "../../strategies/buildRun.js";
import { executeRun } from "../../workflows/backtest.js";

/**
 * Runs given the same precomputed signals (compare's plans and paths, a sweep thread's cells)
 * share the market inputs at their signal bars (strategies/buildRun.ts) — computed once per
 * signal set, series and set of needs. Whatever order runs with different needs come in, each
 * must get exactly what a run computing its own gets.
 */
const HOUR_MS = 3_600_000;
const series = generateSynthBars({ symbol: "SYNTHUSDT", bars: 4000, seed: 11, startTimeMs: Date.UTC(2024, 0, 1), timeframeMs: HOUR_MS, startPrice: 100 });
const data = marketDataFromColumns([{ symbol: series.symbol, time: series.time, open: series.open, high: series.high, low: series.low, close: series.close, volume: series.volume }]);

const PLANS = [
  { exits: { kind: "ai" }, sizing: { kind: "math" } },
  { exits: { kind: "lsf" } },
  { exits: { kind: "static" } },
  { exits: { kind: "ai" } },
  { exits: { kind: "math" } },
  { exits: { kind: "lsf" }, sizing: { kind: "math" } },
] as const;

function fingerprint(run: ReturnType<typeof executeRun>): string {
  return JSON.stringify({ trades: run.result.trades, equity: Array.from(run.result.equity.equity), stats: run.stats });
}

describe("market inputs shared between runs of one signal set", () => {
  it("give each run, in any order and with any needs, the run it would have computed alone", () => {
    const base = parseConfig({});
    for (const order of [PLANS, [...PLANS].reverse()]) {
      const precomputed = buildSparseSignals(base, data, {});
      for (const plan of order) {
        const config = parseConfig(plan);
        const alone = executeRun({ config, data, inputs: {} }, config);
        const shared = executeRun({ config, data, inputs: { precomputed } }, config);
        expect(fingerprint(shared), JSON.stringify(plan)).toBe(fingerprint(alone));
        expect(alone.result.trades.length, JSON.stringify(plan)).toBeGreaterThan(0);
      }
    }
  });
});

import { describe, expect, it } from "vitest";
import { generateSynthBars } from "../../data/index.js";
import { runBacktest, type MarketData } from "../../engine/index.js";
import { buildRunInput, buildSparseSignals } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";

/** The replay runs its rows in chunks of 65 536 with the progress report between them. */

const ROWS = 2 * 65_536 + 10;
const data: MarketData = { bars: [generateSynthBars({ symbol: "AAAUSDT", bars: ROWS, seed: 7 })], funding: new Map(), fingerprint: [] };
const config = configSchema.parse({ exits: { kind: "static" }, exchange: { fundingRate: 0.0001 } });
const signals = buildSparseSignals(config, data);

describe("replay progress", () => {
  it("reports every 65 536 timestamps and at the end, and a run with progress gives the numbers of one without", () => {
    const calls: [number, number][] = [];
    const withProgress = runBacktest({ ...buildRunInput(config, data, signals).input, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[65_536, ROWS], [131_072, ROWS], [ROWS, ROWS]]);
    const without = runBacktest(buildRunInput(config, data, signals).input);
    expect(withProgress.counters.bars).toBe(ROWS);
    expect(withProgress.trades.length).toBeGreaterThan(100);
    expect(withProgress.trades).toEqual(without.trades);
    expect(Array.from(withProgress.equity.equity)).toEqual(Array.from(without.equity.equity));
  });

  it("reports only the end when the run is shorter than one chunk", () => {
    const short: MarketData = { bars: [generateSynthBars({ symbol: "AAAUSDT", bars: 500, seed: 7 })], funding: new Map(), fingerprint: [] };
    const calls: number[] = [];
    runBacktest({ ...buildRunInput(config, short, buildSparseSignals(config, short)).input, onProgress: (done) => calls.push(done) });
    expect(calls).toEqual([500]);
  });
});

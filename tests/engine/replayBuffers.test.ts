import { describe, expect, it } from "vitest";
import { generateSynthBars } from "../../data/index.js";
import { runBacktest, type MarketData } from "../../engine/index.js";
import { ReplayBuffers, withReplayBuffers } from "../../engine/replayBuffers.js";
import { computeStats } from "../../reports/stats.js";
import { buildRunInput, buildSparseSignals } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";

/** Runs made one after another with the same buffers give the numbers of runs with fresh columns. */

function runOf(config: ReturnType<typeof configSchema.parse>, data: MarketData) {
  return runBacktest(buildRunInput(config, data, buildSparseSignals(config, data)).input);
}

const two: MarketData = {
  bars: [generateSynthBars({ symbol: "AAAUSDT", bars: 3000, seed: 3 }), generateSynthBars({ symbol: "BBBUSDT", bars: 2000, seed: 4, startPrice: 50 })],
  funding: new Map(), fingerprint: [],
};
const one: MarketData = { bars: [generateSynthBars({ symbol: "CCCUSDT", bars: 4000, seed: 5 })], funding: new Map(), fingerprint: [] };

describe("ReplayBuffers", () => {
  it("gives runs reusing one set of buffers the same equity curve and trades as runs with fresh columns, whatever ran before", () => {
    const buffers = new ReplayBuffers();
    const configs = [
      configSchema.parse({ exits: { kind: "static" }, exchange: { fundingRate: 0.0001 } }),
      configSchema.parse({ exits: { kind: "ai" }, sizing: { kind: "math" } }),
    ];
    // Longer, then shorter, then longer again: the reused columns hold the previous run's rows.
    for (const data of [one, two, one, two]) {
      for (const config of configs) {
        const fresh = runOf(config, data);
        const reused = withReplayBuffers(buffers, () => runOf(config, data));
        expect(reused.equity.length).toBe(fresh.equity.length);
        for (const column of ["time", "equity", "balance", "unrealizedPnl", "marginUsed", "exposure", "drawdown"] as const) {
          expect(Array.from(reused.equity[column]), column).toEqual(Array.from(fresh.equity[column]));
        }
        expect(reused.trades).toEqual(fresh.trades);
      }
    }
  });

  it("records only equity and margin used with recorded \"statistics\", the same bits, and gives the same statistics", () => {
    const buffers = new ReplayBuffers("statistics");
    const configs = [
      configSchema.parse({ exits: { kind: "static" }, exchange: { fundingRate: 0.0001 } }),
      configSchema.parse({ exits: { kind: "ai" }, sizing: { kind: "math" } }),
      configSchema.parse({ exits: { kind: "harvest" }, sizing: { kind: "fixed-fraction", fraction: 0.2, leverage: 5 } }),
      configSchema.parse({ exits: { kind: "static", stopLossPct: 0.2, takeProfitPct: 0.3 }, gates: { onOpposite: "close" } }),
    ];
    const statsOf = (run: ReturnType<typeof runOf>, config: (typeof configs)[number]) => computeStats({
      trades: run.trades, fills: run.fills, equity: run.equity, timeframeMs: run.timeframeMs,
      initialBalance: config.initialBalance, account: run.account, counters: run.counters,
    });
    for (const data of [one, two, one]) {
      for (const config of configs) {
        const fresh = runOf(config, data);
        const lean = withReplayBuffers(buffers, () => {
          const run = runOf(config, data);
          for (const column of ["time", "equity", "marginUsed"] as const) {
            expect(Array.from(run.equity[column]), column).toEqual(Array.from(fresh.equity[column]));
          }
          for (const column of ["balance", "unrealizedPnl", "exposure", "drawdown"] as const) expect(run.equity[column].length, column).toBe(0);
          return { run, stats: statsOf(run, config) };
        });
        expect(lean.stats).toEqual(statsOf(fresh, config));
        expect(lean.run.trades).toEqual(fresh.trades);
        expect(lean.run.account).toEqual(fresh.account);
      }
    }
  });

  it("lends the same memory to the next run (a result is valid until then), and none outside withReplayBuffers", () => {
    const buffers = new ReplayBuffers();
    const config = configSchema.parse({});
    const first = withReplayBuffers(buffers, () => runOf(config, one));
    const second = withReplayBuffers(buffers, () => runOf(config, one));
    expect(second.equity.equity.buffer).toBe(first.equity.equity.buffer);
    const outside = runOf(config, one);
    expect(outside.equity.equity.buffer).not.toBe(second.equity.equity.buffer);
  });

  it("lends the ledgers' columns to the next run too, zeroed, each buffer to one column at a time", () => {
    const buffers = new ReplayBuffers();
    const long: MarketData = { bars: [generateSynthBars({ symbol: "DDDUSDT", bars: 40_000, seed: 8 })], funding: new Map(), fingerprint: [] };
    const config = configSchema.parse({ exits: { kind: "harvest" } });
    const fresh = runOf(config, long);
    const first = withReplayBuffers(buffers, () => {
      const run = runOf(config, long);
      expect(run.trades).toEqual(fresh.trades);
      expect(run.fills).toEqual(fresh.fills);
      return run;
    });
    const columnBuffers = (ledger: object) => Object.values(ledger).filter((value) => ArrayBuffer.isView(value)).map((view) => (view as Uint8Array).buffer);
    const firstBuffers = new Set([...columnBuffers(first.ledgers!.fills), ...columnBuffers(first.ledgers!.trades)]);
    expect(first.ledgers!.trades.length).toBeGreaterThan(256); // grown beyond the first 256 rows, so its columns came from the buffers
    // A smaller run, then the long one again: each reads the previous run's buffers, and gives the fresh run's trades and fills.
    withReplayBuffers(buffers, () => {
      const run = runOf(config, one);
      expect(run.trades).toEqual(runOf(config, one).trades);
    });
    withReplayBuffers(buffers, () => {
      const run = runOf(config, long);
      expect(firstBuffers.has(run.ledgers!.fills.price.buffer)).toBe(true);
      expect(firstBuffers.has(run.ledgers!.trades.entryPrice.buffer)).toBe(true);
      expect(run.trades).toEqual(fresh.trades);
      expect(run.fills).toEqual(fresh.fills);
    });
  });

  it("hands a ledger column a zeroed buffer no other column of the same run holds, the smallest that fits", () => {
    const buffers = new ReplayBuffers();
    buffers.beginRun();
    const a = buffers.ledgerColumn(Float64Array, 1000);
    const b = buffers.ledgerColumn(Float64Array, 4000);
    a.fill(7);
    b.fill(9);
    // Still in the same run: a grown column gets a buffer of its own, never the one it is copied from.
    const c = buffers.ledgerColumn(Float64Array, 1000);
    expect(new Set([a.buffer, b.buffer, c.buffer]).size).toBe(3);
    buffers.beginRun();
    const d = buffers.ledgerColumn(Int32Array, 1500); // 6,000 bytes: a's buffer (8,000) is the smallest that fits
    expect(d.buffer).toBe(a.buffer);
    expect(d.every((value) => value === 0)).toBe(true);
    const e = buffers.ledgerColumn(Float64Array, 4000);
    expect(e.buffer).toBe(b.buffer);
    expect(e.every((value) => value === 0)).toBe(true);
    expect(buffers.ledgerColumn(Float64Array, 5000).buffer).not.toBe(c.buffer); // c's 8,000 bytes are too few
  });

  it("uses one symbol's own time column as the timeline (bar columns are never mutated), and a merged column of its own for several", () => {
    const buffers = new ReplayBuffers();
    const config = configSchema.parse({});
    expect(runOf(config, one).equity.time.buffer).toBe(one.bars[0].time.buffer);
    expect(withReplayBuffers(buffers, () => runOf(config, one)).equity.time.buffer).toBe(one.bars[0].time.buffer);
    const merged = runOf(config, two).equity.time;
    for (const series of two.bars) expect(merged.buffer).not.toBe(series.time.buffer);
  });

  it("keeps one symbol's times as the timeline when they are a view into a larger buffer (bars from a cache file), and copies them into the buffers", () => {
    const series = one.bars[0];
    const file = new Float64Array(series.length * 6);
    file.set(series.time, series.length);
    const viewed: MarketData = { ...one, bars: [{ ...series, time: file.subarray(series.length, 2 * series.length) }] };
    const config = configSchema.parse({});
    const fresh = runOf(config, viewed).equity.time;
    const reused = withReplayBuffers(new ReplayBuffers(), () => runOf(config, viewed)).equity.time;
    // No copy for a single run (the CLI copies it only to post it to its output thread: cli/outputThreadLink.ts).
    expect(fresh.buffer).toBe(file.buffer);
    expect([fresh.byteOffset, fresh.length]).toEqual([series.length * 8, series.length]);
    expect(reused.buffer).not.toBe(file.buffer);
    expect(Array.from(reused)).toEqual(Array.from(series.time));
  });
});

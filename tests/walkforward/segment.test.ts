import { beforeAll, describe, expect, it } from "vitest";
import { asSparseSignals, type MarketData } from "../../engine/index.js";
import { loadData, parseConfig } from "../../index.js";
import { buildSparseSignals } from "../../strategies/buildRun.js";
import { decisionSignals, runSegment, segmentSignals, segmentView } from "../../workflows/walkforward/segment.js";

/** A window's part over the shipped sample: warm-up history visible to indicators, decisions only inside, nothing after the end. */

const DAY = 86_400_000;
let data: MarketData;
let start = 0;

/** Times of a symbol's signals (bar open times), from a sparse set over `bars`. */
const signalTimes = (signals: ReturnType<typeof buildSparseSignals>, bars: MarketData["bars"], symbol: string): number[] => {
  const series = bars.find((item) => item.symbol === symbol);
  const sparse = asSparseSignals(signals.bySymbol.get(symbol)!);
  return Array.from(sparse.index.subarray(0, sparse.length), (index) => series!.time[index]);
};

describe("a walk-forward segment", () => {
  beforeAll(async () => {
    data = await loadData({ paths: ["data/samples/binance-perp-1h"] });
    start = data.bars[0].time[0];
  });

  it("holds the bars from the warm-up start up to (not including) the end, and knows where decisions begin", () => {
    const segment = { warmFromMs: start + 10 * DAY, fromMs: start + 30 * DAY, toMs: start + 40 * DAY };
    const view = segmentView(data, segment, "window 1 (test)");
    for (const series of view.data.bars) {
      expect(series.time[0]).toBe(segment.warmFromMs);
      expect(series.time[series.length - 1]).toBe(segment.toMs - 3_600_000);
      expect(series.time[view.firstDecision.get(series.symbol)!]).toBe(segment.fromMs);
    }
    for (const funding of view.data.funding.values()) {
      if (funding.length > 0) expect(funding.time[funding.length - 1]).toBeLessThan(segment.toMs);
    }
  });

  it("computes indicators over the warm-up history: inside the part, the signals equal those of the whole data", async () => {
    const config = parseConfig({});
    const segment = { warmFromMs: -Infinity, fromMs: start + 60 * DAY, toMs: start + 90 * DAY };
    const view = segmentView(data, segment, "part");
    const { signals } = await segmentSignals(config, view);
    const acted = decisionSignals(signals, view.firstDecision, true);
    const whole = buildSparseSignals(config, data);
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      const inside = signalTimes(whole, data.bars, symbol).filter((t) => t >= segment.fromMs && t < segment.toMs);
      expect(inside.length).toBeGreaterThan(0);
      expect(signalTimes(acted, view.data.bars, symbol)).toEqual(inside);
    }
  });

  it("acts on no signal before the part's start, and on none at all when told not to trade", async () => {
    const config = parseConfig({});
    const segment = { warmFromMs: start, fromMs: start + 60 * DAY, toMs: start + 90 * DAY };
    const view = segmentView(data, segment, "part");
    const { inputs, signals } = await segmentSignals(config, view);
    const run = runSegment(config, view, inputs, signals, segment);
    expect(run.run.result.trades.length).toBeGreaterThan(0);
    for (const trade of run.run.result.trades) expect(trade.entryTimeMs).toBeGreaterThan(segment.fromMs);
    expect(run.equity.time[0]).toBe(segment.fromMs);
    expect(run.equity.equity[0]).toBe(config.initialBalance);
    const idle = runSegment(config, view, inputs, signals, segment, false);
    expect(idle.run.result.trades).toHaveLength(0);
    expect(idle.stats.totalReturnPct).toBe(0);
  });
});

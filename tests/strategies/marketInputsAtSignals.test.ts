import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateSynthBars } from "../../data/synth.js";
import { sparsifySignals } from "../../engine/sparseSignals.js";
import { computeMarketInputs } from "../../strategies/marketInputs.js";
import { marketInputsAt, marketInputsAtSignals, precedingMediansAt } from "../../strategies/marketInputsAtSignals.js";
import { emaCrossSignals } from "../../strategies/signals/emaCross.js";

describe("market inputs kept at the signal bars only", () => {
  const series = generateSynthBars({ symbol: "S", bars: 3000, seed: 11 });
  const dense = emaCrossSignals(series, { fastPeriod: 12, slowPeriod: 26, atrPeriod: 14 });
  const sparse = sparsifySignals(dense);
  const columns = computeMarketInputs(series);
  const all = { atr: true, reference: true, trend: true, daily: true };

  it("keeps exactly the BUY and SELL bars, in order", () => {
    expect(sparse.length).toBeGreaterThan(20);
    for (let k = 0; k < sparse.length; k++) {
      const i = sparse.index[k];
      expect(dense.action[i]).not.toBe(0);
      expect(sparse.action[k]).toBe(dense.action[i]);
      expect(sparse.confidence[k]).toBe(dense.confidence[i]);
    }
    expect(Array.from(dense.action).filter((action) => action !== 0)).toHaveLength(sparse.length);
  });

  it("gives at each signal bar the same values as the full columns", () => {
    const at = marketInputsAtSignals(series, sparse, all);
    for (let k = 0; k < sparse.length; k++) {
      const i = sparse.index[k];
      const values = marketInputsAt(at, i);
      expect(values.atrPct).toBe(columns.atrPct[i]);
      expect(values.referenceAtrPct).toBe(columns.referenceAtrPct[i]);
      expect(values.trendStrength).toBe(columns.trendStrength[i]);
      expect(values.dailyVolatility).toBe(columns.dailyVolatility[i]);
    }
  });

  it("leaves inputs a run does not need as NaN, and bars without a signal as NaN", () => {
    const at = marketInputsAtSignals(series, sparse, { atr: true, reference: false, trend: false, daily: false });
    const i = sparse.index[sparse.length - 1];
    expect(marketInputsAt(at, i).atrPct).toBe(columns.atrPct[i]);
    expect(marketInputsAt(at, i).trendStrength).toBeNaN();
    expect(marketInputsAt(at, i + 1 === sparse.index[sparse.length - 1] ? i - 1 : i + 1).atrPct).toBeNaN();
  });
});

describe("the reference median at signal bars", () => {
  it("equals the sliding-window median for every bar, ties and trends included", () => {
    // Every bar is a "signal" bar here, so each one's median is computed by selection and
    // compared with the sliding sorted window of precedingMedianColumn.
    const series = generateSynthBars({ symbol: "T", bars: 2500, seed: 5 });
    const everyBar = sparsifySignals({
      action: new Int8Array(series.length).fill(1), confidence: new Float64Array(series.length),
      score: new Float64Array(series.length), sizeMultiplier: new Float64Array(series.length),
    });
    const columns = computeMarketInputs(series);
    const bySelection = precedingMediansAt(columns.atrPct, everyBar.index, 720);
    expect(Array.from(bySelection)).toEqual(Array.from(columns.referenceAtrPct));
    // So dense signals, which take the sliding window, and sparse ones give the same numbers.
    const at = marketInputsAtSignals(series, everyBar, { atr: true, reference: true, trend: false, daily: false });
    expect(Array.from(at.referenceAtrPct)).toEqual(Array.from(columns.referenceAtrPct));
  });
});

describe("market inputs at sparse signal bars, one bar at a time", () => {
  it("are the columns' values for every combination of needs, signal density (sparse: a ring and a selection; dense: the sliding window) and series", () => {
    const needsOf = (bits: number) => ({ atr: (bits & 1) !== 0, reference: (bits & 2) !== 0, trend: (bits & 4) !== 0, daily: (bits & 8) !== 0 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 1600 }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.0005, max: 0.2, noNaN: true }), fc.integer({ min: 0, max: 15 }),
      (bars, seed, density, bits) => {
        const series = generateSynthBars({ symbol: "P", bars, seed, timeframeMs: 60_000 });
        const action = new Int8Array(bars);
        // Signal bars from a fixed stride pattern of the seed, about `density` of the bars (the first bar included sometimes).
        const stride = Math.max(1, Math.round(1 / density));
        for (let i = seed % stride; i < bars; i += stride) action[i] = i % 2 === 0 ? 1 : -1;
        const sparse = sparsifySignals({ action, confidence: new Float64Array(bars), score: new Float64Array(bars), sizeMultiplier: new Float64Array(bars) });
        const needs = needsOf(bits);
        const at = marketInputsAtSignals(series, sparse, needs);
        const columns = computeMarketInputs(series);
        const pick = (column: Float64Array, wanted: boolean) => Array.from(sparse.index, (i) => (wanted ? column[i] : NaN));
        expect(Array.from(at.index)).toEqual(Array.from(sparse.index));
        expect(Array.from(at.atrPct)).toEqual(pick(columns.atrPct, needs.atr || needs.reference));
        expect(Array.from(at.referenceAtrPct)).toEqual(pick(columns.referenceAtrPct, needs.reference));
        expect(Array.from(at.trendStrength)).toEqual(pick(columns.trendStrength, needs.trend));
        expect(Array.from(at.dailyVolatility)).toEqual(pick(columns.dailyVolatility, needs.daily));
      }), { numRuns: 60, seed: 19 });
  });
});

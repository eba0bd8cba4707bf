import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { BarSeries } from "../../engine/index.js";
import { atrColumn } from "../../strategies/indicators.js";
import {
  computeMarketInputs, dailyVolatilityColumn, marketInputsAt, precedingMedianColumn, type MarketInputColumns,
} from "../../strategies/marketInputs.js";
import { HOUR, T0, barsOf } from "../fixtures/bars.js";

const DAY = 24 * HOUR;

/** A deterministic random walk of hourly bars (a tiny LCG: tests must not use Math.random). */
function syntheticSeries(length: number, seed: number, timeframeMs = HOUR): BarSeries {
  let state = seed >>> 0;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const rows: [number, number, number, number][] = [];
  let price = 100;
  for (let i = 0; i < length; i++) {
    const open = price;
    const close = open * (1 + (next() - 0.5) * 0.02 * (1 + Math.sin(i / 200)));
    rows.push([open, Math.max(open, close) * (1 + next() * 0.005), Math.min(open, close) * (1 - next() * 0.005), close]);
    price = close;
  }
  return barsOf("SYN", rows, T0, timeframeMs);
}

/** The same series with every bar after `index` replaced by wild, different bars. */
function withFutureChanged(series: BarSeries, index: number, factor: number): BarSeries {
  const copy = (column: Float64Array) => column.map((value, i) => (i > index ? value * factor : value));
  const high = copy(series.high).map((value, i) => (i > index ? value * 1.05 : value));
  return { ...series, open: copy(series.open), high, low: copy(series.low), close: copy(series.close) };
}

function prefixOf(series: BarSeries, length: number): BarSeries {
  const cut = (column: Float64Array) => column.slice(0, length);
  return {
    ...series, length, time: cut(series.time), open: cut(series.open), high: cut(series.high),
    low: cut(series.low), close: cut(series.close), volume: cut(series.volume),
  };
}

function naiveMedianBefore(values: Float64Array, index: number, window: number): number {
  if (index < window) return NaN;
  const slice = Array.from(values.subarray(index - window, index));
  if (slice.some((value) => !Number.isFinite(value))) return NaN;
  slice.sort((a, b) => a - b);
  const middle = window >> 1;
  return window % 2 === 1 ? slice[middle] : (slice[middle - 1] + slice[middle]) / 2;
}

function expectSameAt(a: MarketInputColumns, b: MarketInputColumns, index: number): void {
  expect(marketInputsAt(b, index)).toEqual(marketInputsAt(a, index));
}

describe("computeMarketInputs", () => {
  const series = syntheticSeries(1500, 7);
  const columns = computeMarketInputs(series);

  it("gives atrPct as ATR(14) / close, NaN for the 14 warm-up bars", () => {
    const atr = atrColumn(series, 14);
    expect(Number.isNaN(columns.atrPct[13])).toBe(true);
    for (const i of [14, 100, 1499]) expect(columns.atrPct[i]).toBeCloseTo(atr[i] / series.close[i], 15);
  });

  it("gives trendStrength as ADX(14) / 100 in 0..1, first defined at bar 27", () => {
    expect(Number.isNaN(columns.trendStrength[26])).toBe(true);
    expect(Number.isFinite(columns.trendStrength[27])).toBe(true);
    for (let i = 27; i < series.length; i++) {
      expect(columns.trendStrength[i]).toBeGreaterThanOrEqual(0);
      expect(columns.trendStrength[i]).toBeLessThanOrEqual(1);
    }
  });

  it("gives referenceAtrPct as the median atrPct of the 720 bars before, NaN until all 720 exist", () => {
    // atrPct exists from bar 14, so the first full window 14..733 serves bar 734.
    expect(Number.isNaN(columns.referenceAtrPct[733])).toBe(true);
    for (const i of [734, 1000, 1499]) {
      expect(columns.referenceAtrPct[i]).toBe(naiveMedianBefore(columns.atrPct, i, 720));
    }
  });

  it("returns one bar's inputs as a plain object", () => {
    expect(marketInputsAt(columns, 900)).toEqual({
      atrPct: columns.atrPct[900], trendStrength: columns.trendStrength[900],
      dailyVolatility: columns.dailyVolatility[900], referenceAtrPct: columns.referenceAtrPct[900],
    });
  });

  it("does not look ahead: changing or removing the bars after i leaves every value at i unchanged", () => {
    const small = syntheticSeries(260, 11);
    const options = { referenceWindow: 50 };
    const full = computeMarketInputs(small, options);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: small.length - 2 }), fc.double({ min: 0.5, max: 2, noNaN: true }), (index, factor) => {
        expectSameAt(full, computeMarketInputs(withFutureChanged(small, index, factor), options), index);
        expectSameAt(full, computeMarketInputs(prefixOf(small, index + 1), options), index);
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it("does not look ahead at the default 720-bar reference window either", () => {
    for (const index of [733, 734, 1000, 1400]) {
      expectSameAt(columns, computeMarketInputs(withFutureChanged(series, index, 3)), index);
    }
  });
});

describe("dailyVolatilityColumn", () => {
  it("uses the 24 hourly bars ending at the bar's close and is NaN before a full day exists", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [100, 101 + (i === 3 ? 9 : 0), 99 - (i === 24 ? 9 : 0), 100] as const);
    const column = dailyVolatilityColumn(barsOf("H", rows), DAY);
    expect(Number.isNaN(column[22])).toBe(true);
    expect(column[23]).toBeCloseTo((110 - 99) / 99, 12); // bars 0..23, bar 3's high 110
    expect(column[26]).toBeCloseTo((110 - 90) / 90, 12); // bars 3..26
    expect(column[27]).toBeCloseTo((101 - 90) / 90, 12); // bars 4..27: bar 3 has left the day
  });

  it("keeps only the bars inside the day when there is a gap", () => {
    const series = barsOf("G", Array.from({ length: 30 }, (_, i) => [100, 100 + i, 100 - i / 10, 100] as const));
    const time = series.time.map((t, i) => (i >= 20 ? t + 10 * HOUR : t)); // 10 hours missing before bar 20
    const column = dailyVolatilityColumn({ ...series, time }, DAY);
    // Bar 25 closes at T0 + 36 h; its day starts at T0 + 12 h: bars 12..25.
    expect(column[25]).toBeCloseTo((125 - 97.5) / 97.5, 12);
  });

  it("equals the range over the day's bars counted out, with more than 1,024 minute bars in each deque", () => {
    // Two days in which every other bar's high falls and low rises while the bars between have a
    // high of 101 and a low of 99 (each deque holds the day's half of the bars, and its ring's start
    // moves on as they leave the day), then two days of falling highs and rising lows on every bar:
    // each deque then holds a whole day, 1,440 bars, so its ring grows past 1,024 while wrapped.
    const MINUTE = 60_000;
    const rows = Array.from({ length: 6_000 }, (_, i) => {
      if (i >= 3_000) return [100, 140 - (i - 3_000) / 1000, 60 + (i - 3_000) / 1000, 100] as const;
      return i % 2 === 1 ? [100, 150 - i / 1000, 50 + i / 1000, 100] as const : [100, 101, 99, 100] as const;
    });
    const series = barsOf("M", rows, T0, MINUTE);
    const column = dailyVolatilityColumn(series, DAY);
    for (let i = 0; i < series.length; i++) {
      const windowStart = series.time[i] + MINUTE - DAY;
      if (series.time[0] > windowStart) {
        expect(column[i]).toBeNaN();
        continue;
      }
      let highest = -Infinity;
      let lowest = Infinity;
      for (let j = i; j >= 0 && series.time[j] >= windowStart; j--) {
        highest = Math.max(highest, series.high[j]);
        lowest = Math.min(lowest, series.low[j]);
      }
      expect(column[i]).toBe((highest - lowest) / lowest);
    }
  });

  it("uses the bar itself for daily bars", () => {
    const column = dailyVolatilityColumn(barsOf("D", [[100, 110, 95, 105], [105, 106, 104, 105]], T0, DAY), DAY);
    expect(column[0]).toBeCloseTo(15 / 95, 12);
    expect(column[1]).toBeCloseTo(2 / 104, 12);
  });
});

describe("precedingMedianColumn", () => {
  it("matches a naive median on a few thousand values with warm-up NaNs, ties and a NaN inside", () => {
    const values = syntheticSeries(4000, 3).close.map((value, i) => (i < 14 || i === 2500 ? NaN : Math.round(value * 4) / 4));
    for (const window of [720, 101, 1]) {
      const fast = precedingMedianColumn(values, window);
      for (let i = 0; i < values.length; i++) expect(fast[i]).toBe(naiveMedianBefore(values, i, window));
    }
  });

  it("is NaN while any of the window's values is missing", () => {
    const values = Float64Array.from([1, 2, NaN, 4, 5, 6, 7]);
    expect(Array.from(precedingMedianColumn(values, 3))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, 5]);
  });

  it("refuses a window that is not a positive whole number", () => {
    expect(() => precedingMedianColumn(new Float64Array(3), 0)).toThrow(RangeError);
  });
});

import technicalindicators from "technicalindicators";
import type { BarSeries } from "../engine/index.js";

/**
 * Indicator columns computed once per series with `technicalindicators` (STYLE §2). Each
 * output is aligned with the bars: value i uses bars 0..i only; warm-up values are NaN.
 * The library returns only the defined tail, so it is placed at the end of the column.
 */
function alignTail(values: readonly number[], length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  out.set(values, length - values.length);
  return out;
}

/*
 * EMA and ATR — the two indicators every run computes over every bar — are written as
 * typed-array loops with the same arithmetic, in the same order, as technicalindicators'
 * EMA and ATR (SMA seed, then `((value − previous) × k) + previous`). The library builds a
 * generator step and boxed numbers per value, ~20–40× slower; on 26 million minute bars that
 * was most of a run. tests/strategies/indicatorsContract.test.ts checks these columns equal
 * the library's output value for value. The other indicators still come from the library.
 */

/** EMA of the closes: SMA of the first `period` closes, then k = 2 / (period + 1). */
export function emaColumn(series: BarSeries, period: number): Float64Array {
  return exponentialAverage(series.close, 0, series.length, period, 2 / (period + 1));
}

/** Average true range, Wilder-smoothed (k = 1 / period) from the SMA of the first `period` true ranges. */
export function atrColumn(series: BarSeries, period: number): Float64Array {
  const n = series.length;
  // True range from bar 1 on (bar 0 has no previous close), as the library does.
  const trueRange = new Float64Array(n).fill(NaN);
  const { high, low, close } = series;
  for (let i = 1; i < n; i++) {
    const previous = close[i - 1];
    trueRange[i] = Math.max(high[i] - low[i], Math.abs(high[i] - previous), Math.abs(low[i] - previous));
  }
  return exponentialAverage(trueRange, 1, n, period, 1 / period);
}

/** `values[from..n)` averaged: the SMA of the first `period` seeds, then `((v − prev) × k) + prev`. */
function exponentialAverage(values: Float64Array, from: number, n: number, period: number, k: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  if (n - from < period) return out;
  let sum = 0;
  for (let i = from; i < from + period; i++) sum = sum + values[i];
  let average = sum / period;
  out[from + period - 1] = average;
  for (let i = from + period; i < n; i++) {
    average = ((values[i] - average) * k) + average;
    out[i] = average;
  }
  return out;
}

export function rsiColumn(series: BarSeries, period: number): Float64Array {
  const values = technicalindicators.RSI.calculate({ period, values: Array.from(series.close) });
  return alignTail(values, series.length);
}


/**
 * ADX (0..100). The library drops the first `2 × period − 1` bars (one for the first
 * directional movement, `period − 1` to seed the smoothed DI, `period − 1` more to seed the
 * ADX average), so with period 14 the first value sits at index 27.
 */
export function adxColumn(series: BarSeries, period: number): Float64Array {
  const values = technicalindicators.ADX.calculate({
    period, high: Array.from(series.high), low: Array.from(series.low), close: Array.from(series.close),
  });
  return alignTail(values.map((value) => value.adx ?? NaN), series.length);
}

/**
 * Rate of change over `period` bars as a plain ratio: `close[i] / close[i − period] − 1`
 * (0.02 = +2 %), NaN for the first `period` bars. Written out rather than taken from
 * `technicalindicators.ROC`, which drops NaN results from the middle of its output (a
 * non-finite ratio would then shift every later value when placed with `alignTail`) and
 * returns percent.
 */
export function rocColumn(series: BarSeries, period: number): Float64Array {
  const { close, length } = series;
  const out = new Float64Array(length).fill(NaN);
  for (let i = period; i < length; i++) out[i] = close[i] / close[i - period] - 1;
  return out;
}

export interface MacdColumns {
  /** EMA(fast) − EMA(slow) of the close; first value at index `slowPeriod − 1`. */
  readonly macd: Float64Array;
  /** EMA(signalPeriod) of the MACD line; first value `signalPeriod − 1` bars after the MACD's. */
  readonly signal: Float64Array;
  /** macd − signal. */
  readonly histogram: Float64Array;
}

/**
 * MACD with exponential averages for both the oscillator and the signal line (the usual
 * definition; the library defaults to simple averages when the flags are left out). The
 * library reports a signal line of exactly 0 as missing (the histogram is still given), so
 * such signal values are NaN here; flat prices produce them.
 */
export function macdColumns(series: BarSeries, fastPeriod: number, slowPeriod: number, signalPeriod: number): MacdColumns {
  const values = technicalindicators.MACD.calculate({
    values: Array.from(series.close), fastPeriod, slowPeriod, signalPeriod,
    SimpleMAOscillator: false, SimpleMASignal: false,
  });
  return {
    macd: alignTail(values.map((value) => value.MACD ?? NaN), series.length),
    signal: alignTail(values.map((value) => value.signal ?? NaN), series.length),
    histogram: alignTail(values.map((value) => value.histogram ?? NaN), series.length),
  };
}

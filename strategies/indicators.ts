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

export function emaColumn(series: BarSeries, period: number): Float64Array {
  const values = technicalindicators.EMA.calculate({ period, values: Array.from(series.close) });
  return alignTail(values, series.length);
}

export function rsiColumn(series: BarSeries, period: number): Float64Array {
  const values = technicalindicators.RSI.calculate({ period, values: Array.from(series.close) });
  return alignTail(values, series.length);
}

export function atrColumn(series: BarSeries, period: number): Float64Array {
  const values = technicalindicators.ATR.calculate({
    period, high: Array.from(series.high), low: Array.from(series.low), close: Array.from(series.close),
  });
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

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

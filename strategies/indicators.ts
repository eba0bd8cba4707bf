import { createRequire } from "node:module";
import type { BarSeries } from "../engine/index.js";

/**
 * technicalindicators (a ~0.9 MB CommonJS bundle, ~45 ms to load on a 2-core machine) is
 * loaded on the first RSI or MACD: EMA, ATR, ADX and ROC are our own loops, so a run whose
 * signals need neither never pays for it.
 */
let library: typeof import("technicalindicators") | null = null;
function technicalIndicators(): typeof import("technicalindicators") {
  library ??= createRequire(import.meta.url)("technicalindicators") as typeof import("technicalindicators");
  return library;
}

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
 * the library's output value for value. ADX (below) is done the same way; RSI and MACD still
 * come from the library.
 */

/** EMA of the closes: SMA of the first `period` closes, then k = 2 / (period + 1). */
export function emaColumn(series: BarSeries, period: number): Float64Array {
  return exponentialAverage(series.close, 0, series.length, period, 2 / (period + 1));
}

/** Average true range, Wilder-smoothed (k = 1 / period) from the SMA of the first `period` true ranges. */
export function atrColumn(series: BarSeries, period: number): Float64Array {
  const n = series.length;
  const out = new Float64Array(n).fill(NaN);
  // True range from bar 1 on (bar 0 has no previous close), as the library does.
  const average = new RunningAverage(period, 1 / period);
  for (let i = 1; i < n; i++) out[i] = average.next(trueRangeAt(series, i));
  return out;
}

/** Bar i's true range (i ≥ 1): the largest of high − low and the gaps from the previous close. */
export function trueRangeAt({ high, low, close }: BarSeries, i: number): number {
  const previous = close[i - 1];
  return Math.max(high[i] - low[i], Math.abs(high[i] - previous), Math.abs(low[i] - previous));
}

/** `values[from..n)` averaged: the SMA of the first `period` seeds, then `((v − prev) × k) + prev`. */
function exponentialAverage(values: Float64Array, from: number, n: number, period: number, k: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  const average = new RunningAverage(period, k);
  for (let i = from; i < n; i++) out[i] = average.next(values[i]);
  return out;
}

/**
 * The EMA and ATR columns' average one value at a time, for a source that needs only its latest
 * value (the ema-cross signals): NaN for the first `period − 1` values, then the SMA of the first
 * `period`, then `((value − previous) × k) + previous` — the same operations in the same order.
 */
export class RunningAverage {
  private seeded = 0;
  private sum = 0;
  private average = NaN;

  constructor(private readonly period: number, private readonly k: number) {}

  /** The average after `value`. */
  next(value: number): number {
    if (this.seeded === this.period) {
      this.average = ((value - this.average) * this.k) + this.average;
      return this.average;
    }
    this.sum = this.sum + value;
    if (++this.seeded === this.period) this.average = this.sum / this.period;
    return this.average;
  }
}

export function rsiColumn(series: BarSeries, period: number): Float64Array {
  const values = technicalIndicators().RSI.calculate({ period, values: Array.from(series.close) });
  return alignTail(values, series.length);
}


/**
 * ADX (0..100), as technicalindicators' ADX computes it, in one typed-array loop (the library
 * makes a generator step and an object per bar: 35 % of an ai/math run's market-input phase).
 * From bar 1: true range, +DM and −DM; each Wilder-smoothed as the library does (the plain
 * sum of the first `period` values, then `s − s / period + value`); DI± = 100 × DM / TR;
 * DX = |DI+ − DI−| / (DI+ + DI−) × 100; ADX = the SMA of the first `period` DX values, then
 * `((dx − adx) × (1 / period)) + adx`. The same operations in the same order, so the values are
 * the library's bit for bit (tests/strategies/indicatorsContract.test.ts). The first value
 * sits at index `2 × period − 1` (27 for period 14); a 0/0 DX (flat prices) is NaN, and so is
 * every ADX after it, as in the library.
 */
export function adxColumn(series: BarSeries, period: number): Float64Array {
  const n = series.length;
  const out = new Float64Array(n).fill(NaN);
  const adx = new RunningAdx(period);
  for (let i = 1; i < n; i++) out[i] = adx.next(series, i);
  return out;
}

/** `adxColumn` one bar at a time: `next(series, i)` for i = 1, 2, … gives its value at bar i. */
export class RunningAdx {
  private readonly k: number;
  private smoothedTr = 0;
  private smoothedPlus = 0;
  private smoothedMinus = 0;
  private dxSum = 0;
  private dxCount = 0;
  private adx = NaN;

  constructor(private readonly period: number) {
    this.k = 1 / period;
  }

  next(series: BarSeries, i: number): number {
    const { high, low, close } = series;
    const period = this.period;
    const previousClose = close[i - 1];
    const highGap = Math.abs(high[i] - previousClose);
    const lowGap = Math.abs(low[i] - previousClose);
    const trueRange = Math.max(high[i] - low[i], Number.isNaN(highGap) ? 0 : highGap, Number.isNaN(lowGap) ? 0 : lowGap);
    const upMove = high[i] - high[i - 1];
    const downMove = low[i - 1] - low[i];
    const plusDm = upMove > downMove && upMove > 0 ? upMove : 0;
    const minusDm = downMove > upMove && downMove > 0 ? downMove : 0;
    if (i <= period) {
      this.smoothedTr = this.smoothedTr + trueRange;
      this.smoothedPlus = this.smoothedPlus + plusDm;
      this.smoothedMinus = this.smoothedMinus + minusDm;
      if (i < period) return NaN;
    } else {
      this.smoothedTr = this.smoothedTr - (this.smoothedTr / period) + trueRange;
      this.smoothedPlus = this.smoothedPlus - (this.smoothedPlus / period) + plusDm;
      this.smoothedMinus = this.smoothedMinus - (this.smoothedMinus / period) + minusDm;
    }
    const plusDi = this.smoothedPlus * 100 / this.smoothedTr;
    const minusDi = this.smoothedMinus * 100 / this.smoothedTr;
    const dx = (Math.abs(plusDi - minusDi) / (plusDi + minusDi)) * 100;
    this.dxCount++;
    if (this.dxCount < period) {
      this.dxSum = this.dxSum + dx;
      return NaN;
    }
    if (this.dxCount === period) {
      this.adx = (this.dxSum + dx) / period; // the library's SMA: (sum − 0 + dx) / period, the same double
    } else {
      this.adx = ((dx - this.adx) * this.k) + this.adx;
    }
    return this.adx;
  }
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
  const values = technicalIndicators().MACD.calculate({
    values: Array.from(series.close), fastPeriod, slowPeriod, signalPeriod,
    SimpleMAOscillator: false, SimpleMASignal: false,
  });
  return {
    macd: alignTail(values.map((value) => value.MACD ?? NaN), series.length),
    signal: alignTail(values.map((value) => value.signal ?? NaN), series.length),
    histogram: alignTail(values.map((value) => value.histogram ?? NaN), series.length),
  };
}

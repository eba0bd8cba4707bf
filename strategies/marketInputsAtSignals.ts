import { asSparseSignals, type BarSeries, type SignalColumns, type SignalSet, type SparseSignals } from "../engine/index.js";
import { RunningAdx, RunningAverage, trueRangeAt } from "./indicators.js";
import { DEFAULT_MARKET_INPUT_OPTIONS, DailyRange, PrecedingMedian, type MarketInputs } from "./marketInputs.js";

/** Which market inputs a run reads (the rest are not computed). */
export interface MarketInputNeeds {
  /** ATR(14)/close and its 720-bar reference median (ai exits, lsf volatility, sizing). */
  readonly atr: boolean;
  readonly reference: boolean;
  /** ADX(14)/100 and the 24 h range (the mathematician and the RL state). */
  readonly trend: boolean;
  readonly daily: boolean;
}

/** Market inputs of one symbol at its signal bars only, aligned with `index`. */
export interface MarketInputsAtSignals {
  readonly index: Int32Array;
  readonly atrPct: Float64Array;
  readonly referenceAtrPct: Float64Array;
  readonly trendStrength: Float64Array;
  readonly dailyVolatility: Float64Array;
}

const MISSING: MarketInputs = { atrPct: NaN, trendStrength: NaN, dailyVolatility: NaN, referenceAtrPct: NaN };

/**
 * Computes the needed market inputs of a series (causal, SPEC §4.1) and keeps their values at
 * the signal bars: a run's memory follows its signals, not bars × inputs (a 26-million-bar run
 * would otherwise hold four more columns). They are computed one bar at a time, up to the last
 * signal (`RunningAverage`, `RunningAdx`, `PrecedingMedian`, `DailyRange`: the columns' own
 * operations), so no column of every bar is made for them — tens of MB of fresh memory on minute
 * bars, each page a fault. The same numbers as the columns (tested).
 */
export function marketInputsAtSignals(series: BarSeries, signals: SparseSignals, needs: MarketInputNeeds): MarketInputsAtSignals {
  const { atrPeriod, adxPeriod, referenceWindow: window, dayMs } = DEFAULT_MARKET_INPUT_OPTIONS;
  const { index, length: count } = signals;
  const atrPct = new Float64Array(count).fill(NaN);
  const referenceAtrPct = new Float64Array(count).fill(NaN);
  const trendStrength = new Float64Array(count).fill(NaN);
  const dailyVolatility = new Float64Array(count).fill(NaN);
  const withAtr = needs.atr || needs.reference;
  const atr = new RunningAverage(atrPeriod, 1 / atrPeriod);
  const adx = new RunningAdx(adxPeriod);
  const daily = new DailyRange(series, dayMs);
  // The reference window: slid bar by bar when signals are dense, else the last `window` ATR/close
  // values in a ring (bar j at j % window) and a selection over a copy at each signal bar.
  const sliding = needs.reference && denseReference(count, window, series.length) ? new PrecedingMedian(window) : null;
  const ring = new Float64Array(needs.reference && sliding === null ? window : 0);
  const scratch = new Float64Array(ring.length);
  const last = count === 0 ? -1 : index[count - 1];
  for (let i = 0, k = 0; i <= last; i++) {
    const pct = withAtr ? (i === 0 ? NaN : atr.next(trueRangeAt(series, i))) / series.close[i] : NaN;
    const trend = needs.trend && i > 0 ? adx.next(series, i) / 100 : NaN;
    const range = needs.daily ? daily.next(i) : NaN;
    if (index[k] === i) {
      if (withAtr) atrPct[k] = pct;
      if (needs.trend) trendStrength[k] = trend;
      if (needs.daily) dailyVolatility[k] = range;
      // The window before bar i: bars i − window … i − 1, until bar i is added below.
      if (sliding !== null) {
        referenceAtrPct[k] = sliding.median();
      } else if (needs.reference && i >= window) {
        scratch.set(ring);
        referenceAtrPct[k] = medianOfWindow(scratch);
      }
      k++;
    }
    if (sliding !== null) sliding.push(pct);
    else if (needs.reference) ring[i % window] = pct;
  }
  return { index, atrPct, referenceAtrPct, trendStrength, dailyVolatility };
}

/** Whether the sliding median over every bar costs less than a selection per signal (below). */
function denseReference(signals: number, window: number, bars: number): boolean {
  return signals * window > SLIDING_MEDIAN_BREAK_EVEN * bars;
}

/**
 * Measured (2 M bars, window 720): a selection costs ~20 ns per window value of each signal,
 * the sliding window ~450 ns per bar (two binary searches and a block move): it wins once
 * signals × window exceeds about 20 × bars (more than one signal per 36 bars at 720).
 */
const SLIDING_MEDIAN_BREAK_EVEN = 20;

/**
 * The median of the `window` values before each of the given bars (SPEC §5, the ai
 * reference ATR), over a column: the selection `marketInputsAtSignals` makes at each sparse
 * signal from its ring (`medianOfWindow`), for a caller that has the column. The same numbers
 * as `precedingMedianColumn`; NaN until a full window of finite values exists.
 */
export function precedingMediansAt(values: Float64Array, indexes: Int32Array, window: number): Float64Array {
  const out = new Float64Array(indexes.length).fill(NaN);
  const scratch = new Float64Array(window);
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k];
    if (i < window) continue;
    scratch.set(values.subarray(i - window, i));
    out[k] = medianOfWindow(scratch);
  }
  return out;
}

/**
 * The median of a full window's values (reordered in place), or NaN when one is not finite.
 * Their order does not matter: a selection finds the same middle values whatever it is.
 */
function medianOfWindow(scratch: Float64Array): number {
  const window = scratch.length;
  for (let j = 0; j < window; j++) if (!Number.isFinite(scratch[j])) return NaN;
  const middle = window >> 1;
  selectKth(scratch, middle);
  if (window % 2 === 1) return scratch[middle];
  // After the selection everything before `middle` is ≤ it; the largest of those is the
  // other middle value — the same two numbers a full sort would average.
  let lower = scratch[0];
  for (let j = 1; j < middle; j++) if (scratch[j] > lower) lower = scratch[j];
  return (lower + scratch[middle]) / 2;
}

/** Rearranges `a` so that a[k] is its k-th smallest value, smaller ones before it (quickselect). */
function selectKth(a: Float64Array, k: number): void {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    // Median-of-three pivot keeps the selection linear on sorted and trending windows.
    const middle = (left + right) >> 1;
    if (a[middle] < a[left]) swap(a, middle, left);
    if (a[right] < a[left]) swap(a, right, left);
    if (a[right] < a[middle]) swap(a, right, middle);
    const pivot = a[middle];
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The inputs at bar `barIndex` (a signal bar), by binary search; NaN where not computed. */
export function marketInputsAt(at: MarketInputsAtSignals | undefined, barIndex: number): MarketInputs {
  if (at === undefined) return MISSING;
  let low = 0;
  let high = at.index.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = at.index[mid];
    if (value === barIndex) {
      return { atrPct: at.atrPct[mid], referenceAtrPct: at.referenceAtrPct[mid], trendStrength: at.trendStrength[mid], dailyVolatility: at.dailyVolatility[mid] };
    }
    if (value < barIndex) low = mid + 1;
    else high = mid - 1;
  }
  return MISSING;
}

/**
 * Market inputs at a signal set's signal bars, computed once per signal set, series and needs:
 * runs given the same precomputed signals (compare's plans and paths, a sweep thread's cells)
 * share them instead of recomputing ATR, ADX and the reference medians over every bar. They are
 * a pure function of the bars, the signal bars and the needs, and are only read, so a shared
 * one is the same numbers. Held weakly: they go with their signal set.
 */
const marketInputsOfSignals = new WeakMap<SignalSet, WeakMap<BarSeries, Map<string, MarketInputsAtSignals>>>();

export function sharedMarketInputs(signals: SignalSet, series: BarSeries, given: SignalColumns | SparseSignals, needs: MarketInputNeeds): MarketInputsAtSignals {
  let bySeries = marketInputsOfSignals.get(signals);
  if (bySeries === undefined) marketInputsOfSignals.set(signals, (bySeries = new WeakMap()));
  let byNeeds = bySeries.get(series);
  if (byNeeds === undefined) bySeries.set(series, (byNeeds = new Map()));
  const key = `${+needs.atr}${+needs.reference}${+needs.trend}${+needs.daily}`;
  let inputs = byNeeds.get(key);
  if (inputs === undefined) byNeeds.set(key, (inputs = marketInputsAtSignals(series, asSparseSignals(given), needs)));
  return inputs;
}

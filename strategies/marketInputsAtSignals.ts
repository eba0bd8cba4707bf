import { asSparseSignals, type BarSeries, type SignalColumns, type SignalSet, type SparseSignals } from "../engine/index.js";
import { adxColumn, atrColumn } from "./indicators.js";
import { DEFAULT_MARKET_INPUT_OPTIONS, dailyVolatilityColumn, precedingMedianColumn, type MarketInputs } from "./marketInputs.js";

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
 * Computes the needed market-input columns of a series (causal, SPEC §4.1), keeps their
 * values at the signal bars and lets the columns go: a run's memory follows its signals,
 * not bars × inputs (a 26-million-bar run would otherwise hold four more columns).
 */
export function marketInputsAtSignals(series: BarSeries, signals: SparseSignals, needs: MarketInputNeeds): MarketInputsAtSignals {
  const options = DEFAULT_MARKET_INPUT_OPTIONS;
  const count = signals.length;
  const pick = (column: Float64Array | null): Float64Array => {
    const out = new Float64Array(count).fill(NaN);
    if (column !== null) for (let k = 0; k < count; k++) out[k] = column[signals.index[k]];
    return out;
  };
  let atrPct: Float64Array | null = null;
  if (needs.atr || needs.reference) {
    const atr = atrColumn(series, options.atrPeriod);
    atrPct = new Float64Array(series.length);
    for (let i = 0; i < series.length; i++) atrPct[i] = atr[i] / series.close[i];
  }
  let trend: Float64Array | null = null;
  if (needs.trend) {
    trend = adxColumn(series, options.adxPeriod);
    for (let i = 0; i < trend.length; i++) trend[i] /= 100;
  }
  return {
    index: signals.index,
    atrPct: pick(atrPct),
    referenceAtrPct: needs.reference && atrPct !== null ? referenceMediansAt(atrPct, signals.index, options.referenceWindow, pick) : pick(null),
    trendStrength: pick(trend),
    dailyVolatility: pick(needs.daily ? dailyVolatilityColumn(series, options.dayMs) : null),
  };
}

/**
 * The reference medians at the signal bars, by whichever way costs less: a selection of one
 * window per signal (O(window) each) when signals are sparse, the incremental sliding median
 * over every bar (`precedingMedianColumn`, O(log window) plus a short block move per bar)
 * when they are dense. Both give the same numbers (tested).
 */
function referenceMediansAt(
  atrPct: Float64Array, index: Int32Array, window: number, pick: (column: Float64Array) => Float64Array,
): Float64Array {
  const dense = index.length * window > SLIDING_MEDIAN_BREAK_EVEN * atrPct.length;
  return dense ? pick(precedingMedianColumn(atrPct, window)) : precedingMediansAt(atrPct, index, window);
}

/**
 * Measured (2 M bars, window 720): a selection costs ~20 ns per window value of each signal,
 * the sliding window ~450 ns per bar (two binary searches and a block move): it wins once
 * signals × window exceeds about 20 × bars (more than one signal per 36 bars at 720).
 */
const SLIDING_MEDIAN_BREAK_EVEN = 20;

/**
 * The median of the `window` values before each of the given bars (SPEC §5, the ai
 * reference ATR) — the same numbers as `precedingMedianColumn`, computed only where a
 * signal needs them: a sort of one window per signal instead of a sliding window over
 * every bar. NaN until a full window of finite values exists.
 */
export function precedingMediansAt(values: Float64Array, indexes: Int32Array, window: number): Float64Array {
  const out = new Float64Array(indexes.length).fill(NaN);
  const scratch = new Float64Array(window);
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k];
    if (i < window) continue;
    let finite = true;
    for (let j = 0; j < window; j++) {
      const value = values[i - window + j];
      if (!Number.isFinite(value)) { finite = false; break; }
      scratch[j] = value;
    }
    if (!finite) continue;
    const middle = window >> 1;
    selectKth(scratch, middle);
    if (window % 2 === 1) {
      out[k] = scratch[middle];
    } else {
      // After the selection everything before `middle` is ≤ it; the largest of those is the
      // other middle value — the same two numbers a full sort would average.
      let lower = scratch[0];
      for (let j = 1; j < middle; j++) if (scratch[j] > lower) lower = scratch[j];
      out[k] = (lower + scratch[middle]) / 2;
    }
  }
  return out;
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

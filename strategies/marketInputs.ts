import type { BarSeries } from "../engine/index.js";
import { adxColumn, atrColumn } from "./indicators.js";

/**
 * The market inputs of SPEC §4.1 and §5 as columns aligned with one symbol's bars. Value i
 * is known at the close of bar i: it uses bars 0..i only (no look-ahead), so the replay can
 * read it at the decision bar. Warm-up values are NaN. All values are plain ratios.
 */
export interface MarketInputColumns {
  readonly length: number;
  /** ATR(atrPeriod) / close, e.g. 0.012 = 1.2 % of price. */
  readonly atrPct: Float64Array;
  /** ADX(adxPeriod) / 100, in 0..1. */
  readonly trendStrength: Float64Array;
  /** (max high − min low) / min low over the 24 h ending at the bar's close. */
  readonly dailyVolatility: Float64Array;
  /** Median of `atrPct` over the `referenceWindow` bars before the bar (not including it). */
  readonly referenceAtrPct: Float64Array;
}

/** The market inputs of one bar, read from the columns. */
export interface MarketInputs {
  readonly atrPct: number;
  readonly trendStrength: number;
  readonly dailyVolatility: number;
  readonly referenceAtrPct: number;
}

export interface MarketInputOptions {
  /** ATR period in bars; default 14. */
  readonly atrPeriod: number;
  /** ADX period in bars; default 14. */
  readonly adxPeriod: number;
  /** Bars in the reference-volatility median (SPEC §5, ai); default 720. */
  readonly referenceWindow: number;
  /** Length of the daily-volatility window in ms; default 24 h. */
  readonly dayMs: number;
}

export const DEFAULT_MARKET_INPUT_OPTIONS: MarketInputOptions = {
  atrPeriod: 14,
  adxPeriod: 14,
  referenceWindow: 720,
  dayMs: 86_400_000,
};

/** Computes every market-input column of a series once, before the replay (STYLE §2). */
export function computeMarketInputs(series: BarSeries, options: Partial<MarketInputOptions> = {}): MarketInputColumns {
  const settings = { ...DEFAULT_MARKET_INPUT_OPTIONS, ...options };
  const n = series.length;
  const atr = atrColumn(series, settings.atrPeriod);
  const adx = adxColumn(series, settings.adxPeriod);
  const atrPct = new Float64Array(n);
  const trendStrength = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    atrPct[i] = atr[i] / series.close[i];
    trendStrength[i] = adx[i] / 100;
  }
  return {
    length: n,
    atrPct,
    trendStrength,
    dailyVolatility: dailyVolatilityColumn(series, settings.dayMs),
    referenceAtrPct: precedingMedianColumn(atrPct, settings.referenceWindow),
  };
}

export function marketInputsAt(columns: MarketInputColumns, index: number): MarketInputs {
  return {
    atrPct: columns.atrPct[index],
    trendStrength: columns.trendStrength[index],
    dailyVolatility: columns.dailyVolatility[index],
    referenceAtrPct: columns.referenceAtrPct[index],
  };
}

/**
 * (max high − min low) / min low over the bars that lie inside the 24 h ending at bar i's
 * close: open time in [t_i + timeframe − 24 h, t_i], i.e. bars ..i only. NaN until the data
 * reaches back to that window's start (a gap inside the window just leaves fewer bars).
 * Bars of a day or longer use the bar itself. Monotonic deques keep it O(n).
 */
export function dailyVolatilityColumn(series: BarSeries, dayMs: number): Float64Array {
  const n = series.length;
  const out = new Float64Array(n).fill(NaN);
  const range = new DailyRange(series, dayMs);
  for (let i = 0; i < n; i++) out[i] = range.next(i);
  return out;
}

/**
 * `dailyVolatilityColumn` one bar at a time: `next(i)` for i = 0, 1, … gives its value at bar i.
 * The monotonic deques of the window's highest high and lowest low hold bar indexes in rings
 * (grown when full), so the memory follows the bars in a day, not the series.
 */
export class DailyRange {
  private readonly max = new IndexDeque();
  private readonly min = new IndexDeque();
  private start = 0;

  constructor(private readonly series: BarSeries, private readonly dayMs: number) {}

  next(i: number): number {
    const { time, high, low, timeframeMs } = this.series;
    if (timeframeMs >= this.dayMs) return (high[i] - low[i]) / low[i];
    const { max, min } = this;
    while (!max.empty() && high[max.last()] <= high[i]) max.popLast();
    max.push(i);
    while (!min.empty() && low[min.last()] >= low[i]) min.popLast();
    min.push(i);
    const windowStartMs = time[i] + timeframeMs - this.dayMs;
    while (time[this.start] < windowStartMs) this.start++;
    while (max.first() < this.start) max.popFirst();
    while (min.first() < this.start) min.popFirst();
    if (!(time[0] <= windowStartMs)) return NaN;
    const lowest = low[min.first()];
    return (high[max.first()] - lowest) / lowest;
  }
}

/** A deque of bar indexes in a ring whose size is a power of two, doubled when full. */
class IndexDeque {
  private ring = new Int32Array(1024);
  private head = 0;
  private tail = 0;

  empty(): boolean {
    return this.tail === this.head;
  }

  first(): number {
    return this.ring[this.head & (this.ring.length - 1)];
  }

  last(): number {
    return this.ring[(this.tail - 1) & (this.ring.length - 1)];
  }

  push(index: number): void {
    if (this.tail - this.head === this.ring.length) this.grow();
    this.ring[this.tail & (this.ring.length - 1)] = index;
    this.tail++;
  }

  popFirst(): void {
    this.head++;
  }

  popLast(): void {
    this.tail--;
  }

  private grow(): void {
    const grown = new Int32Array(this.ring.length * 2);
    for (let k = this.head; k < this.tail; k++) grown[k & (grown.length - 1)] = this.ring[k & (this.ring.length - 1)];
    this.ring = grown;
  }
}

/**
 * out[i] = median of values[i − window .. i − 1] (the `window` values BEFORE i), NaN until
 * all of them exist and while any of them is not finite. An even window takes the mean of
 * the two middle values. The window is kept as a sorted Float64Array: each step replaces
 * the outgoing value by the incoming one with two binary searches and one block move, so
 * the cost per bar is a memmove of at most `window` doubles (1M bars × 720 ≈ tens of ms).
 */
export function precedingMedianColumn(values: Float64Array, window: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  const median = new PrecedingMedian(window);
  for (let i = 0; i < n; i++) {
    out[i] = median.median();
    median.push(values[i]);
  }
  return out;
}

/**
 * `precedingMedianColumn` one bar at a time: `median()` is the median of the last `window` values
 * pushed (NaN until there are `window` of them and while any of them is not finite), kept as the
 * column keeps it — a sorted window, with the values themselves in a ring for their removal.
 */
export class PrecedingMedian {
  private readonly sorted: Float64Array;
  private readonly ring: Float64Array;
  private size = 0;
  private nonFinite = 0;
  private pushed = 0;

  constructor(private readonly window: number) {
    if (!Number.isInteger(window) || window < 1) {
      throw new RangeError(`precedingMedianColumn: window must be a positive integer, got ${window}`);
    }
    this.sorted = new Float64Array(window);
    this.ring = new Float64Array(window);
  }

  median(): number {
    return this.pushed >= this.window && this.nonFinite === 0 ? medianOfSorted(this.sorted, this.size) : NaN;
  }

  push(incoming: number): void {
    const full = this.pushed >= this.window;
    const slot = this.pushed % this.window;
    const outgoing = full ? this.ring[slot] : NaN;
    const incomingFinite = Number.isFinite(incoming);
    const outgoingFinite = full && Number.isFinite(outgoing);
    if (!incomingFinite) this.nonFinite++;
    if (full && !outgoingFinite) this.nonFinite--;
    if (incomingFinite && outgoingFinite) replaceSorted(this.sorted, this.size, outgoing, incoming);
    else if (incomingFinite) this.size = insertSorted(this.sorted, this.size, incoming);
    else if (outgoingFinite) this.size = deleteSorted(this.sorted, this.size, outgoing);
    this.ring[slot] = incoming;
    this.pushed++;
  }
}

function medianOfSorted(sorted: Float64Array, size: number): number {
  const middle = size >> 1;
  return size % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** First index in [from, to) whose value is >= target. */
function lowerBound(sorted: Float64Array, target: number, from: number, to: number): number {
  let lo = from, hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < target) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** First index in [from, to) whose value is > target. */
function upperBound(sorted: Float64Array, target: number, from: number, to: number): number {
  let lo = from, hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= target) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function insertSorted(sorted: Float64Array, size: number, value: number): number {
  const at = upperBound(sorted, value, 0, size);
  sorted.copyWithin(at + 1, at, size);
  sorted[at] = value;
  return size + 1;
}

function deleteSorted(sorted: Float64Array, size: number, value: number): number {
  const at = lowerBound(sorted, value, 0, size);
  sorted.copyWithin(at, at + 1, size);
  return size - 1;
}

/** Removes `outgoing` and inserts `incoming`, moving only the values between their places. */
function replaceSorted(sorted: Float64Array, size: number, outgoing: number, incoming: number): void {
  const from = lowerBound(sorted, outgoing, 0, size);
  if (incoming > outgoing) {
    const to = lowerBound(sorted, incoming, from + 1, size);
    sorted.copyWithin(from, from + 1, to);
    sorted[to - 1] = incoming;
  } else if (incoming < outgoing) {
    const to = upperBound(sorted, incoming, 0, from);
    sorted.copyWithin(to + 1, to, from);
    sorted[to] = incoming;
  }
}

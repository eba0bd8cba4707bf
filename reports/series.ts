/**
 * Small numeric helpers shared by the statistics: sums in a fixed order (so results are
 * byte-identical run to run), sample standard deviation, and the drawdown walk over an
 * equity column. Pure functions over plain arrays; no allocation beyond the result.
 */

/** `x` when it is a finite number, else `null` — reports never carry NaN or Infinity. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** Arithmetic mean; `null` for an empty list. */
export function meanOf(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Sample standard deviation (divides by n − 1); `null` for fewer than two values. */
export function sampleStdOf(values: ArrayLike<number>): number | null {
  const n = values.length;
  const mean = meanOf(values);
  if (mean === null || n < 2) return null;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / (n - 1));
}

/**
 * Downside deviation below a target of 0 over *all* periods: sqrt(Σ min(r, 0)² / (n − 1)).
 * Periods above the target count as zero shortfall. Divides by n − 1 like `sampleStdOf`, so
 * Sortino and Sharpe share one convention. `null` for fewer than two values.
 */
export function downsideDeviationOf(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 2) return null;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const shortfall = Math.min(values[i], 0);
    squares += shortfall * shortfall;
  }
  return Math.sqrt(squares / (n - 1));
}

/**
 * Simple returns between consecutive rows: equity[i] / equity[i − 1] − 1 for i ≥ 1.
 * A row whose predecessor is not positive has no defined return and is skipped (an account
 * wiped to zero cannot earn a percentage).
 */
export function periodReturnsOf(equity: ArrayLike<number>): Float64Array {
  const returns = new Float64Array(Math.max(equity.length - 1, 0));
  let count = 0;
  for (let i = 1; i < equity.length; i++) {
    const previous = equity[i - 1];
    if (previous > 0) returns[count++] = equity[i] / previous - 1;
  }
  return returns.subarray(0, count);
}

/** The per-period returns' mean, sample standard deviation and downside deviation; null where those are. */
export interface ReturnStats {
  readonly mean: number | null;
  readonly std: number | null;
  readonly downside: number | null;
}

/**
 * `meanOf`, `sampleStdOf` and `downsideDeviationOf` of `periodReturnsOf(equity)` in two passes
 * over the curve instead of five and without an array of the returns, bit for bit the same
 * (each sum adds the same terms in the same order; tested): the statistics of a million-row
 * curve, once per run or sweep cell.
 */
export function returnStatsOf(equity: ArrayLike<number>): ReturnStats {
  let count = 0;
  let sum = 0;
  let shortfalls = 0;
  for (let i = 1; i < equity.length; i++) {
    const previous = equity[i - 1];
    if (!(previous > 0)) continue;
    const r = equity[i] / previous - 1;
    count++;
    sum += r;
    const shortfall = Math.min(r, 0);
    shortfalls += shortfall * shortfall;
  }
  if (count === 0) return { mean: null, std: null, downside: null };
  const mean = sum / count;
  if (count < 2) return { mean, std: null, downside: null };
  return { mean, std: Math.sqrt(squaredDeviations(equity, mean) / (count - 1)), downside: Math.sqrt(shortfalls / (count - 1)) };
}

/**
 * Σ (r − mean)² over the period returns of `equity`, in order — each return computed again
 * by the same expression (so the same double) rather than kept: a sweep cell of 2 M bars would
 * otherwise allocate 16 MB for them.
 */
function squaredDeviations(equity: ArrayLike<number>, mean: number): number {
  let squares = 0;
  for (let i = 1; i < equity.length; i++) {
    const previous = equity[i - 1];
    if (!(previous > 0)) continue;
    const d = equity[i] / previous - 1 - mean;
    squares += d * d;
  }
  return squares;
}

export interface DrawdownSummary {
  /** Deepest fall below the running peak, as a positive fraction (0.1 = 10 % below). 0 if none. */
  readonly maxDrawdownPct: number;
  /**
   * Longest time in ms from a peak to the first row at or above it again, or to the last row
   * when the peak is never regained. 0 if the curve never falls below its peak.
   */
  readonly maxDrawdownDurationMs: number;
}

/**
 * Walks the equity column once. The running peak starts at `startingPeak` (the initial
 * balance) stamped at the first row's time, so a loss on the very first row counts.
 */
export function summarizeDrawdowns(
  time: ArrayLike<number>,
  equity: ArrayLike<number>,
  startingPeak: number,
): DrawdownSummary {
  if (equity.length === 0) return { maxDrawdownPct: 0, maxDrawdownDurationMs: 0 };
  walkDrawdowns(time, equity, startingPeak);
  return { maxDrawdownPct: drawdownScratch[0], maxDrawdownDurationMs: drawdownScratch[1] };
}

/** [max drawdown, max duration] of the last walk. */
const drawdownScratch = new Float64Array(2);

/**
 * The walk itself, kept apart from building the result object: a function called once per
 * run is optimised mid-loop, and an object literal after that loop, never run before, would
 * throw the optimised code away at every call (a sweep runs it once per cell).
 */
function walkDrawdowns(time: ArrayLike<number>, equity: ArrayLike<number>, startingPeak: number): void {
  const n = equity.length;
  let peak = startingPeak;
  let peakTimeMs = time[0];
  let underwater = false;
  let maxDrawdownPct = 0;
  let maxDrawdownDurationMs = 0;
  for (let i = 0; i < n; i++) {
    const value = equity[i];
    if (value >= peak) {
      if (underwater) maxDrawdownDurationMs = Math.max(maxDrawdownDurationMs, time[i] - peakTimeMs);
      underwater = false;
      peak = value;
      peakTimeMs = time[i];
    } else {
      underwater = true;
      if (peak > 0) maxDrawdownPct = Math.max(maxDrawdownPct, 1 - value / peak);
    }
  }
  if (underwater) maxDrawdownDurationMs = Math.max(maxDrawdownDurationMs, time[n - 1] - peakTimeMs);
  drawdownScratch[0] = maxDrawdownPct;
  drawdownScratch[1] = maxDrawdownDurationMs;
}

/**
 * What a cache entry's rows must prove before they are used (README "Data cache"): that they
 * still obey what the CSV loader checked (finite, sorted times; prices in range; low ≤ open,
 * close ≤ high; volume ≥ 0; funding rates in range), so an entry edited by hand into something
 * the CSV path would refuse is never replayed. That its bytes are the ones written is proved
 * before this, by the whole-file CRC-32 in its sidecar (cacheStore.ts). A failed entry is
 * rebuilt from its source by the caller, which says so.
 */

import { MAX_FUNDING_RATE } from "./loadFunding.js";
import { MAX_PRICE, MIN_PRICE, describeBadBar } from "./validateBars.js";

/** Null when the bars could have come from the CSV loader; otherwise the first problem, with its row (0-based). */
export function describeCachedBarsProblem(columns: readonly Float64Array[], length: number): string | null {
  const [time, open, high, low, close, volume] = columns;
  const row = firstBadBarRow(time, open, high, low, close, volume, length);
  if (row < 0) return null;
  const timesIncrease = time[row] < Infinity && (row === 0 || time[row] > time[row - 1]);
  if (!timesIncrease) return `row ${row}: times are not increasing`;
  return `row ${row}: ${describeBadBar(open[row], high[row], low[row], close[row], volume[row]) ?? "a value is not a finite number"}`;
}

/** Index of the first row breaking an invariant, or -1: a numbers-only loop V8 optimises at once. */
function firstBadBarRow(
  time: Float64Array, open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, length: number,
): number {
  let previousTime = -Infinity;
  for (let row = 0; row < length; row++) {
    const t = time[row];
    const o = open[row];
    const h = high[row];
    const l = low[row];
    const c = close[row];
    // NaN fails every comparison, so a NaN anywhere makes the row bad.
    if (!(t > previousTime && t < Infinity && l >= MIN_PRICE && h <= MAX_PRICE && l <= o && l <= c && o <= h && c <= h && volume[row] >= 0 && volume[row] < Infinity)) return row;
    previousTime = t;
  }
  return -1;
}

/** Null when the funding rows could have come from the CSV loader; otherwise the first problem. */
export function describeCachedFundingProblem(time: Float64Array, rate: Float64Array, length: number): string | null {
  let previousTime = -Infinity;
  for (let row = 0; row < length; row++) {
    const t = time[row];
    const r = rate[row];
    if (!(t > previousTime && t < Infinity)) return `row ${row}: times are not increasing`;
    if (!(Math.abs(r) <= MAX_FUNDING_RATE)) return `row ${row}: funding rate ${r} is outside −${MAX_FUNDING_RATE}..${MAX_FUNDING_RATE}`;
    previousTime = t;
  }
  return null;
}

/**
 * Bars aggregated to a coarser timeframe (`data.timeframe`, `--timeframe 1h` on 1m data).
 * Buckets are aligned to UTC: a bar of length T covers [k·T, (k+1)·T) in epoch ms, so 1h
 * bars open on the hour and 1d bars at 00:00 UTC. Each bucket is exact: open of its first
 * bar, high = max, low = min, close of its last bar, volume = sum — the same aggregation the
 * intrabar-detail check of SPEC §6.2 recomputes, so the source bars serve as exact detail.
 *
 * A bucket with missing source bars inside the series is kept (an exchange outage: Binance's
 * own coarser kline is built from the trades there were). The first and last bucket are
 * dropped when incomplete, because there the file's start or end, not the market, cut them.
 */

import type { BarSeries } from "../engine/types.js";

export interface ResampledBars {
  readonly series: BarSeries;
  /** Incomplete first/last buckets left out (0, 1 or 2). */
  readonly droppedEdgeBuckets: number;
}

/** `targetMs` must be a multiple of `series.timeframeMs` (checked by the caller). */
export function resampleBars(series: BarSeries, targetMs: number): ResampledBars {
  const { time, open, high, low, close, volume, length } = series;
  const bucketOf = (index: number): number => Math.floor(time[index] / targetMs) * targetMs;

  let first = 0;
  let last = length - 1;
  let droppedEdgeBuckets = 0;
  // Incomplete edges: the first bucket must start at its boundary's bar, the last end at its final bar.
  if (length > 0 && time[0] !== bucketOf(0)) {
    const bucket = bucketOf(0);
    while (first < length && bucketOf(first) === bucket) first++;
    droppedEdgeBuckets++;
  }
  if (last >= first && time[last] !== bucketOf(last) + targetMs - series.timeframeMs) {
    const bucket = bucketOf(last);
    while (last >= first && bucketOf(last) === bucket) last--;
    droppedEdgeBuckets++;
  }

  const capacity = last < first ? 0 : Math.floor((time[last] - time[first]) / targetMs) + 1;
  const out = {
    time: new Float64Array(capacity), open: new Float64Array(capacity), high: new Float64Array(capacity),
    low: new Float64Array(capacity), close: new Float64Array(capacity), volume: new Float64Array(capacity),
  };
  let count = -1;
  let currentBucket = NaN;
  for (let index = first; index <= last; index++) {
    const bucket = bucketOf(index);
    if (bucket !== currentBucket) {
      count++;
      currentBucket = bucket;
      out.time[count] = bucket;
      out.open[count] = open[index];
      out.high[count] = high[index];
      out.low[count] = low[index];
      out.volume[count] = 0;
    } else {
      if (high[index] > out.high[count]) out.high[count] = high[index];
      if (low[index] < out.low[count]) out.low[count] = low[index];
    }
    out.close[count] = close[index];
    out.volume[count] += volume[index];
  }
  const n = count + 1;
  const resampled: BarSeries = Object.freeze({
    symbol: series.symbol,
    timeframeMs: targetMs,
    length: n,
    time: out.time.slice(0, n),
    open: out.open.slice(0, n),
    high: out.high.slice(0, n),
    low: out.low.slice(0, n),
    close: out.close.slice(0, n),
    volume: out.volume.slice(0, n),
  });
  return { series: resampled, droppedEdgeBuckets };
}

/** The bars whose open time t satisfies fromMs ≤ t < toMs (either bound may be ±Infinity). */
export function sliceBarsByTime(series: BarSeries, fromMs: number, toMs: number): BarSeries {
  const start = lowerBound(series.time, series.length, fromMs);
  const end = lowerBound(series.time, series.length, toMs);
  if (start === 0 && end === series.length) return series;
  return Object.freeze({
    symbol: series.symbol,
    timeframeMs: series.timeframeMs,
    length: Math.max(0, end - start),
    time: series.time.slice(start, end),
    open: series.open.slice(start, end),
    high: series.high.slice(start, end),
    low: series.low.slice(start, end),
    close: series.close.slice(start, end),
    volume: series.volume.slice(start, end),
  });
}

/** First index whose time is ≥ value. */
function lowerBound(time: Float64Array, length: number, value: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (time[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Down-sampling of long curves for drawing: the time span is cut into `buckets` equal
 * columns (about one per pixel of the chart) and each column keeps only its lowest and its
 * highest point, in time order. A 1M-row curve becomes at most 2 × buckets + 2 points, and
 * every drawdown trough and every equity peak survives — the line looks the same at that
 * width. Non-finite values are left out. Pure.
 */

export interface SampledSeries {
  /** Epoch ms, increasing. */
  readonly time: number[];
  readonly value: number[];
}

export function downsampleMinMax(time: ArrayLike<number>, values: ArrayLike<number>, buckets: number): SampledSeries {
  const length = Math.min(time.length, values.length);
  const keep: number[] = [];
  if (length <= 2 * buckets + 2) {
    for (let i = 0; i < length; i++) if (Number.isFinite(values[i])) keep.push(i);
    return pick(time, values, keep);
  }
  const first = time[0];
  const span = time[length - 1] - first;
  let current = -1;
  let minIndex = -1;
  let maxIndex = -1;
  let minValue = Infinity;
  let maxValue = -Infinity;
  // A row's bucket is ⌊(t − first) / span × buckets⌋, capped at the last. Times increase, so
  // while a row's time is below the next bucket's start (and not below the previous row's) it
  // is in the current bucket and the division is skipped; any other row has it computed.
  // The loop is written for few bytecodes a row (`x - x === 0` is Number.isFinite without a
  // call; the extremes are kept in locals): in a cold process most of its ~200,000 rows run
  // in V8's interpreter before the optimised code arrives.
  let nextStart = -Infinity;
  let previous = -Infinity;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value - value !== 0) continue; // NaN or ±Infinity
    const t = time[i];
    if (!(t < nextStart && t >= previous)) { // (a NaN time too)
      previous = t;
      const bucket = span > 0 ? Math.min(buckets - 1, Math.floor(((t - first) / span) * buckets)) : 0;
      if (bucket !== current) {
        if (minIndex === maxIndex) keep.push(minIndex);
        else keep.push(Math.min(minIndex, maxIndex), Math.max(minIndex, maxIndex));
        current = bucket;
        minIndex = i;
        maxIndex = i;
        minValue = value;
        maxValue = value;
        nextStart = bucketStartBelow(bucket + 1, first, span, buckets);
        continue;
      }
    } else {
      previous = t;
    }
    // A new low cannot also be a new high: both extremes start at the bucket's first value.
    if (value < minValue) {
      minValue = value;
      minIndex = i;
    } else if (value > maxValue) {
      maxValue = value;
      maxIndex = i;
    }
  }
  if (minIndex === maxIndex) keep.push(minIndex);
  else keep.push(Math.min(minIndex, maxIndex), Math.max(minIndex, maxIndex));
  if (keep[0] === -1) keep.shift(); // the flush before the first bucket
  // The start and the end of the curve are drawn exactly, whatever their buckets kept.
  const firstFinite = firstFiniteIndex(values, 0, length, 1);
  const lastFinite = firstFiniteIndex(values, length - 1, -1, -1);
  if (firstFinite !== -1 && keep[0] !== firstFinite) keep.unshift(firstFinite);
  if (lastFinite !== -1 && keep[keep.length - 1] !== lastFinite) keep.push(lastFinite);
  return pick(time, values, keep);
}

/**
 * A time safely below where `bucket` starts (the exact start less a margin far above the
 * rounding error of the bucket formula): every time under it falls in an earlier bucket.
 * Infinity past the last bucket.
 */
function bucketStartBelow(bucket: number, first: number, span: number, buckets: number): number {
  if (span <= 0 || bucket >= buckets) return Infinity;
  const start = first + (bucket / buckets) * span;
  return start - ((Math.abs(start) + Math.abs(first) + span) * 1e-12 + 1e-9);
}

function firstFiniteIndex(values: ArrayLike<number>, from: number, to: number, step: 1 | -1): number {
  for (let i = from; i !== to; i += step) if (Number.isFinite(values[i])) return i;
  return -1;
}

function pick(time: ArrayLike<number>, values: ArrayLike<number>, indexes: readonly number[]): SampledSeries {
  return { time: indexes.map((i) => time[i]), value: indexes.map((i) => values[i]) };
}

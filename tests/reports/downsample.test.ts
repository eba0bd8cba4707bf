import { describe, expect, it } from "vitest";
import { downsampleMinMax, type SampledSeries } from "../../reports/html/downsample.js";

/** The rule as first written: every row's column computed from its time (the reference the fast walk must equal). */
function everyRowComputed(time: ArrayLike<number>, values: ArrayLike<number>, buckets: number): SampledSeries {
  const length = Math.min(time.length, values.length);
  const keep: number[] = [];
  const pick = (): SampledSeries => ({ time: keep.map((i) => time[i]), value: keep.map((i) => values[i]) });
  if (length <= 2 * buckets + 2) {
    for (let i = 0; i < length; i++) if (Number.isFinite(values[i])) keep.push(i);
    return pick();
  }
  const first = time[0];
  const span = time[length - 1] - first;
  let current = -1, minIndex = -1, maxIndex = -1;
  const flush = (): void => {
    if (minIndex === -1) return;
    if (minIndex === maxIndex) keep.push(minIndex);
    else keep.push(Math.min(minIndex, maxIndex), Math.max(minIndex, maxIndex));
  };
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(values[i])) continue;
    const bucket = span > 0 ? Math.min(buckets - 1, Math.floor(((time[i] - first) / span) * buckets)) : 0;
    if (bucket !== current) {
      flush();
      current = bucket; minIndex = i; maxIndex = i;
    } else {
      if (values[i] < values[minIndex]) minIndex = i;
      if (values[i] > values[maxIndex]) maxIndex = i;
    }
  }
  flush();
  let firstFinite = -1, lastFinite = -1;
  for (let i = 0; i < length; i++) if (Number.isFinite(values[i])) { if (firstFinite === -1) firstFinite = i; lastFinite = i; }
  if (firstFinite !== -1 && keep[0] !== firstFinite) keep.unshift(firstFinite);
  if (lastFinite !== -1 && keep[keep.length - 1] !== lastFinite) keep.push(lastFinite);
  return pick();
}

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

describe("downsampleMinMax on long curves", () => {
  it("keeps exactly the points a per-row column computation keeps: epoch minutes, gaps, NaN and infinite values, odd column counts", () => {
    const next = generator(3);
    for (let run = 0; run < 40; run++) {
      const length = 2_000 + Math.floor(next() * 30_000);
      const start = run % 4 === 0 ? 0 : 1.7e12 + Math.floor(next() * 1e9);
      const step = [1, 60_000, 3_600_000, 0.37][run % 4];
      const time = new Float64Array(length);
      const values = new Float64Array(length);
      let t = start, v = 100;
      for (let i = 0; i < length; i++) {
        t += step * (next() < 0.02 ? 1 + Math.floor(next() * 500) : 1); // gaps
        time[i] = t;
        v += next() - 0.5;
        const odd = next();
        values[i] = odd < 0.01 ? Number.NaN : odd < 0.013 ? (odd < 0.0115 ? Infinity : -Infinity) : v;
      }
      const buckets = [960, 7, 333, 1000][run % 4];
      expect(downsampleMinMax(time, values, buckets)).toEqual(everyRowComputed(time, values, buckets));
    }
  });

  it("computes the column again for a time that goes back or is not a number", () => {
    const time = Float64Array.from({ length: 100 }, (_, i) => i);
    time[50] = 10; // back in time
    time[70] = Number.NaN;
    const values = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i));
    expect(downsampleMinMax(time, values, 5)).toEqual(everyRowComputed(time, values, 5));
  });

  it("keeps nothing of a curve without a finite value", () => {
    const values = new Float64Array(5_000).fill(Number.NaN);
    expect(downsampleMinMax(Float64Array.from({ length: 5_000 }, (_, i) => i), values, 960)).toEqual({ time: [], value: [] });
  });
});

import type { BarSeries, FundingSeries } from "./types.js";

/**
 * The funding times of one symbol over the span of its bars, with their rates (SPEC §6.1):
 * the funding file's timestamps where it has data; outside the file's range, the constant
 * rate on the 00:00/08:00/16:00 UTC grid if one is configured; otherwise none.
 * Precomputed once so the per-bar loop only advances a cursor.
 */
export interface FundingSchedule {
  readonly time: Float64Array;
  readonly rate: Float64Array;
  /** 1 when the rate came from the funding file, 0 when from the constant. */
  readonly fromData: Uint8Array;
  readonly length: number;
  /** Grid times within the span with no rate (no file coverage and no constant). */
  readonly uncovered: number;
}

const EMPTY: FundingSchedule = { time: new Float64Array(0), rate: new Float64Array(0), fromData: new Uint8Array(0), length: 0, uncovered: 0 };

export function buildFundingSchedule(
  file: FundingSeries | undefined, constantRate: number | null, intervalMs: number,
  spanStartMs: number, spanEndMs: number,
): FundingSchedule {
  // The grid segments outside the file's range, then the file's own times inside the span;
  // counted first so the columns are filled in place (a million-bar span has ~125 000 times).
  const hasFile = file !== undefined && file.length > 0;
  const before: [number, number] = hasFile ? [spanStartMs, Math.min(spanEndMs, file.time[0])] : [spanStartMs, spanEndMs];
  // Strictly after the file's last time, so a grid time equal to it is not paid twice.
  const after: [number, number] = hasFile ? [Math.max(spanStartMs, file.time[file.length - 1] + 1), spanEndMs] : [0, 0];
  const gridCount = (range: [number, number]) =>
    range[1] > range[0] ? Math.max(0, Math.ceil(range[1] / intervalMs) - Math.ceil(range[0] / intervalMs)) : 0;
  let fileCount = 0;
  if (hasFile) for (let i = 0; i < file.length; i++) if (file.time[i] >= spanStartMs && file.time[i] < spanEndMs) fileCount++;
  const grid = gridCount(before) + gridCount(after);
  const uncovered = constantRate === null ? grid : 0;
  const length = fileCount + (constantRate === null ? 0 : grid);
  if (length === 0) return { ...EMPTY, uncovered };
  const time = new Float64Array(length);
  const rate = new Float64Array(length);
  const fromData = new Uint8Array(length);
  let k = 0;
  const addGrid = (range: [number, number]): void => {
    if (constantRate === null) return;
    for (let t = Math.ceil(range[0] / intervalMs) * intervalMs; t < range[1]; t += intervalMs) {
      time[k] = t;
      rate[k++] = constantRate;
    }
  };
  addGrid(before);
  if (hasFile) {
    for (let i = 0; i < file.length; i++) {
      const t = file.time[i];
      if (t < spanStartMs || t >= spanEndMs) continue;
      time[k] = t;
      rate[k] = file.rate[i];
      fromData[k++] = 1;
    }
  }
  addGrid(after);
  return { time, rate, fromData, length, uncovered };
}

interface CachedSchedule {
  readonly file: FundingSeries | undefined;
  readonly constantRate: number | null;
  readonly intervalMs: number;
  readonly schedule: FundingSchedule;
}

const cached = new WeakMap<BarSeries, CachedSchedule[]>();

/**
 * `buildFundingSchedule` over the span of `series` (its first bar's open to its last bar's
 * close), kept with the series: runs over the same bars with the same funding file and
 * settings — the cells of a sweep, the plans of a compare — share one schedule (it is never
 * mutated) instead of building its columns again (125 000 times for a million hourly bars).
 */
export function fundingScheduleOf(series: BarSeries, file: FundingSeries | undefined, constantRate: number | null, intervalMs: number): FundingSchedule {
  let entries = cached.get(series);
  if (entries === undefined) {
    entries = [];
    cached.set(series, entries);
  }
  for (const entry of entries) {
    if (entry.file === file && entry.constantRate === constantRate && entry.intervalMs === intervalMs) return entry.schedule;
  }
  const schedule = series.length === 0 ? buildFundingSchedule(undefined, null, 1, 0, 0)
    : buildFundingSchedule(file, constantRate, intervalMs, series.time[0], series.time[series.length - 1] + series.timeframeMs);
  // A few entries per series at most (one per funding setting a process runs it with).
  if (entries.length >= 8) entries.shift();
  entries.push({ file, constantRate, intervalMs, schedule });
  return schedule;
}

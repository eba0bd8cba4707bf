/**
 * Which rows of the equity curve `equity.csv` holds (the resolution a user asks for), as
 * pure functions of the curve's times. `equity.arrow` always holds every row.
 *
 * - `bar`: every row (one per timestamp of the merged bar streams);
 * - an interval (`1m` … `1d`): the last row of each UTC interval `[k·I, (k+1)·I)` — the equity
 *   at the interval's close, as pandas' `resample(I).last()` — with the row's own time;
 * - `auto` (the default): `bar`, except for a long run of bars shorter than an hour
 *   (more than `AUTO_FULL_ROWS` rows), which is written hourly: a plot of two years of minutes
 *   needs no million rows, and the full curve is in `equity.arrow` beside it.
 *
 * `everyNth` (`--equity-every`) then keeps rows 0, n, 2n, … of those and always the last, so
 * the final equity is always written. Asking for it means row-based thinning: `auto` is then `bar`.
 */

export const EQUITY_RESOLUTIONS = ["auto", "bar", "1m", "5m", "15m", "30m", "1h", "4h", "1d"] as const;
export type EquityResolution = (typeof EQUITY_RESOLUTIONS)[number];
export type ResolvedEquityResolution = Exclude<EquityResolution, "auto">;

/** Above this many rows, `auto` writes a run of sub-hour bars hourly. */
export const AUTO_FULL_ROWS = 50_000;

const HOUR_MS = 3_600_000;
const INTERVAL_MS: Record<Exclude<ResolvedEquityResolution, "bar">, number> = {
  "1m": 60_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": HOUR_MS, "4h": 4 * HOUR_MS, "1d": 24 * HOUR_MS,
};

/** The resolution `auto` stands for in a run with `rows` equity rows of bars `timeframeMs` long. */
export function resolveEquityResolution(
  resolution: EquityResolution, rows: number, timeframeMs: number, everyNth: number,
): ResolvedEquityResolution {
  if (resolution !== "auto") return resolution;
  return everyNth === 1 && timeframeMs < HOUR_MS && rows > AUTO_FULL_ROWS ? "1h" : "bar";
}

/** Indexes of the rows to write, ascending; the last row is always among them. */
export function selectEquityRows(
  time: ArrayLike<number>, length: number, resolution: ResolvedEquityResolution, everyNth = 1,
): Uint32Array {
  if (!Number.isInteger(everyNth) || everyNth < 1) throw new RangeError(`everyNth must be a positive integer, got ${everyNth}`);
  if (length === 0) return new Uint32Array(0);
  const kept = resolution === "bar" ? allRows(length) : lastRowPerInterval(time, length, INTERVAL_MS[resolution]);
  if (everyNth === 1) return kept;
  const last = kept.length - 1;
  const thinned = new Uint32Array(Math.ceil(kept.length / everyNth) + 1);
  let count = 0;
  for (let k = 0; k <= last; k = k === last || k + everyNth < last ? k + everyNth : last) thinned[count++] = kept[k];
  return thinned.subarray(0, count);
}

function allRows(length: number): Uint32Array {
  const rows = new Uint32Array(length);
  for (let i = 0; i < length; i++) rows[i] = i;
  return rows;
}

function lastRowPerInterval(time: ArrayLike<number>, length: number, intervalMs: number): Uint32Array {
  const rows = new Uint32Array(length);
  let count = 0;
  for (let i = 0; i < length - 1; i++) {
    if (Math.floor(time[i + 1] / intervalMs) !== Math.floor(time[i] / intervalMs)) rows[count++] = i;
  }
  rows[count++] = length - 1;
  return rows.subarray(0, count);
}

import type { FundingSeries } from "./types.js";

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
  const times: number[] = [];
  const rates: number[] = [];
  const fromData: number[] = [];
  const hasFile = file !== undefined && file.length > 0;
  let uncovered = 0;
  const addConstant = (from: number, to: number): void => {
    if (constantRate === null) {
      if (to > from) uncovered += Math.max(0, Math.ceil(to / intervalMs) - Math.ceil(from / intervalMs));
      return;
    }
    for (let t = Math.ceil(from / intervalMs) * intervalMs; t < to; t += intervalMs) {
      times.push(t);
      rates.push(constantRate);
      fromData.push(0);
    }
  };
  if (!hasFile) {
    addConstant(spanStartMs, spanEndMs);
  } else {
    addConstant(spanStartMs, Math.min(spanEndMs, file.time[0]));
    for (let i = 0; i < file.length; i++) {
      const t = file.time[i];
      if (t < spanStartMs || t >= spanEndMs) continue;
      times.push(t);
      rates.push(file.rate[i]);
      fromData.push(1);
    }
    // Strictly after the file's last time, so a grid time equal to it is not paid twice.
    addConstant(Math.max(spanStartMs, file.time[file.length - 1] + 1), spanEndMs);
  }
  if (times.length === 0) return { ...EMPTY, uncovered };
  return {
    uncovered,
    time: Float64Array.from(times),
    rate: Float64Array.from(rates),
    fromData: Uint8Array.from(fromData),
    length: times.length,
  };
}

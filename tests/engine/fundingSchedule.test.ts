import { describe, expect, it } from "vitest";
import { buildFundingSchedule, fundingScheduleOf } from "../../engine/fundingSchedule.js";
import type { FundingSeries } from "../../engine/types.js";
import { HOUR, T0, barsOf } from "../fixtures/bars.js";

const rows = Array.from({ length: 100 }, () => [100, 101, 99, 100] as const);
const file: FundingSeries = { symbol: "AUSDT", length: 3, time: Float64Array.of(T0 + 24 * HOUR, T0 + 32 * HOUR, T0 + 40 * HOUR), rate: Float64Array.of(0.001, -0.002, 0.003) };

describe("a symbol's funding schedule kept with its bars", () => {
  it("is the schedule buildFundingSchedule gives over the bars' span, time for time", () => {
    const series = barsOf("AUSDT", rows);
    const kept = fundingScheduleOf(series, file, 0.0001, 8 * HOUR);
    const built = buildFundingSchedule(file, 0.0001, 8 * HOUR, series.time[0], series.time[99] + HOUR);
    expect(kept).toStrictEqual(built);
    expect(kept.length).toBe(13);
    expect(Array.from(kept.fromData)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("is built once per bars, funding file and settings, and again when any of them differs", () => {
    const series = barsOf("AUSDT", rows);
    const first = fundingScheduleOf(series, file, 0.0001, 8 * HOUR);
    expect(fundingScheduleOf(series, file, 0.0001, 8 * HOUR)).toBe(first);
    const otherRate = fundingScheduleOf(series, file, 0.0002, 8 * HOUR);
    expect(otherRate).not.toBe(first);
    expect(otherRate.rate[0]).toBe(0.0002);
    expect(fundingScheduleOf(series, undefined, 0.0001, 8 * HOUR).length).toBe(13);
    expect(fundingScheduleOf(series, file, 0.0001, 4 * HOUR)).not.toBe(first);
    expect(fundingScheduleOf(barsOf("AUSDT", rows), file, 0.0001, 8 * HOUR)).not.toBe(first);
    expect(fundingScheduleOf(series, file, 0.0001, 8 * HOUR)).toBe(first);
  });
});

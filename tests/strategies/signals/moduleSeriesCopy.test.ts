/**
 * The series a module's `computeSignals` and `prepare` receive is a private copy whose columns
 * are copied on first read: the module sees the run's values, may write or replace any column,
 * and the bars the replay uses stay as loaded.
 */

import { describe, expect, it } from "vitest";
import { copyOf } from "../../../strategies/signals/moduleContext.js";
import { barsFromCloses } from "./series.js";

const COLUMNS = ["time", "open", "high", "low", "close", "volume"] as const;

describe("copyOf", () => {
  it("holds the same values and keys, in the same order, as the series", () => {
    const series = barsFromCloses([100, 101, 99, 102], "ETHUSDT");
    const copy = copyOf(series);
    expect(Object.keys(copy)).toEqual(["symbol", "timeframeMs", "length", ...COLUMNS]);
    expect({ ...copy }).toEqual({ ...series });
    for (const key of COLUMNS) expect(copy[key]).not.toBe(series[key]);
  });

  it("keeps the run's bars unchanged when the module writes into a column", () => {
    const series = barsFromCloses([100, 101, 99, 102]);
    const copy = copyOf(series);
    copy.close[1] = -5;
    copy.time.fill(0);
    expect(copy.close[1]).toBe(-5);
    expect(series.close[1]).toBe(101);
    expect(series.time[1]).toBeGreaterThan(series.time[0]);
  });

  it("hands out one array per column, however often it is read", () => {
    const copy = copyOf(barsFromCloses([100, 101]));
    expect(copy.high).toBe(copy.high);
  });

  it("lets the module replace a column, as on a plain object", () => {
    const copy = copyOf(barsFromCloses([100, 101])) as { -readonly [K in keyof ReturnType<typeof copyOf>]: ReturnType<typeof copyOf>[K] };
    const mine = new Float64Array([1, 2]);
    copy.volume = mine;
    expect(copy.volume).toBe(mine);
    copy.open = new Float64Array([3, 4]);
    expect(Array.from(copy.open)).toEqual([3, 4]);
  });

  it("still reads after the module freezes the object", () => {
    const series = barsFromCloses([100, 101]);
    const copy = Object.freeze(copyOf(series));
    expect(Array.from(copy.close)).toEqual(Array.from(series.close));
    expect(copy.close).toBe(copy.close);
  });
});

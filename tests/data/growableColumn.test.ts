import { describe, expect, it } from "vitest";
import { BarColumns, GrowableColumn } from "../../data/growableColumn.js";

describe("a growable column", () => {
  it("keeps every value through growth and hands out a right-sized copy", () => {
    const column = new GrowableColumn(2);
    for (let value = 0; value < 1000; value++) column.push(value * 0.5);
    const values = column.toArray();
    expect(values).toHaveLength(1000);
    expect(values[0]).toBe(0);
    expect(values[999]).toBe(499.5);
  });

  it("reserves room once for an expected row count, keeping what it holds", () => {
    const column = new GrowableColumn(4);
    column.push(1);
    column.push(2);
    column.reserve(1_000);
    expect(column.capacity).toBe(1_000);
    expect([column.at(0), column.at(1), column.length]).toEqual([1, 2, 2]);
    column.reserve(10);
    expect(column.capacity).toBe(1_000);
  });

  it("grows at least twofold when reserving file by file, so many small files copy little", () => {
    const column = new GrowableColumn(4);
    column.reserve(1_000);
    column.reserve(1_100);
    expect(column.capacity).toBe(2_000);
  });

  it("reserves all six bar columns beyond the bars already read", () => {
    const bars = new BarColumns();
    bars.append(1, 2, 3, 1, 2, 0);
    bars.reserve(10_000);
    for (const column of [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume]) expect(column.capacity).toBe(10_001);
    expect(bars.close.at(0)).toBe(2);
  });
});

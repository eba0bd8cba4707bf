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
    const bars = new BarColumns(4);
    bars.append(1, 2, 3, 1, 2, 0);
    bars.reserve(10_000);
    expect(bars.capacity).toBe(10_001);
    bars.reserve(10);
    expect(bars.capacity).toBe(10_001);
  });

  it("keeps every bar in every column through growth and hands out right-sized copies", () => {
    const bars = new BarColumns(2);
    for (let row = 0; row < 1000; row++) bars.append(row * 60_000, row + 0.5, row + 1, row, row + 0.25, row * 2);
    bars.reserve(100);
    const columns = bars.toArrays();
    expect(bars.length).toBe(1000);
    for (const column of columns) expect(column).toHaveLength(1000);
    expect(columns.map((column) => column[999])).toEqual([999 * 60_000, 999.5, 1000, 999, 999.25, 1998]);
    expect(columns.map((column) => column[0])).toEqual([0, 0.5, 1, 0, 0.25, 0]);
  });
});

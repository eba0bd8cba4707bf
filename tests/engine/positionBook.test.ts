import { describe, expect, it } from "vitest";
import { POSITION_COLUMNS, PositionBook } from "../../engine/positionBook.js";
import { plan } from "../fixtures/bars.js";

type Columns = Record<string, { [index: number]: unknown }>;

describe("the position book", () => {
  it("copies every column of its table, typed and object columns alike, from one slot into another", () => {
    const book = new PositionBook(2);
    const columns = book as unknown as Columns;
    const given = new Map<string, unknown>();
    POSITION_COLUMNS.forEach((name, k) => {
      // A value no column starts with (0, NaN, Infinity, null) and none shares: a column left out shows.
      const value = name === "plan" ? plan({ stopLossPct: 0.01 * (k + 1) }) : name === "stagePrices" ? Float64Array.of(k) : k + 2;
      columns[name][1] = value;
      given.set(name, value);
    });
    book.copySlot(1, book.snapshotSlot);
    book.copySlot(book.snapshotSlot, book.drySlot);
    for (const name of POSITION_COLUMNS) {
      expect(columns[name][book.drySlot], name).toBe(given.get(name));
      expect(columns[name][0], `${name} of another slot`).not.toBe(given.get(name));
    }
    expect(POSITION_COLUMNS.length).toBe(35);
  });
});

import { describe, expect, it } from "vitest";
import { AUTO_FULL_ROWS, resolveEquityResolution, selectEquityRows } from "../../reports/equityRows.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2024, 0, 1);

function minutes(count: number, startMs = START_MS): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => startMs + i * MINUTE_MS);
}

describe("which equity rows equity.csv holds", () => {
  it("keeps every row at bar resolution", () => {
    expect(Array.from(selectEquityRows(minutes(5), 5, "bar"))).toEqual([0, 1, 2, 3, 4]);
  });

  it("keeps the last row of each UTC hour, and the run's last row", () => {
    const time = minutes(150, START_MS + 30 * MINUTE_MS); // 00:30 … 02:59
    expect(Array.from(selectEquityRows(time, 150, "1h"))).toEqual([29, 89, 149]);
    const cut = minutes(100); // 00:00 … 01:39: the last hour is cut short
    expect(Array.from(selectEquityRows(cut, 100, "1h"))).toEqual([59, 99]);
  });

  it("keeps the last row of an interval across a gap in the data", () => {
    const time = Float64Array.from([0, 1, 2, 10, 11, 12].map((hour) => START_MS + hour * HOUR_MS + 59 * MINUTE_MS));
    expect(Array.from(selectEquityRows(time, 6, "4h"))).toEqual([2, 4, 5]); // 00–04, 08–12, 12–16
    expect(Array.from(selectEquityRows(time, 6, "1d"))).toEqual([5]);
  });

  it("then keeps every n-th of those rows and always the last", () => {
    expect(Array.from(selectEquityRows(minutes(10), 10, "bar", 3))).toEqual([0, 3, 6, 9]);
    expect(Array.from(selectEquityRows(minutes(8), 8, "bar", 3))).toEqual([0, 3, 6, 7]);
    expect(Array.from(selectEquityRows(minutes(300), 300, "1h", 2))).toEqual([59, 179, 299]);
  });

  it("writes nothing for an empty curve and rejects a step that is not a positive integer", () => {
    expect(selectEquityRows(new Float64Array(0), 0, "1h")).toHaveLength(0);
    expect(() => selectEquityRows(minutes(3), 3, "bar", 0)).toThrow(RangeError);
    expect(() => selectEquityRows(minutes(3), 3, "bar", 1.5)).toThrow(RangeError);
  });
});

describe("the auto resolution", () => {
  it("is every bar for bars of an hour or longer, however long the run", () => {
    expect(resolveEquityResolution("auto", 1_000_000, HOUR_MS, 1)).toBe("bar");
    expect(resolveEquityResolution("auto", 1_000_000, 4 * HOUR_MS, 1)).toBe("bar");
  });

  it("is every bar for a short run of minute bars, hourly for a long one", () => {
    expect(resolveEquityResolution("auto", AUTO_FULL_ROWS, MINUTE_MS, 1)).toBe("bar");
    expect(resolveEquityResolution("auto", AUTO_FULL_ROWS + 1, MINUTE_MS, 1)).toBe("1h");
    expect(resolveEquityResolution("auto", 200_000, 15 * MINUTE_MS, 1)).toBe("1h");
  });

  it("is every bar when the user thins by rows with --equity-every", () => {
    expect(resolveEquityResolution("auto", 200_000, MINUTE_MS, 10)).toBe("bar");
  });

  it("leaves a resolution the user chose as it is", () => {
    expect(resolveEquityResolution("bar", 200_000, MINUTE_MS, 1)).toBe("bar");
    expect(resolveEquityResolution("1d", 10, HOUR_MS, 1)).toBe("1d");
  });
});

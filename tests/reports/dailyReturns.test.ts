import { describe, expect, it } from "vitest";
import { dailyReturnsOf } from "../../reports/overfitting/dailyReturns.js";

const H = 3_600_000;
const DAY = 24 * H;

describe("dailyReturnsOf", () => {
  it("closes each UTC day at its last equity row; the first day against the initial balance; empty days skipped", () => {
    const time = [0, 12 * H, 23 * H, DAY, DAY + 5 * H, 3 * DAY];
    const equity = [100, 104, 110, 99, 121, 133.1];
    const returns = dailyReturnsOf(time, equity, 100);
    expect(returns).toHaveLength(3);
    expect(returns[0]).toBeCloseTo(0.1, 12);
    expect(returns[1]).toBeCloseTo(0.1, 12);
    expect(returns[2]).toBeCloseTo(0.1, 12);
  });
});

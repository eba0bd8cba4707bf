import { describe, expect, it } from "vitest";
import { barsOf, plan, runScenario } from "../fixtures/bars.js";
import { expectReconciled } from "../fixtures/reconcile.js";

// A long of one unit at 100, 10× (constant MMR 0.005): liquidation at 100 × (1 − 0.1 + 0.005) = 90.5.
const tenX = { marginUsd: 0, leverage: 10, quantity: 1 };
const noExits = plan({ stopLossPct: null, stages: [] });
const withStop = plan({ stopLossPct: 0.03, stages: [] });
const warmup: [number, number, number, number] = [100, 101, 99, 100];
const exits = (result: ReturnType<typeof runScenario>) =>
  result.fills.filter((fill) => fill.reason !== "ENTRY").map((fill) => [fill.reason, fill.price]);

describe("liquidation on the mark price", () => {
  it("does not liquidate on a last-price wick the mark price did not follow", () => {
    const last = barsOf("X", [warmup, [100, 101, 99, 100], [100, 100.5, 90, 99], [99, 100, 98, 99]]);
    const mark = barsOf("X", [warmup, [100, 101, 99, 100], [100, 100.4, 92, 99], [99, 100, 98, 99]]);
    expect(exits(runScenario(last, { 0: 1 }, noExits, { sizing: tenX }))).toEqual([["LIQUIDATION", 90.5]]);
    const onMark = runScenario(last, { 0: 1 }, noExits, { sizing: tenX, mark });
    expect(exits(onMark)).toEqual([["END", 99]]);
    expect(onMark.counters.liquidation).toEqual({ price: "mark", maintenance: "constant", markBarsUncovered: 0, leverageRefused: 0, leverageCappedToBracket: 0 });
  });

  it("liquidates at the liquidation price when the mark reaches it though the last price did not", () => {
    const last = barsOf("X", [warmup, [100, 101, 99, 100], [100, 100.5, 91, 99]]);
    const mark = barsOf("X", [warmup, [100, 101, 99, 100], [100, 100.4, 89, 99]]);
    const result = runScenario(last, { 0: 1 }, noExits, { sizing: tenX, mark });
    expect(exits(result)).toEqual([["LIQUIDATION", 90.5]]);
    // The trader loses exactly the isolated margin (10 USDT), as on the last price.
    expect(result.trades[0].realizedPnlUsd - result.trades[0].feesUsd).toBeCloseTo(-10, 12);
    expectReconciled(result);
  });

  it("liquidates at the open when the mark opens beyond the liquidation price", () => {
    const last = barsOf("X", [warmup, [100, 101, 99, 100], [95, 96, 94, 95]]);
    const mark = barsOf("X", [warmup, [100, 101, 99, 100], [90, 96, 89, 95]]);
    const result = runScenario(last, { 0: 1 }, noExits, { sizing: tenX, mark });
    expect(result.fills.filter((f) => f.reason === "LIQUIDATION").map((f) => [f.price, f.gap])).toEqual([[90.5, true]]);
  });

  // SL 97, liquidation 90.5. Green bar: open → low → high → close on both prices; on the
  // segment open → low the last price falls 100 → 95 and crosses 97 at 3/5 = 0.6 of the way.
  const last = barsOf("X", [warmup, [100, 101, 99, 100], [100, 101, 95, 100]]);

  it("fills the stop first when the last price crosses it earlier along the segment than the mark crosses the liquidation price", () => {
    // Mark 100 → 85 crosses 90.5 at 9.5/15 ≈ 0.633 of the segment: after the stop (0.6).
    const mark = barsOf("X", [warmup, [100, 101, 99, 100], [100, 101, 85, 100]]);
    expect(exits(runScenario(last, { 0: 1 }, withStop, { sizing: tenX, mark }))).toEqual([["SL", 97]]);
  });

  it("liquidates first when the mark crosses the liquidation price earlier along the segment than the last price crosses the stop", () => {
    // Mark 100 → 80 crosses 90.5 at 9.5/20 = 0.475 of the segment: before the stop (0.6).
    const mark = barsOf("X", [warmup, [100, 101, 99, 100], [100, 101, 80, 100]]);
    const result = runScenario(last, { 0: 1 }, withStop, { sizing: tenX, mark });
    expect(exits(result)).toEqual([["LIQUIDATION", 90.5]]);
    // MAE: the last price where the mark crossed, 100 − 0.475 × 5.
    expect(result.trades[0].maePct).toBeCloseTo(-0.02375, 12);
  });

  it("gives a tie to the liquidation", () => {
    // Last 100 → 94 crosses 97 at 3/6 = 0.5 of the segment; mark 100 → 81 crosses 90.5 at 9.5/19 = 0.5 too.
    const tieLast = barsOf("X", [warmup, [100, 101, 99, 100], [100, 101, 94, 100]]);
    const mark = barsOf("X", [warmup, [100, 101, 99, 100], [100, 101, 81, 100]]);
    expect(exits(runScenario(tieLast, { 0: 1 }, withStop, { sizing: tenX, mark }))).toEqual([["LIQUIDATION", 90.5]]);
  });

  it("orders the mark bar's extremes like the last price's: a red bar reaches its high first", () => {
    // Short of one unit at 100, 10×: liquidation 109.5, SL 103. Red bar: open → high → low.
    const shortLast = barsOf("X", [warmup, [100, 101, 99, 100], [100, 104, 96, 97]]);
    const shortMark = barsOf("X", [warmup, [100, 101, 99, 100], [100, 112, 96, 97]]);
    // Last crosses 103 at 3/4 = 0.75 of open → high; mark crosses 109.5 at 9.5/12 ≈ 0.79: the stop fills first.
    expect(exits(runScenario(shortLast, { 0: -1 }, withStop, { sizing: tenX, mark: shortMark }))).toEqual([["SL", 103]]);
  });

  it("checks liquidation on the last price where the mark bars do not cover a bar, and counts those bars", () => {
    const last = barsOf("X", [warmup, [100, 101, 99, 100], [100, 100.5, 90, 99]]);
    const mark = barsOf("X", [warmup, [100, 101, 99, 100]]);
    const result = runScenario(last, { 0: 1 }, noExits, { sizing: tenX, mark });
    expect(exits(result)).toEqual([["LIQUIDATION", 90.5]]);
    expect(result.counters.liquidation?.markBarsUncovered).toBe(1);
  });

  it("aggregates finer mark bars into each main bar", () => {
    const last = barsOf("X", [warmup, [100, 101, 99, 100], [100, 100.5, 91, 99]]);
    // 30-minute mark bars: the second half of bar 2 reaches 89.
    const mark = barsOf("X", [[100, 101, 99, 100], [100, 100, 99, 100], [100, 101, 99, 100], [100, 100, 99, 100], [100, 100.4, 95, 96], [96, 97, 89, 99]],
      last.time[0], 30 * 60_000);
    const result = runScenario(last, { 0: 1 }, noExits, { sizing: tenX, mark });
    expect(exits(result)).toEqual([["LIQUIDATION", 90.5]]);
    expect(result.counters.liquidation?.markBarsUncovered).toBe(0);
  });

  it("with detail bars, places the mark bar's low where the last price makes the bar's low", () => {
    const last = barsOf("X", [warmup, [100, 101, 99, 100], [100, 101, 95, 100]]);
    // Four 15-minute detail bars; the last price's low (95) is in the third, the stop (97) is crossed there too.
    const flat: [number, number, number, number][] = [[100, 101, 99, 100], [100, 100, 99, 100], [100, 100, 99, 100], [100, 100, 99, 100]];
    const detail = barsOf("X", [...flat, ...flat,
      [100, 100.5, 99, 99.5], [99.5, 101, 99, 100], [100, 100, 95, 96], [96, 100, 96, 100]], last.time[0], 15 * 60_000);
    const mark = barsOf("X", [warmup, [100, 101, 99, 100], [100, 101, 80, 100]]);
    const result = runScenario(last, { 0: 1 }, withStop, { sizing: tenX, mark, detail });
    // In the third detail bar the mark's start is unknown, so its low is reached at the segment's end: after the stop.
    expect(exits(result)).toEqual([["SL", 97]]);
    expect(result.fills[1].timeMs).toBe(detail.time[10]);
    // Without detail bars the same mark low liquidates first (0.475 of the open → low segment, before the stop's 0.6).
    expect(exits(runScenario(last, { 0: 1 }, withStop, { sizing: tenX, mark }))).toEqual([["LIQUIDATION", 90.5]]);
  });
});

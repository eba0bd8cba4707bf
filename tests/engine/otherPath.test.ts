/**
 * What the other intrabar path would have done on a path-dependent exit bar (the report's
 * drill-down, engine/otherPath.ts). Expected fills are derived by hand from README
 * "Intrabar path": a green bar (close ≥ open) goes open → low → high → close by default, a red
 * one open → high → low → close; the other path is the reverse order of the same bar.
 */
import { describe, expect, it } from "vitest";
import { HOUR, barsOf, plan, runScenario } from "../fixtures/bars.js";

// Signal at bar 0, long entry at bar 1's open (100), one unit, no fees. Bar 1 stays inside every level.
// Bar 2 is green (open 100, high 106, low 96, close 104): the default path goes to the low first.
const series = barsOf("X", [[100, 101, 99, 100], [100, 100.5, 99.5, 100], [100, 106, 96, 104], [104, 104, 104, 104]]);
const BAR2 = series.time[2];

describe("the other intrabar path of a path-dependent exit bar", () => {
  it("shows that the other path would have trailed out at 103.88 where the taken path hit the stop at 97", () => {
    // SL 3 % → 97. Trail 2 % behind the peak once the peak is 3 % up (≥ 103).
    // Taken (low first): 100 → 96 crosses the SL at 97 → SL 97, PnL −3.
    // Other (high first): 100 → 106 ends a favourable segment: peak 106 ≥ 103 activates the trail at
    // 106 × 0.98 = 103.88; 106 → 96 then reaches the trail (103.88) before the SL (97) → TRAIL 103.88, PnL +3.88.
    const trailing = plan({ stopLossPct: 0.03, trailing: { distancePct: 0.02, activationPct: 0.03, afterStage: 0 } });
    const result = runScenario(series, { 0: 1 }, trailing, { traceLevels: true });
    expect(result.fills.filter((f) => f.reason !== "ENTRY").map((f) => [f.reason, f.price, f.pathDependent])).toEqual([["SL", 97, true]]);
    const other = result.levelTrace?.byTrade().get(result.trades[0].id)?.otherPath;
    expect(other).toHaveLength(1);
    expect(other?.[0]).toMatchObject({ time: BAR2, order: "high-first", reason: ["TRAIL"], quantity: [1], taken: ["SL"], takenPnl: -3, openAfter: 0 });
    expect(other?.[0].price[0]).toBeCloseTo(103.88, 9);
    expect(other?.[0].pnl).toBeCloseTo(3.88, 9);
  });

  it("shows that the other path would have taken TP1 at 102 and TP2 at 105 before the stop", () => {
    // SL 97; TP1 +2 % (102) for half, TP2 +5 % (105) for the other half.
    // Taken (low first): SL 97 for the whole unit, PnL −3. Other (high first): 100 → 106 fills TP1 102 × 0.5
    // and TP2 105 × 0.5 → flat, PnL 1 + 2.5 = 3.5.
    const staged = plan({ stopLossPct: 0.03, stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.05, fraction: 0.5 }] });
    const result = runScenario(series, { 0: 1 }, staged, { traceLevels: true });
    const other = result.levelTrace?.byTrade().get(result.trades[0].id)?.otherPath;
    expect(other).toEqual([{ time: BAR2, order: "high-first", reason: ["TP1", "TP2"], price: [102, 105], quantity: [0.5, 0.5], taken: ["SL"], pnl: 3.5, takenPnl: -3, openAfter: 0 }]);
  });

  it("names the low-first path when the taken one went to the high first (optimistic mode)", () => {
    // Optimistic takes the favourable extreme (the high, for a long) first: TP1 and TP2 are taken; the other
    // path (low first) hits the SL at 97 for the whole unit.
    const staged = plan({ stopLossPct: 0.03, stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.05, fraction: 0.5 }] });
    const result = runScenario(series, { 0: 1 }, staged, { traceLevels: true, intrabarMode: "optimistic" });
    const other = result.levelTrace?.byTrade().get(result.trades[0].id)?.otherPath;
    expect(other).toEqual([{ time: BAR2, order: "low-first", reason: ["SL"], price: [97], quantity: [1], taken: ["TP1", "TP2"], pnl: -3, takenPnl: 3.5, openAfter: 0 }]);
  });

  it("keeps nothing when the run records no level trace, and nothing for a bar either path fills alike", () => {
    const staged = plan({ stopLossPct: 0.03, stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.05, fraction: 0.5 }] });
    expect(runScenario(series, { 0: 1 }, staged).levelTrace).toBeUndefined();
    // Red bar 2 (99 → 100 → 95 → 96) only reaches the SL: both paths give SL 97.
    const plain = barsOf("X", [[100, 101, 99, 100], [100, 100.5, 99.5, 100], [99, 100, 95, 96]]);
    const result = runScenario(plain, { 0: 1 }, staged, { traceLevels: true });
    expect(result.trades[0].pathDependent).toBe(false);
    expect(result.levelTrace?.byTrade().get(result.trades[0].id)?.otherPath).toBeUndefined();
  });
});

describe("the other intrabar path of a bar the taken path did not exit in (the seed's trailing stop that should have triggered)", () => {
  it("shows that the other path would have trailed out at 103.88 in a bar where the taken path filled nothing, without flagging the trade", () => {
    // Green bar 2 (100 → 99 → 106 → 105) taken low first: 99 stays above the SL (97); 100 → 106 raises the peak to
    // 106 and the trail to 103.88 at the segment's end; 106 → 105 stays above it: no fill, the trade runs on to the
    // end of the data. High first: 100 → 106 sets the trail at 103.88, 106 → 99 reaches it → TRAIL 103.88.
    const quiet = barsOf("X", [[100, 101, 99, 100], [100, 100.5, 99.5, 100], [100, 106, 99, 105], [105, 105, 105, 105]]);
    const trailing = plan({ stopLossPct: 0.03, trailing: { distancePct: 0.02, activationPct: 0.03, afterStage: 0 } });
    const result = runScenario(quiet, { 0: 1 }, trailing, { traceLevels: true });
    expect(result.fills.filter((f) => f.reason !== "ENTRY").map((f) => f.reason)).toEqual(["END"]);
    expect(result.trades[0].pathDependent).toBe(false);
    expect(result.counters.pathDependentFills).toBe(0);
    const other = result.levelTrace?.byTrade().get(result.trades[0].id)?.otherPath;
    expect(other).toHaveLength(1);
    expect(other?.[0]).toMatchObject({ time: quiet.time[2], order: "high-first", reason: ["TRAIL"], quantity: [1], taken: [], takenPnl: 0, openAfter: 0 });
    expect(other?.[0].price[0]).toBeCloseTo(103.88, 9);
  });
});

describe("the other intrabar path with detail bars", () => {
  it("replays the detail bar the exit happened in, and carries that detail bar's time", () => {
    // Bar 2 from two 30-minute bars: [100, 101, 99.5, 100.5] (peak 101 < 103: no trail yet) and
    // [100.5, 106, 96, 104] (green: low first → SL 97). The other path of the second detail bar (high first)
    // activates the trail at 106 × 0.98 = 103.88 and reaches it on the way down → TRAIL 103.88.
    const detail = barsOf("X", [[100, 101, 99.5, 100.5], [100.5, 106, 96, 104]], BAR2, HOUR / 2);
    const trailing = plan({ stopLossPct: 0.03, trailing: { distancePct: 0.02, activationPct: 0.03, afterStage: 0 } });
    const result = runScenario(series, { 0: 1 }, trailing, { traceLevels: true, detail });
    expect(result.fills.filter((f) => f.reason !== "ENTRY").map((f) => [f.reason, f.price, f.timeMs])).toEqual([["SL", 97, BAR2 + HOUR / 2]]);
    const other = result.levelTrace?.byTrade().get(result.trades[0].id)?.otherPath;
    expect(other).toHaveLength(1);
    expect(other?.[0]).toMatchObject({ time: BAR2 + HOUR / 2, order: "high-first", reason: ["TRAIL"], taken: ["SL"] });
    expect(other?.[0].price[0]).toBeCloseTo(103.88, 9);
  });
});

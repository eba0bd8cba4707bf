import { describe, expect, it } from "vitest";
import { DEFAULT_MATH_EXIT_SETTINGS, mathPlan } from "../../../strategies/exits/mathPlan.js";
import { validateExitPlan } from "../../../strategies/exits/validatePlan.js";

/** SPEC §10 mathematician vector: SL 3.00 %, TP 4.00 %, partial TP 2.00 %. */
const LEVELS = { slPct: 0.03, tpPct: 0.04, partialTpPct: 0.02 };

describe("math exit plan", () => {
  it("closes 50 % at the partial TP (TP1) and the rest at the TP (TP2), with the mathematician's SL", () => {
    expect(mathPlan(LEVELS)).toEqual({
      source: "math", stopLossPct: 0.03,
      stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.04, fraction: 0.5 }],
      trailing: null, breakevenOffsetPct: null, maxHoldingBars: null, fallback: false,
    });
  });

  it("has fractions summing to exactly 1 and is a valid plan", () => {
    const plan = mathPlan(LEVELS);
    expect(plan.stages[0].fraction + plan.stages[1].fraction).toBe(1);
    expect(validateExitPlan(plan)).toBeNull();
  });

  it("adds a trailing stop, breakeven and a time limit only when configured", () => {
    const trailing = { distancePct: 0.01, activationPct: null, afterStage: 1 };
    const plan = mathPlan(LEVELS, { ...DEFAULT_MATH_EXIT_SETTINGS, trailing, breakevenOffsetPct: 0.001, maxHoldingBars: 72 });
    expect(plan).toMatchObject({ trailing, breakevenOffsetPct: 0.001, maxHoldingBars: 72 });
  });
});

import { describe, expect, it } from "vitest";
import type { ExitPlan } from "../../../engine/index.js";
import { validateExitPlan } from "../../../strategies/exits/validatePlan.js";

const VALID: ExitPlan = {
  source: "harvest", stopLossPct: 0.03,
  stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.035, fraction: 0.5 }],
  trailing: { distancePct: 0.015, activationPct: 0.05, afterStage: 2 },
  breakevenOffsetPct: 0, maxHoldingBars: 10, fallback: false,
};
const variant = (overrides: Partial<ExitPlan>): ExitPlan => ({ ...VALID, ...overrides });
const trail = (overrides: Partial<NonNullable<ExitPlan["trailing"]>>) => variant({ trailing: { ...VALID.trailing!, ...overrides } });

describe("validateExitPlan", () => {
  it("accepts a valid plan, a plan with nothing switched on and equal stage moves", () => {
    expect(validateExitPlan(VALID)).toBeNull();
    expect(validateExitPlan(variant({ stopLossPct: null, stages: [], trailing: null, breakevenOffsetPct: null, maxHoldingBars: null }))).toBeNull();
    expect(validateExitPlan(variant({ stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.02, fraction: 0.5 }] }))).toBeNull();
  });

  it("accepts fractions summing to 1 within 1e-9", () => {
    expect(validateExitPlan(variant({ stages: [{ movePct: 0.01, fraction: 0.1 }, { movePct: 0.02, fraction: 0.2 }, { movePct: 0.03, fraction: 0.7 + 5e-10 }] }))).toBeNull();
  });

  it.each<[string, ExitPlan, RegExp]>([
    ["unsorted stages", variant({ stages: [{ movePct: 0.035, fraction: 0.5 }, { movePct: 0.02, fraction: 0.5 }] }), /sort the stages/],
    ["a zero move", variant({ stages: [{ movePct: 0, fraction: 1 }] }), /stages\[0\]\.movePct 0 must be above 0/],
    ["a negative move", variant({ stages: [{ movePct: -0.01, fraction: 1 }], trailing: null }), /movePct -0.01/],
    ["a NaN move", variant({ stages: [{ movePct: NaN, fraction: 1 }], trailing: null }), /movePct NaN/],
    ["a negative fraction", variant({ stages: [{ movePct: 0.02, fraction: -0.1 }, { movePct: 0.03, fraction: 0.5 }] }), /stages\[0\]\.fraction/],
    ["fractions summing over 1", variant({ stages: [{ movePct: 0.02, fraction: 0.6 }, { movePct: 0.03, fraction: 0.5 }] }), /sum to 1\.1/],
    ["a trailing distance of 0", trail({ distancePct: 0 }), /trailing\.distancePct/],
    ["a trailing distance of 1", trail({ distancePct: 1 }), /inside \(0, 1\)/],
    ["a negative activation", trail({ activationPct: -0.01 }), /activationPct/],
    ["afterStage beyond the stages", trail({ afterStage: 3 }), /afterStage 3 waits for more stages than the plan has \(2\)/],
    ["a fractional afterStage", trail({ afterStage: 0.5 }), /whole number/],
    ["a zero stop loss", variant({ stopLossPct: 0 }), /stopLossPct 0 must be above 0/],
    ["a negative stop loss", variant({ stopLossPct: -0.03 }), /stopLossPct/],
    ["a stop loss of 100 %", variant({ stopLossPct: 1 }), /below 1/],
    ["a breakeven offset of −100 %", variant({ breakevenOffsetPct: -1 }), /breakevenOffsetPct/],
    ["maxHoldingBars of 0", variant({ maxHoldingBars: 0 }), /maxHoldingBars 0/],
    ["fractional maxHoldingBars", variant({ maxHoldingBars: 2.5 }), /maxHoldingBars 2.5/],
  ])("rejects %s with a reason", (_, plan, reason) => {
    expect(validateExitPlan(plan)).toMatch(reason);
  });
});

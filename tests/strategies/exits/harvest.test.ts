import { describe, expect, it } from "vitest";
import { DEFAULT_HARVEST_SETTINGS, harvestPlan } from "../../../strategies/exits/harvest.js";
import { validateExitPlan } from "../../../strategies/exits/validatePlan.js";

describe("harvest exit plan", () => {
  it("defaults to SL 3 %, TP1 +2 % closing 50 %, TP2 +3.5 % closing 30 %, a 1.5 % trail from a 5 % peak", () => {
    expect(harvestPlan()).toEqual({
      source: "harvest", stopLossPct: 0.03,
      stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.035, fraction: 0.3 }],
      trailing: { distancePct: 0.015, activationPct: 0.05, afterStage: 0 },
      breakevenOffsetPct: null, maxHoldingBars: null, fallback: false,
    });
    expect(validateExitPlan(harvestPlan())).toBeNull();
  });

  it("leaves 20 % open after the two stages for the trailing stop", () => {
    const closedAtStages = harvestPlan().stages.reduce((sum, stage) => sum + stage.fraction, 0);
    expect(1 - closedAtStages).toBeCloseTo(0.2, 12);
  });

  it("turns on breakeven after TP1 and changes any level when configured", () => {
    const plan = harvestPlan({
      ...DEFAULT_HARVEST_SETTINGS, stopLossPct: 0.025, breakevenOffsetPct: 0, maxHoldingBars: 96,
      stages: [{ movePct: 0.015, fraction: 0.4 }, { movePct: 0.03, fraction: 0.4 }],
      trailing: { distancePct: 0.01, activationPct: 0.04, afterStage: 2 },
    });
    expect(plan).toMatchObject({
      stopLossPct: 0.025, breakevenOffsetPct: 0, maxHoldingBars: 96,
      stages: [{ movePct: 0.015, fraction: 0.4 }, { movePct: 0.03, fraction: 0.4 }],
      trailing: { distancePct: 0.01, activationPct: 0.04, afterStage: 2 },
    });
    expect(validateExitPlan(plan)).toBeNull();
  });
});

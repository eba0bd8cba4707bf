import { describe, expect, it } from "vitest";
import {
  DEFAULT_AI_TIER_SETTINGS, DEFAULT_AI_TIERS, aiTiersPlan, computeAiExitLevels, scoreMultiplier, selectAiTierRow,
  validateAiTierSettings, volatilityMultiplier, type AiEntryContext, type AiTierSettings,
} from "../../../strategies/exits/aiTiers.js";
import { staticPlan } from "../../../strategies/exits/staticPlan.js";
import { validateExitPlan } from "../../../strategies/exits/validatePlan.js";

/** No volatility adjustment (reference still warming up) and no score. */
const neutral = (confidence: number | null): AiEntryContext => ({ confidence, score: NaN, atrPct: 0.01, referenceAtrPct: NaN });
const INTERPOLATE: AiTierSettings = { ...DEFAULT_AI_TIER_SETTINGS, mode: { kind: "interpolate" } };

/** SPEC §5 table, as the spec prints it: confidence, TP %, SL %, trail %, closed at TP. */
const SPEC_TABLE = [
  [0.95, 9.19, 2.4, 2.4, 0.5],
  [0.75, 6.75, 3.75, 2.5, 0.6],
  [0.55, 5.38, 4.5, 2.4, 0.75],
  [0.25, 4.1, 5.0, 1.5, 1],
] as const;

describe("ai tiers: the SPEC §10 vectors", () => {
  it.each(SPEC_TABLE)("reproduces the row for confidence %s at neutral multipliers in step mode", (confidence, tp, sl, trail, fraction) => {
    const plan = aiTiersPlan(neutral(confidence));
    expect(plan.source).toBe("ai");
    expect(plan.fallback).toBe(false);
    expect(plan.stopLossPct).toBeCloseTo(sl / 100, 9);
    expect(plan.stages).toHaveLength(1);
    expect(plan.stages[0].movePct).toBeCloseTo(tp / 100, 9);
    expect(plan.stages[0].fraction).toBeCloseTo(fraction, 9);
    if (fraction < 1) {
      expect(plan.trailing?.distancePct).toBeCloseTo(trail / 100, 9);
      expect(plan.trailing?.activationPct).toBeNull();
      expect(plan.trailing?.afterStage).toBe(1);
    } else {
      expect(plan.trailing).toBeNull();
      expect(computeAiExitLevels(neutral(confidence))?.trailingStopPct).toBeCloseTo(trail / 100, 9);
    }
  });

  it("treats |score| = 0.4 as neutral too", () => {
    const levels = computeAiExitLevels({ confidence: 0.95, score: -0.4, atrPct: NaN, referenceAtrPct: 0.02 });
    expect(levels?.takeProfitPct).toBeCloseTo(0.0919, 9);
  });

  it("scales to TP 17.9205 %, SL 3.6 %, trail 3.6 %, 50 % at confidence 0.95, atrPct 0.04, reference 0.02, score −1", () => {
    const plan = aiTiersPlan({ confidence: 0.95, score: -1, atrPct: 0.04, referenceAtrPct: 0.02 });
    expect(plan.stages[0].movePct).toBeCloseTo(0.179205, 9);
    expect(plan.stopLossPct).toBeCloseTo(0.036, 9);
    expect(plan.trailing?.distancePct).toBeCloseTo(0.036, 9);
    expect(plan.stages[0].fraction).toBe(0.5);
  });

  it("interpolates at 0.85 to TP 7.97 %, SL 3.075 %, trail 2.45 %, 55 %", () => {
    const plan = aiTiersPlan(neutral(0.85), INTERPOLATE);
    expect(plan.stages[0].movePct).toBeCloseTo(0.0797, 9);
    expect(plan.stopLossPct).toBeCloseTo(0.03075, 9);
    expect(plan.trailing?.distancePct).toBeCloseTo(0.0245, 9);
    expect(plan.stages[0].fraction).toBeCloseTo(0.55, 9);
  });
});

describe("ai tiers: choosing the row", () => {
  const rowOf = (confidence: number, settings = DEFAULT_AI_TIER_SETTINGS) =>
    selectAiTierRow(confidence, settings.tiers, settings.mode).confidence;

  it("switches rows exactly at the step boundaries 0.85, 0.65 and 0.40", () => {
    expect([1, 0.85, 0.8499, 0.65, 0.6499, 0.4, 0.3999, 0].map((c) => rowOf(c)))
      .toEqual([0.95, 0.95, 0.75, 0.75, 0.55, 0.55, 0.25, 0.25]);
  });

  it("uses configured step boundaries", () => {
    const settings: AiTierSettings = { ...DEFAULT_AI_TIER_SETTINGS, mode: { kind: "step", minConfidence: [0.9, 0.7, 0.5] } };
    expect([0.9, 0.85, 0.7, 0.5, 0.45].map((c) => rowOf(c, settings))).toEqual([0.95, 0.75, 0.75, 0.55, 0.25]);
  });

  it("takes the end rows outside [0.25, 0.95] and the exact rows at their confidences in interpolate mode", () => {
    expect(selectAiTierRow(0.99, DEFAULT_AI_TIERS, { kind: "interpolate" })).toEqual(DEFAULT_AI_TIERS[0]);
    expect(selectAiTierRow(0.1, DEFAULT_AI_TIERS, { kind: "interpolate" })).toEqual(DEFAULT_AI_TIERS[3]);
    const middle = selectAiTierRow(0.55, DEFAULT_AI_TIERS, { kind: "interpolate" });
    expect(middle.takeProfitPct).toBeCloseTo(0.0538, 12);
    expect(middle.fractionClosedAtTakeProfit).toBeCloseTo(0.75, 12);
  });

  it("keeps a trailing stop on the remainder when interpolation leaves less than 100 % at TP", () => {
    const plan = aiTiersPlan(neutral(0.4), INTERPOLATE); // halfway between the 0.55 and 0.25 rows
    expect(plan.stages[0].fraction).toBeCloseTo(0.875, 12);
    expect(plan.trailing?.distancePct).toBeCloseTo(0.0195, 12);
  });
});

describe("ai tiers: multipliers", () => {
  it("clamps the volatility multiplier to 0.8..1.5", () => {
    expect(volatilityMultiplier(0.04, 0.02)).toBe(1.5);
    expect(volatilityMultiplier(0.01, 0.02)).toBe(0.8);
    expect(volatilityMultiplier(0.024, 0.02)).toBeCloseTo(1.2, 12);
  });

  it("uses a volatility multiplier of 1 while ATR or the 720-bar reference is missing", () => {
    expect(volatilityMultiplier(NaN, 0.02)).toBe(1);
    expect(volatilityMultiplier(0.04, NaN)).toBe(1);
    expect(volatilityMultiplier(0.04, 0)).toBe(1);
  });

  it("uses a configured fixed reference instead of the rolling median", () => {
    const settings: AiTierSettings = { ...DEFAULT_AI_TIER_SETTINGS, reference: { kind: "fixed", atrPct: 0.01 } };
    const levels = computeAiExitLevels({ confidence: 0.75, score: NaN, atrPct: 0.012, referenceAtrPct: NaN }, settings);
    expect(levels?.volatilityMultiplier).toBeCloseTo(1.2, 12);
    expect(levels?.stopLossPct).toBeCloseTo(0.0375 * 1.2, 12);
  });

  it("scales only the TP by 0.8 + 0.5 × |score|, clamped, and by 1 without a score", () => {
    expect([0, 0.4, -0.5, 1, -3].map(scoreMultiplier)).toEqual([0.8, 1, 1.05, 1.3, 1.3]);
    expect(scoreMultiplier(NaN)).toBe(1);
    expect(scoreMultiplier(null)).toBe(1);
    const levels = computeAiExitLevels({ confidence: 0.75, score: 1, atrPct: NaN, referenceAtrPct: NaN });
    expect(levels?.takeProfitPct).toBeCloseTo(0.0675 * 1.3, 12);
    expect(levels?.stopLossPct).toBeCloseTo(0.0375, 12);
    expect(levels?.trailingStopPct).toBeCloseTo(0.025, 12);
  });
});

describe("ai tiers: fallback to the static plan", () => {
  it.each([null, NaN, Infinity, -0.01, 1.01])("falls back to static with fallback = true for confidence %s", (confidence) => {
    expect(computeAiExitLevels(neutral(confidence))).toBeNull();
    const plan = aiTiersPlan(neutral(confidence));
    expect(plan).toEqual(staticPlan(DEFAULT_AI_TIER_SETTINGS.staticFallback, true));
    expect(plan.source).toBe("static");
    expect(plan.fallback).toBe(true);
    expect(plan.stopLossPct).toBe(0.03);
    expect(plan.stages).toEqual([{ movePct: 0.05, fraction: 1 }]);
  });

  it("uses the static settings it is given", () => {
    const settings: AiTierSettings = {
      ...DEFAULT_AI_TIER_SETTINGS, staticFallback: { stopLossPct: 0.02, takeProfitPct: null, maxHoldingBars: 48 },
    };
    expect(aiTiersPlan(neutral(null), settings)).toMatchObject({ stopLossPct: 0.02, stages: [], maxHoldingBars: 48, fallback: true });
  });

  it("accepts the edges 0 and 1 as real confidences", () => {
    expect(aiTiersPlan(neutral(0)).fallback).toBe(false);
    expect(aiTiersPlan(neutral(1)).fallback).toBe(false);
  });
});

describe("ai tiers: settings", () => {
  it("accepts the defaults and the interpolate mode", () => {
    expect(validateAiTierSettings(DEFAULT_AI_TIER_SETTINGS)).toBeNull();
    expect(validateAiTierSettings(INTERPOLATE)).toBeNull();
  });

  it("names what is wrong with unsorted rows, a wrong boundary count, unsorted boundaries or a bad reference", () => {
    const reversed = { ...INTERPOLATE, tiers: [...DEFAULT_AI_TIERS].reverse() };
    expect(validateAiTierSettings(reversed)).toMatch(/highest confidence first/);
    expect(validateAiTierSettings({ ...DEFAULT_AI_TIER_SETTINGS, mode: { kind: "step", minConfidence: [0.8] } })).toMatch(/1 boundaries for 4 rows/);
    expect(validateAiTierSettings({ ...DEFAULT_AI_TIER_SETTINGS, mode: { kind: "step", minConfidence: [0.4, 0.65, 0.85] } })).toMatch(/minConfidence\[1\]/);
    expect(validateAiTierSettings({ ...DEFAULT_AI_TIER_SETTINGS, reference: { kind: "fixed", atrPct: 0 } })).toMatch(/reference atrPct/);
    expect(validateAiTierSettings({ ...DEFAULT_AI_TIER_SETTINGS, tiers: [] })).toMatch(/at least one row/);
  });

  it("passes its maxHoldingBars into the plan", () => {
    expect(aiTiersPlan(neutral(0.9), { ...DEFAULT_AI_TIER_SETTINGS, maxHoldingBars: 24 }).maxHoldingBars).toBe(24);
  });

  it("produces valid plans across the table", () => {
    for (let c = 0; c <= 1; c += 0.01) {
      expect(validateExitPlan(aiTiersPlan({ confidence: c, score: -1, atrPct: 0.05, referenceAtrPct: 0.01 }, INTERPOLATE))).toBeNull();
      expect(validateExitPlan(aiTiersPlan(neutral(c)))).toBeNull();
    }
  });
});

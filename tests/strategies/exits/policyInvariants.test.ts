import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { ExitPlan } from "../../../engine/index.js";
import { DEFAULT_AI_TIER_SETTINGS, aiTiersPlan } from "../../../strategies/exits/aiTiers.js";
import { harvestPlan } from "../../../strategies/exits/harvest.js";
import { lsfPlan } from "../../../strategies/exits/lsf.js";
import { mathPlan } from "../../../strategies/exits/mathPlan.js";
import { validateExitPlan } from "../../../strategies/exits/validatePlan.js";
import { barsOf, runScenario } from "../../fixtures/bars.js";

const ratio = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const maybeNaN = (arbitrary: fc.Arbitrary<number>) => fc.oneof(arbitrary, fc.constant(NaN));

function expectSound(plan: ExitPlan): void {
  expect(validateExitPlan(plan)).toBeNull();
  expect(plan.stages.reduce((sum, stage) => sum + stage.fraction, 0)).toBeLessThanOrEqual(1);
}

describe("every policy's plan is valid for any entry context", () => {
  it("holds for ai in both modes, including fallbacks", () => {
    fc.assert(fc.property(
      fc.oneof(ratio(-0.5, 1.5), fc.constant(NaN), fc.constant(null)), maybeNaN(ratio(-1, 1)),
      maybeNaN(ratio(0, 0.5)), maybeNaN(ratio(0.0001, 0.5)), fc.boolean(),
      (confidence, score, atrPct, referenceAtrPct, interpolate) => {
        const settings = interpolate ? { ...DEFAULT_AI_TIER_SETTINGS, mode: { kind: "interpolate" } as const } : DEFAULT_AI_TIER_SETTINGS;
        expectSound(aiTiersPlan({ confidence, score, atrPct, referenceAtrPct }, settings));
      },
    ), { seed: 1, numRuns: 1000 });
  });

  it("holds for lsf at any leverage, funding, volatility and divergence, with fractions summing to exactly 1", () => {
    fc.assert(fc.property(
      ratio(1, 125), fc.constantFrom(1, -1) as fc.Arbitrary<1 | -1>, fc.oneof(ratio(-0.03, 0.03), fc.constant(null)),
      maybeNaN(ratio(0, 0.5)), ratio(0, 0.1),
      (leverage, side, lastFundingRate, volatilityFactor, exchangeDivergence) => {
        const plan = lsfPlan({ leverage, side, lastFundingRate, volatilityFactor, exchangeDivergence });
        expectSound(plan);
        expect(plan.stages.reduce((sum, stage) => sum + stage.fraction, 0)).toBe(1);
        expect(plan.stopLossPct).toBeGreaterThanOrEqual(0.0015);
        expect(plan.stopLossPct).toBeLessThanOrEqual(0.02);
      },
    ), { seed: 2, numRuns: 1000 });
  });

  it("holds for math and harvest", () => {
    fc.assert(fc.property(ratio(0.025, 0.03), ratio(0.03, 0.045), (slPct, tpPct) => {
      expectSound(mathPlan({ slPct, tpPct, partialTpPct: tpPct * 0.5 }));
    }), { seed: 3, numRuns: 1000 });
    expectSound(harvestPlan());
  });
});

describe("the engine executes the policies' plans", () => {
  it("closes a whole lsf position over TP1, TP2 and TP3 (the last stage takes the remainder)", () => {
    const plan = lsfPlan({ leverage: 10, side: 1, lastFundingRate: null, volatilityFactor: 0, exchangeDivergence: 0 });
    // Entry fills at 100; the bar rises through +0.89 %, +1.35 % and +1.87 %.
    const bars = barsOf("LSF", [[100, 100, 100, 100], [100, 102, 99.9, 101.5], [101.5, 101.6, 101.4, 101.5]]);
    const result = runScenario(bars, { 0: 1 }, plan, { sizing: { marginUsd: 0, leverage: 1, quantity: 3.3 } });
    const exits = result.fills.filter((fill) => fill.reason !== "ENTRY");
    expect(exits.map((fill) => fill.reason)).toEqual(["TP1", "TP2", "TP3"]);
    expect(exits[2].quantity).toBeCloseTo(3.3 * 0.4, 12);
    expect(result.openAtEnd).toHaveLength(0);
    expect(result.trades).toHaveLength(1);
  });

  it("runs the harvest scheme: TP1, TP2, then the trail on the last 20 %", () => {
    // Entry at 100; up to 106 (TP1 102, TP2 103.5, trail active from 105); then down through 104.41.
    const bars = barsOf("HRV", [[100, 100, 100, 100], [100, 106, 99.5, 105.5], [105.5, 105.6, 103, 103.2]]);
    const result = runScenario(bars, { 0: 1 }, harvestPlan());
    const exits = result.fills.filter((fill) => fill.reason !== "ENTRY");
    expect(exits.map((fill) => fill.reason)).toEqual(["TP1", "TP2", "TRAIL"]);
    expect(exits[2].quantity).toBeCloseTo(0.2, 12);
    expect(exits[2].price).toBeCloseTo(106 * 0.985, 9);
  });
});

import { describe, expect, it } from "vitest";
import {
  DEFAULT_LSF_SETTINGS, computeLsfLevels, fundingDeltaPct, leverageSensitivityFactor, lsfHarvestFractions, lsfPlan,
  type LsfEntryContext,
} from "../../../strategies/exits/lsf.js";
import { validateExitPlan } from "../../../strategies/exits/validatePlan.js";

/** SPEC §10: baseTp 0.01, baseSl 0.005, volatilityFactor = fundingDelta = exchangeDivergence = 0. */
const atLeverage = (leverage: number, overrides: Partial<LsfEntryContext> = {}): LsfEntryContext => ({
  leverage, side: 1, lastFundingRate: null, volatilityFactor: 0, exchangeDivergence: 0, ...overrides,
});

describe("lsf: the SPEC §10 vectors", () => {
  it("gives LSF 0.294300, tp1 0.008943, tp2 0.013471, tp3 0.018736, sl 0.007823 at L = 10", () => {
    const levels = computeLsfLevels(atLeverage(10));
    expect(levels.leverageSensitivity).toBeCloseTo(0.2943, 6);
    expect(levels.takeProfitPcts[0]).toBeCloseTo(0.008943, 6);
    expect(levels.takeProfitPcts[1]).toBeCloseTo(0.013471, 6);
    expect(levels.takeProfitPcts[2]).toBeCloseTo(0.018736, 6);
    expect(levels.stopLossPct).toBeCloseTo(0.007823, 6);
  });

  it("gives LSF 0.590616, tp1 0.011906, sl 0.006638 at L = 1", () => {
    const levels = computeLsfLevels(atLeverage(1));
    expect(leverageSensitivityFactor(1)).toBeCloseTo(0.590616, 6);
    expect(levels.takeProfitPcts[0]).toBeCloseTo(0.011906, 6);
    expect(levels.stopLossPct).toBeCloseTo(0.006638, 6);
  });

  it.each([
    [10, [0.3, 0.3, 0.4]],
    [20, [0.4, 0.4, 0.2]],
    [50, [0.5, 0.3, 0.2]],
  ] as const)("harvests at L = %s as %j", (leverage, expected) => {
    const fractions = lsfHarvestFractions(leverage);
    expected.forEach((fraction, k) => expect(fractions[k]).toBeCloseTo(fraction, 15));
    const plan = lsfPlan(atLeverage(leverage));
    expect(plan.stages.map((stage) => stage.fraction)).toEqual([...fractions]);
  });
});

describe("lsf: harvest schemes", () => {
  it("puts the boundaries at L = 10 and L = 30 on the lower scheme", () => {
    expect(lsfHarvestFractions(1)[0]).toBe(0.3);
    expect(lsfHarvestFractions(10)[0]).toBe(0.3);
    expect(lsfHarvestFractions(10.5)[0]).toBe(0.4);
    expect(lsfHarvestFractions(30)[0]).toBe(0.4);
    expect(lsfHarvestFractions(30.5)[0]).toBe(0.5);
  });

  it("makes the fractions sum to exactly 1 so the last stage closes everything", () => {
    for (const leverage of [1, 10, 20, 50]) {
      const plan = lsfPlan(atLeverage(leverage));
      expect(plan.stages.reduce((sum, stage) => sum + stage.fraction, 0)).toBe(1);
    }
  });
});

describe("lsf: the plan", () => {
  it("is three TP stages and an SL with no trailing stop or breakeven by default", () => {
    const plan = lsfPlan(atLeverage(10));
    const levels = computeLsfLevels(atLeverage(10));
    expect(plan).toEqual({
      source: "lsf", stopLossPct: levels.stopLossPct,
      stages: [
        { movePct: levels.takeProfitPcts[0], fraction: 0.3 },
        { movePct: levels.takeProfitPcts[1], fraction: 0.3 },
        { movePct: levels.takeProfitPcts[2], fraction: levels.harvestFractions[2] },
      ],
      trailing: null, breakevenOffsetPct: null, maxHoldingBars: null, fallback: false,
    });
    expect(validateExitPlan(plan)).toBeNull();
  });

  it("adds a trailing stop and breakeven only when configured", () => {
    const trailing = { distancePct: 0.005, activationPct: 0.01, afterStage: 1 };
    const plan = lsfPlan(atLeverage(10), { ...DEFAULT_LSF_SETTINGS, trailing, breakevenOffsetPct: 0 });
    expect(plan.trailing).toEqual(trailing);
    expect(plan.breakevenOffsetPct).toBe(0);
  });

  it("widens the SL as leverage grows (the formula, not the seed's comment)", () => {
    const sl = [1, 10, 50].map((leverage) => computeLsfLevels(atLeverage(leverage)).stopLossPct);
    expect(sl[0]).toBeLessThan(sl[1]);
    expect(sl[1]).toBeLessThan(sl[2]);
  });
});

describe("lsf: clamps", () => {
  it("floors the SL at 0.0015", () => {
    const levels = computeLsfLevels(atLeverage(10), { ...DEFAULT_LSF_SETTINGS, baseStopLossPct: 0.0005 });
    expect(levels.stopLossPct).toBe(0.0015);
  });

  it("caps the SL at 0.02 after the volatility and divergence scaling", () => {
    expect(computeLsfLevels(atLeverage(10, { volatilityFactor: 10 })).stopLossPct).toBe(0.02);
    expect(computeLsfLevels(atLeverage(10, { exchangeDivergence: 5 })).stopLossPct).toBe(0.02);
  });

  it("scales the SL by 1 + divergence × 0.4 + volatility × 0.2 below the cap", () => {
    const scaled = computeLsfLevels(atLeverage(10, { volatilityFactor: 0.05, exchangeDivergence: 0.1 })).stopLossPct;
    expect(scaled).toBeCloseTo(0.005 * (1 + (1 - leverageSensitivityFactor(10)) * 0.8) * (1 + 0.04 + 0.01), 12);
  });

  it("floors every TP at 0.003, keeping the stages in order", () => {
    const levels = computeLsfLevels(atLeverage(10), { ...DEFAULT_LSF_SETTINGS, baseTakeProfitPct: 0.002 });
    expect(levels.takeProfitPcts[0]).toBe(0.003);
    expect(levels.takeProfitPcts[2]).toBeCloseTo(0.002 * (1.8 + leverageSensitivityFactor(10) / 4), 12);
    const crushed = computeLsfLevels(atLeverage(10, { lastFundingRate: 0.02 })); // delta −2 %: scale 1 − 1.6 < 0
    expect(crushed.takeProfitPcts).toEqual([0.003, 0.003, 0.003]);
    expect(validateExitPlan(lsfPlan(atLeverage(10, { lastFundingRate: 0.02 })))).toBeNull();
  });

  it("takes a volatility factor that is still warming up (NaN) as 0", () => {
    expect(computeLsfLevels(atLeverage(10, { volatilityFactor: NaN })).stopLossPct).toBeCloseTo(0.007823, 6);
  });
});

describe("lsf: funding delta", () => {
  it("is positive for a short and negative for a long when longs pay (rate > 0), in percent", () => {
    expect(fundingDeltaPct(1, 0.0001)).toBeCloseTo(-0.01, 15);
    expect(fundingDeltaPct(-1, 0.0001)).toBeCloseTo(0.01, 15);
    expect(fundingDeltaPct(1, -0.0003)).toBeCloseTo(0.03, 15);
  });

  it("is 0 without funding data", () => {
    expect(fundingDeltaPct(1, null)).toBe(0);
    expect(fundingDeltaPct(-1, NaN)).toBe(0);
  });

  it("widens the TPs of the side that receives funding by 1 + delta × 0.8", () => {
    const base = computeLsfLevels(atLeverage(10)).takeProfitPcts[0];
    const short = computeLsfLevels(atLeverage(10, { side: -1, lastFundingRate: 0.001 })); // +0.1 % per 8 h
    const long = computeLsfLevels(atLeverage(10, { side: 1, lastFundingRate: 0.001 }));
    expect(short.fundingDeltaPct).toBeCloseTo(0.1, 15);
    expect(short.takeProfitPcts[0]).toBeCloseTo(base * 1.08, 12);
    expect(long.takeProfitPcts[0]).toBeCloseTo(base * 0.92, 12);
  });
});

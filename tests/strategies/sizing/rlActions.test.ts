import { describe, expect, it } from "vitest";
import { DEFAULT_MATHEMATICIAN_SETTINGS, sizeWithMathematician } from "../../../strategies/sizing/mathematician.js";
import { NO_PERFORMANCE } from "../../../strategies/sizing/performance.js";
import {
  actionLayoutOf, applyAction, decodeAction, DEFAULT_RL_ACTION_SETTINGS as DEFAULTS, describeAction, encodeAction,
} from "../../../strategies/sizing/rlActions.js";

const BASE = sizeWithMathematician({
  account: { balanceUsd: 10_000, equityUsd: 10_000, marginUsedUsd: 0, openPositions: 0, maxPositions: 10 },
  market: { atrPct: 0.1, dailyVolatility: 0.06, trendStrength: 0.5, liquidityScore: 1 },
  performance: NO_PERFORMANCE,
  confidence: 0.48,
});
const FULL = { ...DEFAULTS, leverageSource: "action" as const, tpSlSource: "action" as const };

describe("RL action space", () => {
  it("is the product of the enabled dimensions", () => {
    expect(actionLayoutOf(DEFAULTS).count).toBe(5);
    expect(actionLayoutOf({ ...DEFAULTS, leverageSource: "action" }).count).toBe(25);
    expect(actionLayoutOf({ ...DEFAULTS, tpSlSource: "action" }).count).toBe(15);
    expect(actionLayoutOf(FULL).count).toBe(75);
  });
  it("decodes what it encodes in every layout", () => {
    for (const settings of [DEFAULTS, FULL, { ...DEFAULTS, tpSlSource: "action" as const }]) {
      const layout = actionLayoutOf(settings);
      for (let id = 0; id < layout.count; id++) expect(encodeAction(layout, decodeAction(layout, id))).toBe(id);
    }
    expect(decodeAction(actionLayoutOf(DEFAULTS), 2)).toEqual({ size: 0.25, leverage: null, style: null });
    expect(describeAction(actionLayoutOf(FULL), 74)).toBe("size=1 leverage=5x style=aggressive");
  });
  it("refuses an action that is not in the layout", () => {
    expect(() => encodeAction(actionLayoutOf(DEFAULTS), { size: 1, leverage: 3, style: null })).toThrow(RangeError);
    expect(() => decodeAction(actionLayoutOf(DEFAULTS), 5)).toThrow(RangeError);
  });
});

describe("applying an RL action to the mathematician's decision", () => {
  it("uses the minimum position for 'minimum' and a fraction of the margin otherwise", () => {
    expect(applyAction(BASE, { size: "minimum", leverage: null, style: null }).marginUsd).toBe(10);
    const quarter = applyAction(BASE, { size: 0.25, leverage: null, style: null });
    expect(quarter.marginUsd).toBe(2000);
    expect(quarter.leverage).toBe(10);
    expect(quarter.notionalUsd).toBe(20_000);
    expect(quarter.tpPct).toBe(BASE.tpPct);
  });
  it("never sizes a fraction below the minimum position", () => {
    const small = { ...BASE, marginUsd: 50 };
    expect(applyAction(small, { size: 0.1, leverage: null, style: null }).marginUsd).toBe(10);
  });
  it("sets the leverage when the leverage dimension is enabled, bounded by the safety cap", () => {
    const action = { size: 1 as const, leverage: 3, style: null };
    expect(applyAction(BASE, action, FULL)).toMatchObject({ leverage: 3, notionalUsd: 24_000, leverageBasis: "rl-action" });
    const capped = { ...DEFAULT_MATHEMATICIAN_SETTINGS, kelly: { ...DEFAULT_MATHEMATICIAN_SETTINGS.kelly, safetyCap: 2 } };
    expect(applyAction(BASE, action, FULL, capped).leverage).toBe(2);
  });
  it("scales TP and SL by the chosen style and recomputes the money figures", () => {
    const aggressive = applyAction(BASE, { size: 1, leverage: null, style: "aggressive" }, FULL);
    expect(aggressive.tpPct).toBeCloseTo(0.05, 12);
    expect(aggressive.slPct).toBeCloseTo(0.036, 12);
    expect(aggressive.partialTpPct).toBeCloseTo(0.025, 12);
    expect(aggressive.expectedProfitUsd).toBeCloseTo(4000, 6);
    expect(aggressive.maxLossUsd).toBeCloseTo(2880, 6);
    const conservative = applyAction(BASE, { size: 1, leverage: null, style: "conservative" }, FULL);
    expect(conservative.tpPct).toBeCloseTo(0.032, 12);
    expect(conservative.slPct).toBeCloseTo(0.024, 12);
    expect(applyAction(BASE, { size: 1, leverage: null, style: "balanced" }, FULL)).toEqual(BASE);
  });
});

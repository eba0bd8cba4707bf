import { describe, expect, it } from "vitest";
import { DEFAULT_KELLY_SETTINGS as DEFAULTS, kellyLeverage, type KellyInput } from "../../../strategies/sizing/kelly.js";

const input = (overrides: Partial<KellyInput>): KellyInput => ({
  closedTrades: 20, winRate: 0.6, avgWinPct: 0.03, avgLossPct: 0.02, confidence: 0.5, ...overrides,
});

describe("Kelly leverage", () => {
  it("uses 10× with fewer than 10 closed trades", () => {
    expect(kellyLeverage(input({ closedTrades: 0 }))).toMatchObject({ leverage: 10, basis: "limited-history" });
    expect(kellyLeverage(input({ closedTrades: 9, winRate: 0 })).leverage).toBe(10);
  });
  it("bounds the limited-history 10× by a safety cap below 10", () => {
    expect(kellyLeverage(input({ closedTrades: 3 }), { ...DEFAULTS, safetyCap: 4 }).leverage).toBe(4);
  });
  it("returns 1× when there is no edge", () => {
    expect(kellyLeverage(input({ winRate: 0.4, avgWinPct: 0.01, avgLossPct: 0.02 }))).toMatchObject({ leverage: 1, basis: "no-edge" });
    expect(kellyLeverage(input({ winRate: 0.5, avgWinPct: 0.02, avgLossPct: 0.02 })).basis).toBe("no-edge");
  });
  it("scales edge / variance by the confidence", () => {
    // edge = 0.6·0.03 − 0.4·0.02 = 0.01; variance = 0.6·0.0009 + 0.4·0.0004 = 0.0007; Kelly = 14.2857…
    expect(kellyLeverage(input({ confidence: 0.7 })).leverage).toBeCloseTo(10, 9);
    expect(kellyLeverage(input({ confidence: 0.5 })).leverage).toBeCloseTo(0.01 / 0.0007 / 2, 9);
    expect(kellyLeverage(input({ confidence: 0.5 })).kellyFraction).toBeCloseTo(0.01 / 0.0007, 9);
  });
  it("is capped at the safety cap (default 25)", () => {
    // edge = 0.018, variance = 0.00066 → 27.27 × 1.
    expect(kellyLeverage(input({ winRate: 0.7, avgWinPct: 0.03, avgLossPct: 0.01, confidence: 1 }))).toMatchObject({ leverage: 25, basis: "capped" });
    expect(kellyLeverage(input({ confidence: 1 }), { ...DEFAULTS, safetyCap: 12 }).leverage).toBe(12);
  });
  it("is at least 1× when a small edge meets a low confidence", () => {
    expect(kellyLeverage(input({ confidence: 0.05 })).leverage).toBe(1);
  });
  it("clamps the win rate to [0.01, 0.99] and floors average win and loss at 0.001", () => {
    const w = 0.99;
    const edge = w * 0.02 - (1 - w) * 0.001;
    const variance = w * 0.02 ** 2 + (1 - w) * 0.001 ** 2;
    expect(kellyLeverage(input({ winRate: 1, avgWinPct: 0.02, avgLossPct: 0, confidence: 0.3 })).leverage).toBeCloseTo((edge / variance) * 0.3, 9);
    expect(kellyLeverage(input({ winRate: 0, avgWinPct: 0, avgLossPct: 0 })).basis).toBe("no-edge");
  });
  it("treats a missing confidence as 0, giving the minimum leverage", () => {
    expect(kellyLeverage(input({ confidence: NaN })).leverage).toBe(1);
  });
});

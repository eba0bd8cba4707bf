import { describe, expect, it } from "vitest";
import {
  CONFIDENCE_BUCKETS, confidenceBucketOf, decodeState, DEFAULT_RL_STATE_SETTINGS, describeState, encodeState, EXPOSURE_BUCKETS,
  exposureBucketOf, PERFORMANCE_BUCKETS, performanceBucketOf, regimeOf, REGIMES, STATE_COUNT, stateIdOf, type RlStateParts,
} from "../../../strategies/sizing/rlState.js";

const allParts: RlStateParts[] = REGIMES.flatMap((regime) => CONFIDENCE_BUCKETS.flatMap((confidence) =>
  EXPOSURE_BUCKETS.flatMap((exposure) => PERFORMANCE_BUCKETS.map((performance) => ({ regime, confidence, exposure, performance })))));

describe("RL state encoding", () => {
  it("has exactly 300 distinct states coded 0..299", () => {
    expect(STATE_COUNT).toBe(300);
    expect(allParts).toHaveLength(300);
    const codes = allParts.map(encodeState);
    expect(new Set(codes).size).toBe(300);
    expect(codes.every((code) => Number.isInteger(code) && code >= 0 && code < 300)).toBe(true);
  });
  it("decodes what it encodes, both ways", () => {
    for (const parts of allParts) expect(decodeState(encodeState(parts))).toEqual(parts);
    for (let id = 0; id < STATE_COUNT; id++) expect(encodeState(decodeState(id))).toBe(id);
  });
  it("refuses ids outside 0..299", () => {
    expect(() => decodeState(300)).toThrow(RangeError);
    expect(() => decodeState(-1)).toThrow(RangeError);
    expect(() => decodeState(1.5)).toThrow(RangeError);
  });
  it("describes a state for reports", () => {
    expect(describeState(0)).toBe("HIGH_VOL_TRENDING/VERY_HIGH/LIGHT/LOSING");
    expect(describeState(299)).toBe("CHOPPY/VERY_LOW/MAX/WINNING");
  });
});

describe("RL state buckets", () => {
  const regime = (trendStrength: number, dailyVolatility: number, atrPct = 0.01) => regimeOf({ trendStrength, dailyVolatility, atrPct });

  it("splits trending (ADX ≥ 25) from ranging, and high from low daily volatility (≥ 5 %)", () => {
    expect(regime(0.3, 0.06)).toBe("HIGH_VOL_TRENDING");
    expect(regime(0.25, 0.03)).toBe("LOW_VOL_TRENDING");
    expect(regime(0.2, 0.05)).toBe("HIGH_VOL_RANGING");
    expect(regime(0.2, 0.03)).toBe("LOW_VOL_RANGING");
  });
  it("calls a directionless (ADX < 15), volatile market CHOPPY", () => {
    expect(regime(0.1, 0.08)).toBe("CHOPPY");
    expect(regime(0.1, 0.02)).toBe("LOW_VOL_RANGING");
  });
  it("counts missing volatility as low and a missing trend as ranging", () => {
    expect(regime(0.4, NaN)).toBe("LOW_VOL_TRENDING");
    expect(regime(NaN, 0.08)).toBe("HIGH_VOL_RANGING");
  });
  it("can measure volatility by ATR % instead", () => {
    const byAtr = { ...DEFAULT_RL_STATE_SETTINGS, volatilityMeasure: "atrPct" as const, highVolatilityAtLeast: 0.02 };
    expect(regimeOf({ trendStrength: 0.5, dailyVolatility: 0.01, atrPct: 0.03 }, byAtr)).toBe("HIGH_VOL_TRENDING");
  });
  it("buckets confidence at 0.85, 0.70, 0.55 and 0.45", () => {
    expect([0.85, 0.8499, 0.7, 0.6999, 0.55, 0.45, 0.4499, NaN].map(confidenceBucketOf))
      .toEqual(["VERY_HIGH", "HIGH", "HIGH", "MEDIUM", "MEDIUM", "LOW", "VERY_LOW", "VERY_LOW"]);
  });
  it("buckets exposure = margin used / equity at 30, 60 and 80 %", () => {
    expect([0, 2999, 3000, 6000, 7999, 8000].map((margin) => exposureBucketOf(margin, 10_000)))
      .toEqual(["LIGHT", "LIGHT", "MODERATE", "HEAVY", "HEAVY", "MAX"]);
    expect(exposureBucketOf(0, 0)).toBe("MAX");
  });
  it("buckets recent performance by a ±0.2 % band, flat without history", () => {
    expect([0.0021, 0.002, -0.002, -0.0021, NaN].map((mean) => performanceBucketOf(mean)))
      .toEqual(["WINNING", "FLAT", "FLAT", "LOSING", "FLAT"]);
  });
  it("builds the state id from the decision's inputs", () => {
    const id = stateIdOf({ atrPct: 0.01, dailyVolatility: 0.06, trendStrength: 0.4, confidence: 0.9, marginUsedUsd: 0, equityUsd: 1000, recentMeanReturnPct: 0.01 });
    expect(decodeState(id)).toEqual({ regime: "HIGH_VOL_TRENDING", confidence: "VERY_HIGH", exposure: "LIGHT", performance: "WINNING" });
  });
});

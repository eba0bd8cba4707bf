import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MATHEMATICIAN_SETTINGS as DEFAULTS, marginUsdFor, sizeWithMathematician, stopLossPctFor, takeProfitPctFor,
  type AccountSnapshot, type MarketConditions, type MathematicianInput, type MathematicianSettings,
} from "../../../strategies/sizing/mathematician.js";
import { NO_PERFORMANCE, type PerformanceStats } from "../../../strategies/sizing/performance.js";

const account = (overrides: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
  balanceUsd: 10_000, equityUsd: 10_000, marginUsedUsd: 0, openPositions: 0, maxPositions: 10, ...overrides,
});
const market = (overrides: Partial<MarketConditions> = {}): MarketConditions => ({
  atrPct: 0.01, dailyVolatility: 0.03, trendStrength: 0.5, liquidityScore: 1, ...overrides,
});
const history = (overrides: Partial<PerformanceStats>): PerformanceStats => ({ ...NO_PERFORMANCE, ...overrides });
const conservative: MathematicianSettings = { ...DEFAULTS, mode: "conservative" };

describe("SPEC §10 mathematician vector", () => {
  it("sizes balance 10,000, risk 0.80, no history, ATR 10 %, daily vol 6 %, trend 0.5, confidence 0.48", () => {
    const input: MathematicianInput = {
      account: account({ balanceUsd: 10_000 }),
      market: market({ atrPct: 0.1, dailyVolatility: 0.06, trendStrength: 0.5 }),
      performance: NO_PERFORMANCE,
      confidence: 0.48,
    };
    const decision = sizeWithMathematician(input, { ...DEFAULTS, riskPerTradePct: 0.8 });
    expect(decision.marginUsd).toBeCloseTo(8000, 6);
    expect(decision.slPct).toBeCloseTo(0.03, 12);
    expect(decision.tpPct).toBeCloseTo(0.04, 12);
    expect(decision.partialTpPct).toBeCloseTo(0.02, 12);
    expect(decision.partialCloseFraction).toBe(0.5);
    expect(decision.leverage).toBe(10);
    expect(decision.notionalUsd).toBeCloseTo(80_000, 6);
    expect(decision.expectedProfitUsd).toBeCloseTo(3200, 6);
    expect(decision.maxLossUsd).toBeCloseTo(2400, 6);
    expect(decision.riskReward).toBeCloseTo(1.33, 2);
    expect(decision.confidence).toBe(0.48);
    expect(decision.leverageBasis).toBe("limited-history");
  });
});

describe("margin (FORMEL 1)", () => {
  it("uses balance × riskPerTradePct when enough margin is available", () => {
    expect(marginUsdFor(account({ balanceUsd: 5000 }))).toBeCloseTo(4000, 9);
  });
  it("uses 95 % of the available margin when it is below the target", () => {
    expect(marginUsdFor(account({ balanceUsd: 10_000, marginUsedUsd: 5000 }))).toBeCloseTo(4750, 9);
  });
  it("clamps to maxPositionUsd 8,000 and minPositionUsd 10", () => {
    expect(marginUsdFor(account({ balanceUsd: 100_000 }))).toBe(8000);
    expect(marginUsdFor(account({ balanceUsd: 10 }))).toBe(10);
    expect(marginUsdFor(account({ balanceUsd: 1000, marginUsedUsd: 1000 }))).toBe(10);
  });
});

describe("stop loss (FORMEL 2)", () => {
  it("is 2 × ATR inside the band", () => {
    expect(stopLossPctFor(market({ atrPct: 0.0135 }), NO_PERFORMANCE)).toBeCloseTo(0.027, 12);
  });
  it("tightens by 0.9 in a strong trend (> 0.7) and widens by 1.15 in a weak one (< 0.3)", () => {
    expect(stopLossPctFor(market({ atrPct: 0.016, trendStrength: 0.8 }), NO_PERFORMANCE)).toBeCloseTo(0.0288, 12);
    expect(stopLossPctFor(market({ atrPct: 0.012, trendStrength: 0.2 }), NO_PERFORMANCE)).toBeCloseTo(0.0276, 12);
  });
  it("does not adjust at exactly 0.7 or 0.3", () => {
    expect(stopLossPctFor(market({ atrPct: 0.0135, trendStrength: 0.7 }), NO_PERFORMANCE)).toBeCloseTo(0.027, 12);
    expect(stopLossPctFor(market({ atrPct: 0.0135, trendStrength: 0.3 }), NO_PERFORMANCE)).toBeCloseTo(0.027, 12);
  });
  it("takes 95 % of the average loss when a closed loser's average exceeds 1.3 × the SL", () => {
    const losing = history({ totalTrades: 1, closedLosingTrades: 1, avgLossPct: 0.028 });
    expect(stopLossPctFor(market({ atrPct: 0.01 }), losing)).toBeCloseTo(0.0266, 12);
    expect(stopLossPctFor(market({ atrPct: 0.0125 }), losing)).toBeCloseTo(0.025, 12); // 0.028 < 0.025 × 1.3
  });
  it("ignores the average loss when no losing trade has closed", () => {
    expect(stopLossPctFor(market({ atrPct: 0.01 }), history({ avgLossPct: 0.028 }))).toBe(0.025);
  });
  it("widens by 1.2 in conservative mode", () => {
    expect(stopLossPctFor(market({ atrPct: 0.011 }), NO_PERFORMANCE, conservative)).toBeCloseTo(0.0264, 12);
  });
  it("clamps to [2.5 %, 3.0 %]", () => {
    expect(stopLossPctFor(market({ atrPct: 0.005 }), NO_PERFORMANCE)).toBe(0.025);
    expect(stopLossPctFor(market({ atrPct: 0.1 }), NO_PERFORMANCE)).toBe(0.03);
  });
});

describe("take profit (FORMEL 3)", () => {
  it("is 3.5 % at middling volatility, 4.0 % above 5 % and 3.0 % below 2 %", () => {
    expect(takeProfitPctFor(market({ dailyVolatility: 0.03 }), NO_PERFORMANCE)).toBe(0.035);
    expect(takeProfitPctFor(market({ dailyVolatility: 0.05 }), NO_PERFORMANCE)).toBe(0.035);
    expect(takeProfitPctFor(market({ dailyVolatility: 0.051 }), NO_PERFORMANCE)).toBe(0.04);
    expect(takeProfitPctFor(market({ dailyVolatility: 0.019 }), NO_PERFORMANCE)).toBe(0.03);
  });
  it("stretches by 1.1 in a strong trend", () => {
    expect(takeProfitPctFor(market({ dailyVolatility: 0.03, trendStrength: 0.8 }), NO_PERFORMANCE)).toBeCloseTo(0.0385, 12);
    expect(takeProfitPctFor(market({ dailyVolatility: 0.06, trendStrength: 0.8 }), NO_PERFORMANCE)).toBeCloseTo(0.044, 12);
  });
  it("takes 90 % of the average win when a closed winner's average is below the TP", () => {
    const winning = (avgWinPct: number) => history({ totalTrades: 1, closedWinningTrades: 1, winRate: 1, avgWinPct });
    expect(takeProfitPctFor(market({ dailyVolatility: 0.06 }), winning(0.036))).toBeCloseTo(0.0324, 12);
    expect(takeProfitPctFor(market({ dailyVolatility: 0.06 }), winning(0.02))).toBe(0.03);
    expect(takeProfitPctFor(market({ dailyVolatility: 0.06 }), winning(0.05))).toBe(0.04);
  });
  it("ignores the average win when no winning trade has closed", () => {
    expect(takeProfitPctFor(market({ dailyVolatility: 0.06 }), history({ avgWinPct: 0 }))).toBe(0.04);
  });
  it("clamps to [3.0 %, 4.5 %]", () => {
    const wide = { ...DEFAULTS, takeProfit: { ...DEFAULTS.takeProfit, highVolatilityPct: 0.06 } };
    expect(takeProfitPctFor(market({ dailyVolatility: 0.06 }), NO_PERFORMANCE, wide)).toBe(0.045);
  });
  it("sets the partial TP at half the TP, closing 50 %", () => {
    const decision = sizeWithMathematician({ account: account(), market: market({ dailyVolatility: 0.03 }), performance: NO_PERFORMANCE, confidence: 0.6 });
    expect(decision.partialTpPct).toBeCloseTo(0.0175, 12);
    expect(decision.partialCloseFraction).toBe(0.5);
  });
});

describe("missing market inputs (indicator warm-up)", () => {
  it("gives the SL floor when ATR is missing and no loser has closed", () => {
    expect(stopLossPctFor(market({ atrPct: NaN }), NO_PERFORMANCE)).toBe(0.025);
    expect(stopLossPctFor(market({ atrPct: NaN }), NO_PERFORMANCE, conservative)).toBe(0.025);
  });
  it("still lets a losing history widen the SL when ATR is missing", () => {
    const losing = history({ totalTrades: 1, closedLosingTrades: 1, avgLossPct: 0.028 });
    expect(stopLossPctFor(market({ atrPct: NaN }), losing)).toBeCloseTo(0.0266, 12);
  });
  it("gives the middle TP when the daily volatility is missing", () => {
    expect(takeProfitPctFor(market({ dailyVolatility: NaN }), NO_PERFORMANCE)).toBe(0.035);
  });
  it("treats a missing trend strength as 0.5, adjusting neither SL nor TP", () => {
    expect(stopLossPctFor(market({ atrPct: 0.0135, trendStrength: NaN }), NO_PERFORMANCE)).toBeCloseTo(0.027, 12);
    expect(takeProfitPctFor(market({ dailyVolatility: 0.03, trendStrength: NaN }), NO_PERFORMANCE)).toBe(0.035);
  });
  it("produces a finite decision when every market input is missing", () => {
    const decision = sizeWithMathematician({
      account: account(), market: market({ atrPct: NaN, dailyVolatility: NaN, trendStrength: NaN, liquidityScore: NaN }),
      performance: NO_PERFORMANCE, confidence: NaN,
    });
    expect([decision.marginUsd, decision.leverage, decision.slPct, decision.tpPct, decision.riskReward].every(Number.isFinite)).toBe(true);
    expect(decision.slPct).toBe(0.025);
    expect(decision.tpPct).toBe(0.035);
  });
});

describe("leverage inside the mathematician", () => {
  it("bounds the limited-history 10× by a lower safety cap", () => {
    const capped = { ...DEFAULTS, kelly: { ...DEFAULTS.kelly, safetyCap: 5 } };
    expect(sizeWithMathematician({ account: account(), market: market(), performance: NO_PERFORMANCE, confidence: 0.9 }, capped).leverage).toBe(5);
  });
});

describe("mathematician invariants", () => {
  const maybeMissing = (arbitrary: fc.Arbitrary<number>) => fc.oneof(arbitrary, fc.constant(NaN));
  const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

  it("keeps every output within its clamps for any finite account, market and history", () => {
    fc.assert(fc.property(
      finite(0, 1e9), finite(0, 1e9), maybeMissing(finite(0, 1)), maybeMissing(finite(0, 2)), maybeMissing(finite(0, 1)),
      fc.nat(1000), finite(0, 1), finite(0, 0.5), finite(0, 0.5), maybeMissing(finite(0, 1)), fc.boolean(),
      (balanceUsd, marginUsedUsd, atrPct, dailyVolatility, trendStrength, totalTrades, winRate, avgWinPct, avgLossPct, confidence, isConservative) => {
        const wins = Math.round(totalTrades * winRate);
        const decision = sizeWithMathematician({
          account: account({ balanceUsd, equityUsd: balanceUsd, marginUsedUsd }),
          market: market({ atrPct, dailyVolatility, trendStrength }),
          performance: history({ totalTrades, winRate, avgWinPct, avgLossPct, closedWinningTrades: wins, closedLosingTrades: totalTrades - wins }),
          confidence,
        }, isConservative ? conservative : DEFAULTS);
        expect(decision.marginUsd).toBeGreaterThanOrEqual(10);
        expect(decision.marginUsd).toBeLessThanOrEqual(8000);
        expect(decision.slPct).toBeGreaterThanOrEqual(0.025);
        expect(decision.slPct).toBeLessThanOrEqual(0.03);
        expect(decision.tpPct).toBeGreaterThanOrEqual(0.03);
        expect(decision.tpPct).toBeLessThanOrEqual(0.045);
        expect(decision.partialTpPct).toBe(decision.tpPct * 0.5);
        expect(decision.leverage).toBeGreaterThanOrEqual(1);
        expect(decision.leverage).toBeLessThanOrEqual(25);
        expect(decision.notionalUsd).toBeCloseTo(decision.marginUsd * decision.leverage, 6);
      },
    ), { numRuns: 1000 });
  });
});

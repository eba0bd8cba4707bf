import { describe, expect, it } from "vitest";
import type { Trade } from "../../../engine/types.js";
import { assessCalibration, spearmanCorrelation } from "../../../reports/workflows/calibration.js";
import { computeTierTable } from "../../../reports/workflows/tiers.js";
import { tradeAt } from "./workflowFixtures.js";

/** `count` trades at `confidence`, the first `wins` winning +1 (RoM +0.1), the rest losing −1 (RoM −0.1). */
function tierTrades(confidence: number, count: number, wins: number, firstHour: number): Trade[] {
  return Array.from({ length: count }, (_, i) => {
    const win = i < wins;
    return tradeAt(firstHour + i, { id: firstHour + i, confidence, netPnlUsd: win ? 1 : -1, returnOnMargin: win ? 0.1 : -0.1 });
  });
}

describe("Spearman rank correlation", () => {
  it("is 0.8 for 2, 1, 4, 3, 5 against 1 … 5", () => {
    expect(spearmanCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
  });

  it("averages tied ranks: 1, 1, 2 against 1, 2, 3 gives √3 / 2", () => {
    expect(spearmanCorrelation([1, 2, 3], [1, 1, 2])).toBeCloseTo(Math.sqrt(3) / 2, 12);
  });

  it("is −1 for a falling series and undefined for a constant one", () => {
    expect(spearmanCorrelation([1, 2, 3], [0.9, 0.5, 0.1])).toBeCloseTo(-1, 12);
    expect(spearmanCorrelation([1, 2, 3], [0.5, 0.5, 0.5])).toBeNull();
  });
});

describe("calibration verdicts", () => {
  it("says confidence is informative when the win rate rises tier by tier", () => {
    // MEDIUM 4 of 10, HIGH 5 of 10, VERY_HIGH 7 of 10 (LOW and VERY_LOW empty: not judged).
    const trades = [...tierTrades(0.6, 10, 4, 0), ...tierTrades(0.75, 10, 5, 100), ...tierTrades(0.9, 10, 7, 200)];
    const { calibration, rows } = computeTierTable(trades, []);
    expect(calibration.status).toBe("monotone");
    expect(calibration.tiersJudged).toEqual(["MEDIUM", "HIGH", "VERY_HIGH"]);
    expect(calibration.winRateSpearman).toBeCloseTo(1, 12);
    expect(calibration.inversions).toEqual([]);
    expect(calibration.verdict).toBe(
      "Win rate rises with confidence (ρ = 1.00): confidence is informative. Expectancy rises with confidence too (ρ = 1.00).",
    );
    expect(rows.filter((r) => r.inCalibration).map((r) => r.tier)).toEqual(["VERY_HIGH", "HIGH", "MEDIUM"]);
  });

  it("names the inversion when VERY_HIGH wins less than HIGH", () => {
    const trades = [...tierTrades(0.6, 10, 4, 0), ...tierTrades(0.75, 10, 7, 100), ...tierTrades(0.9, 10, 5, 200)];
    const { calibration } = computeTierTable(trades, []);
    expect(calibration.status).toBe("not monotone");
    expect(calibration.winRateSpearman).toBeCloseTo(0.5, 12);
    expect(calibration.inversions).toContainEqual({ metric: "winRate", lowerTier: "HIGH", higherTier: "VERY_HIGH", lowerValue: 0.7, higherValue: 0.5 });
    expect(calibration.verdict).toMatch(/^Win rate is not monotone in confidence \(ρ = 0\.50\): VERY_HIGH wins less than HIGH\./);
    expect(calibration.verdict).toContain("VERY_HIGH earns less than HIGH");
  });

  it("leaves a tier with fewer than minTrades trades out of the judgement", () => {
    // VERY_HIGH has only 5 trades (all losing): ignored, so the remaining tiers rise.
    const trades = [...tierTrades(0.6, 10, 4, 0), ...tierTrades(0.75, 10, 7, 100), ...tierTrades(0.9, 5, 0, 200)];
    const { calibration } = computeTierTable(trades, []);
    expect(calibration.tiersJudged).toEqual(["MEDIUM", "HIGH"]);
    expect(calibration.status).toBe("monotone");
  });

  it("says there are too few trades when fewer than two tiers reach minTrades", () => {
    const trades = [...tierTrades(0.6, 9, 4, 0), ...tierTrades(0.9, 12, 7, 100)];
    const { calibration } = computeTierTable(trades, []);
    expect(calibration.status).toBe("too few trades");
    expect(calibration.tiersJudged).toEqual([]);
    expect(calibration.verdict).toBe(
      "Too few trades per tier to judge: fewer than two tiers have at least 10 trades " +
        "(VERY_LOW 0, LOW 0, MEDIUM 9, HIGH 0, VERY_HIGH 12).",
    );
  });

  it("judges small tiers when minTrades is lowered", () => {
    const trades = [...tierTrades(0.6, 3, 1, 0), ...tierTrades(0.9, 3, 2, 100)];
    expect(computeTierTable(trades, [], undefined, { minTrades: 3 }).calibration.status).toBe("monotone");
  });

  it("calls equal win rates flat: confidence is not informative", () => {
    const calibration = assessCalibration([
      { tier: "LOW", trades: 10, winRatePct: 0.5, expectancyReturnOnMarginPct: 0.01 },
      { tier: "HIGH", trades: 10, winRatePct: 0.5, expectancyReturnOnMarginPct: 0.02 },
    ]);
    expect(calibration.status).toBe("flat");
    expect(calibration.verdict).toContain("confidence is not informative");
  });

  it("counts a tie between neighbouring tiers as non-decreasing, not as an inversion", () => {
    const calibration = assessCalibration([
      { tier: "LOW", trades: 10, winRatePct: 0.4, expectancyReturnOnMarginPct: 0 },
      { tier: "MEDIUM", trades: 10, winRatePct: 0.5, expectancyReturnOnMarginPct: 0 },
      { tier: "HIGH", trades: 10, winRatePct: 0.5, expectancyReturnOnMarginPct: 0 },
    ]);
    expect(calibration.status).toBe("monotone");
  });
});

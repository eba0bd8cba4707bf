import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/errors.js";
import type { Trade } from "../../../engine/types.js";
import { computeTierTable } from "../../../reports/workflows/tiers.js";
import { formatTierCsv, formatTierMarkdown, formatTierTerminal } from "../../../reports/workflows/tiersFormat.js";
import { makeFill } from "../fixtures.js";
import { tradeAt } from "./workflowFixtures.js";

describe("the tier table of five hand-made trades", () => {
  // VERY_HIGH (0.9, 0.95): a win that took TP1 then trailed out (+10, RoM 1.0, R 2) and a
  // loss on the stop (−5, RoM −0.5, R −1). HIGH (0.75): TP1 then the breakeven stop (+2, RoM
  // 0.2, R 0.4). LOW (0.5): a time exit without a stop in the plan (−1, RoM −0.1, no R).
  // No confidence: a win on TP1 (+3).
  const trades: Trade[] = [
    tradeAt(0, { id: 1, confidence: 0.9, netPnlUsd: 10, returnOnMargin: 1, rMultiple: 2, exitReason: "TRAIL", legs: 2 }),
    tradeAt(1, { id: 2, confidence: 0.95, netPnlUsd: -5, returnOnMargin: -0.5, rMultiple: -1, exitReason: "SL" }),
    tradeAt(2, { id: 3, confidence: 0.75, netPnlUsd: 2, returnOnMargin: 0.2, rMultiple: 0.4, exitReason: "BREAKEVEN", legs: 2 }),
    tradeAt(3, { id: 4, confidence: 0.5, netPnlUsd: -1, returnOnMargin: -0.1, rMultiple: null, exitReason: "TIME" }),
    tradeAt(4, { id: 5, confidence: Number.NaN, netPnlUsd: 3, returnOnMargin: 0.3, rMultiple: 1, exitReason: "TP1" }),
  ];
  const fills = [
    makeFill({ tradeId: 1, reason: "ENTRY" }),
    makeFill({ tradeId: 1, reason: "TP1", quantity: 0.5 }),
    makeFill({ tradeId: 1, reason: "TRAIL", quantity: 0.5 }),
    makeFill({ tradeId: 3, reason: "TP1", quantity: 0.5 }),
    makeFill({ tradeId: 3, reason: "BREAKEVEN", quantity: 0.5 }),
  ];
  const table = computeTierTable(trades, fills);
  const row = (tier: string) => [...table.rows, table.total].find((r) => r.tier === tier)!;

  it("lists the five default buckets from the highest down, then the trades without a confidence", () => {
    expect(table.rows.map((r) => r.tier)).toEqual(["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW", "NONE"]);
    expect(table.rows.map((r) => r.trades)).toEqual([2, 1, 0, 1, 0, 1]);
  });

  it("gives VERY_HIGH a 50 % win rate, an expectancy of +2.50 USD and 0.25 on margin, and an average R of 0.5", () => {
    const veryHigh = row("VERY_HIGH");
    expect(veryHigh.winRatePct).toBe(0.5);
    expect(veryHigh.expectancyUsd).toBe(2.5);
    expect(veryHigh.expectancyReturnOnMarginPct).toBe(0.25);
    expect(veryHigh.averageR).toBe(0.5);
    expect(veryHigh.meanConfidence).toBeCloseTo(0.925, 12);
  });

  it("counts TP, SL and trail hits as shares of the tier's trades", () => {
    expect([row("VERY_HIGH").tpHitPct, row("VERY_HIGH").slHitPct, row("VERY_HIGH").trailHitPct]).toEqual([0.5, 0.5, 0.5]);
  });

  it("counts a breakeven exit after TP1 as both a TP hit and an SL hit", () => {
    expect([row("HIGH").tpHitPct, row("HIGH").slHitPct, row("HIGH").breakevenHitPct]).toEqual([1, 1, 1]);
  });

  it("counts a TP exit known only from the trade's final reason", () => {
    expect(row("NONE").tpHitPct).toBe(1);
    expect(row("NONE").meanConfidence).toBeNull();
  });

  it("leaves the R of a tier whose trades had no stop empty", () => {
    expect(row("LOW").averageR).toBeNull();
    expect(row("LOW").tradesWithR).toBe(0);
  });

  it("leaves an empty tier's rates empty rather than zero", () => {
    expect(row("MEDIUM").winRatePct).toBeNull();
    expect(row("MEDIUM").tpHitPct).toBeNull();
  });

  it("sums up every trade in the ALL row", () => {
    expect(row("ALL").trades).toBe(5);
    expect(row("ALL").winRatePct).toBe(0.6);
    expect(row("ALL").expectancyUsd).toBeCloseTo(1.8, 12);
  });

  it("writes the bucket bounds: VERY_HIGH from 0.85 up, HIGH 0.7 to 0.85", () => {
    expect([row("VERY_HIGH").minConfidence, row("VERY_HIGH").maxConfidence]).toEqual([0.85, null]);
    expect([row("HIGH").minConfidence, row("HIGH").maxConfidence]).toEqual([0.7, 0.85]);
  });

  it("judges nothing with a trade or two per tier", () => {
    expect(table.calibration.status).toBe("too few trades");
    expect(table.calibration.verdict).toMatch(/^Too few trades per tier to judge/);
  });

  it("formats the table for the terminal, Markdown and CSV", () => {
    expect(formatTierTerminal(table)).toContain("Calibration (tiers with at least 10 trades): Too few trades");
    expect(formatTierMarkdown(table)).toContain("| VERY_HIGH | ≥ 0.85 | 2 | 50.0 % |");
    const csv = formatTierCsv(table).trimEnd().split("\n");
    expect(csv[0].split(",")[0]).toBe("tier");
    expect(csv[1]).toBe("VERY_HIGH,0.85,,2,1,0.5,2.5,0.25,2,0.5,0.5,0.5,0,0.5,0.925,false");
    expect(csv[csv.length - 1].startsWith("ALL,,,5,3,0.6,")).toBe(true);
  });
});

describe("custom buckets", () => {
  const buckets = [
    { label: "TOP", minConfidence: 0.8 },
    { label: "REST", minConfidence: 0.5 },
  ];

  it("puts trades into the given buckets and those below the lowest bound apart", () => {
    const trades = [tradeAt(0, { confidence: 0.9 }), tradeAt(1, { confidence: 0.6 }), tradeAt(2, { confidence: 0.3 })];
    const table = computeTierTable(trades, [], buckets);
    expect(table.rows.map((r) => [r.tier, r.trades])).toEqual([["TOP", 1], ["REST", 1], ["BELOW_LOWEST", 1]]);
  });

  it("refuses buckets that are not ordered from the highest down", () => {
    expect(() => computeTierTable([], [], [...buckets].reverse())).toThrow(ConfigError);
  });

  it("refuses a reserved or repeated label", () => {
    expect(() => computeTierTable([], [], [{ label: "NONE", minConfidence: 0 }])).toThrow(/reserved/);
  });
});

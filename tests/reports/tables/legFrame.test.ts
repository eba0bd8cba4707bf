import { describe, expect, it } from "vitest";
import { buildLegRows, buildTradeRows, compareTiers, TIER_ORDER } from "../../../reports/tables/legFrame.js";
import { makeFill } from "../fixtures.js";
import { buildRun } from "./handRun.js";

describe("leg rows of a run", () => {
  const { trades, fills } = buildRun();
  const legs = buildLegRows(trades, fills);

  it("has one row per closing fill, in fill order, with the trade's tier and plan source", () => {
    expect(legs.map((row) => `${row.tradeId}:${row.reason}:${row.tier}`)).toEqual([
      "1:TP1:VERY_HIGH", "1:TRAIL:VERY_HIGH", "2:SL:MEDIUM", "3:TP1:NONE", "3:BREAKEVEN:NONE", "4:TP1:VERY_HIGH", "5:SL:VERY_HIGH",
    ]);
    expect(legs[2]).toMatchObject({ symbol: "ETHUSDT", side: -1, quantity: 4, barsHeld: 2, confidence: 0.6, planSource: "static" });
    expect(legs[3].confidence).toBeNull();
  });

  it("charges each leg the entry fee pro rata to its quantity (checked on paper)", () => {
    const expected = [9.85, 4.75, -6.6, 2.455, -0.135, 5.76, -3.2];
    legs.forEach((row, index) => expect(row.netPnlUsd).toBeCloseTo(expected[index], 12));
  });

  it("adds each trade's legs up to the trade's net PnL", () => {
    for (const trade of trades) {
      const sum = legs.filter((row) => row.tradeId === trade.id).reduce((total, row) => total + row.netPnlUsd, 0);
      expect(Math.abs(sum - trade.netPnlUsd)).toBeLessThan(1e-9);
    }
  });

  it("leaves out fills of trades that are not in the run", () => {
    const orphan = makeFill({ seq: 99, tradeId: 42, reason: "TP1", realizedPnlUsd: 1 });
    expect(buildLegRows(trades, [...fills, orphan])).toEqual(legs);
    expect(buildLegRows([], fills)).toEqual([]);
  });

  it("reduces trades to tier, symbol, net PnL and whether they won", () => {
    expect(buildTradeRows(trades).map((row) => [row.tradeId, row.tier, row.won])).toEqual([
      [1, "VERY_HIGH", true], [2, "MEDIUM", false], [3, "NONE", true], [4, "VERY_HIGH", true], [5, "VERY_HIGH", false],
    ]);
  });

  it("orders tiers from VERY_HIGH down to NONE, unknown labels last", () => {
    expect(["NONE", "LOW", "custom", "VERY_HIGH", "VERY_LOW", "HIGH", "MEDIUM"].sort(compareTiers)).toEqual([...TIER_ORDER.slice(0, 5), "NONE", "custom"]);
  });
});

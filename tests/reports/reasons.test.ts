import { describe, expect, it } from "vitest";
import { compareReasons, countByReason } from "../../reports/reasons.js";

describe("reason order", () => {
  it("sorts reasons in the canonical order with TP stages by number and unknown reasons last", () => {
    const shuffled = ["END", "ZZZ", "TP10", "SL", "ENTRY", "TP2", "TRAIL", "AAA", "SIGNAL", "TIME", "LIQUIDATION", "TP1", "BREAKEVEN"];
    expect([...shuffled].sort(compareReasons)).toEqual([
      "ENTRY", "TP1", "TP2", "TP10", "SL", "BREAKEVEN", "TRAIL", "LIQUIDATION", "TIME", "SIGNAL", "END", "AAA", "ZZZ",
    ]);
  });

  it("counts reasons into an object whose keys follow that order", () => {
    expect(Object.entries(countByReason(["SL", "TP1", "SL"]))).toEqual([["TP1", 1], ["SL", 2]]);
  });
});

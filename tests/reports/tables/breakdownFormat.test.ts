// Hand-built tables: these writer tests do not load danfojs.
import { describe, expect, it } from "vitest";
import type { Breakdowns } from "../../../reports/tables/breakdown.js";
import { formatBreakdownCsv, formatTierReasonTerminal } from "../../../reports/tables/breakdownFormat.js";

const cell = { legs: 1, quantity: 1, shareOfQuantity: 0.5, totalNetPnlUsd: 2, averageNetPnlUsd: 2, averageBarsToHit: 3 };

const TABLES: Breakdowns = {
  tierReason: [
    { tier: "VERY_HIGH", reason: "TP1", ...cell, legs: 2, quantity: 3, shareOfQuantity: 0.75, totalNetPnlUsd: 10.5, averageNetPnlUsd: 5.25 },
    { tier: "VERY_HIGH", reason: "SL", ...cell, shareOfQuantity: 0.25, totalNetPnlUsd: -3 },
    { tier: "NONE", reason: "TRAIL", ...cell, shareOfQuantity: 1, totalNetPnlUsd: null },
  ],
  symbolReason: [{ symbol: "BTC,USD", reason: "TP1", ...cell }],
  tierSymbol: [{ tier: "VERY_HIGH", symbol: "BTCUSDT", trades: 3, winningTrades: 2, winRate: 2 / 3, totalNetPnlUsd: 7.5 }],
};

describe("breakdown CSV", () => {
  const lines = formatBreakdownCsv(TABLES).split("\n");

  it("writes one line per metric, keys the table lacks left empty", () => {
    expect(lines[0]).toBe("table,tier,symbol,reason,metric,value");
    expect(lines.slice(1, 7)).toEqual([
      "tier_reason,VERY_HIGH,,TP1,legs,2",
      "tier_reason,VERY_HIGH,,TP1,quantity,3",
      "tier_reason,VERY_HIGH,,TP1,share_of_quantity,0.75",
      "tier_reason,VERY_HIGH,,TP1,total_net_pnl_usd,10.5",
      "tier_reason,VERY_HIGH,,TP1,average_net_pnl_usd,5.25",
      "tier_reason,VERY_HIGH,,TP1,average_bars_to_hit,3",
    ]);
    expect(lines).toContain("tier_symbol,VERY_HIGH,BTCUSDT,,win_rate,0.6666666666666666");
  });

  it("leaves null values empty, quotes symbols that need it and ends in a newline", () => {
    expect(lines).toContain("tier_reason,NONE,,TRAIL,total_net_pnl_usd,");
    expect(lines).toContain('symbol_reason,,"BTC,USD",TP1,legs,1');
    expect(lines.length).toBe(1 + 3 * 6 + 6 + 4 + 1);
    expect(lines[lines.length - 1]).toBe("");
  });
});

describe("tier × reason terminal pivot", () => {
  it("shows shares of the tier's closed quantity with tiers as rows and reasons as columns", () => {
    expect(formatTierReasonTerminal(TABLES)).toBe(
      [
        "Exit mix by confidence tier (share of the tier's closed quantity)",
        "",
        "tier          TP1      SL    TRAIL  legs  net PnL",
        "---------  ------  ------  -------  ----  -------",
        "VERY_HIGH  75.0 %  25.0 %        —     3     7.50",
        "NONE            —       —  100.0 %     1        —",
        "— = no leg closed with that reason. Net PnL in USDT, entry fees included.",
        "",
      ].join("\n"),
    );
  });
});

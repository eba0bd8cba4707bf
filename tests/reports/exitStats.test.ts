import { describe, expect, it } from "vitest";
import { computeExitStats } from "../../reports/exitStats.js";
import { formatExitStatsCsv } from "../../reports/csv.js";
import { barsOf, plan, runScenario } from "../fixtures/bars.js";

// Two trades on one symbol: the first exits half at TP1 and half on the trail, the second at its SL.
const bars = barsOf("ETHUSDT", [
  [3300.0, 3310.0, 3295.0, 3305.0],
  [3306.48, 3320.0, 3300.0, 3315.0],
  [3315.0, 3539.84, 3310.0, 3530.0],
  [3530.0, 3535.0, 3189.69, 3195.0],
  [3195.0, 3200.0, 3190.0, 3198.0],
  [3200.0, 3201.0, 3000.0, 3010.0],
]);
const harvestPlan = plan({
  source: "ai", stopLossPct: 0.036, stages: [{ movePct: 0.042, fraction: 0.5 }],
  trailing: { distancePct: 0.01, activationPct: null, afterStage: 1 },
});

describe("TP/SL hit statistics", () => {
  const result = runScenario(bars, { 0: 1, 4: 1 }, harvestPlan, { exchange: { takerFeeRate: 0.0005, makerFeeRate: 0.0002 } });
  const rows = computeExitStats(result.trades, result.fills);
  const all = (reason: string) => rows.find((row) => row.group === "all" && row.reason === reason);

  it("counts each reason's fills, trades and share of trades and quantity", () => {
    expect(result.trades.map((trade) => trade.exitReason)).toEqual(["TRAIL", "SL"]);
    expect(all("TP1")).toMatchObject({ fills: 1, trades: 1, shareOfTrades: 0.5, shareOfQuantity: 0.25, groupTrades: 2 });
    expect(all("TRAIL")).toMatchObject({ fills: 1, trades: 1, shareOfTrades: 0.5, shareOfQuantity: 0.25 });
    expect(all("SL")).toMatchObject({ fills: 1, trades: 1, shareOfTrades: 0.5, shareOfQuantity: 0.5 });
  });

  it("gives each leg its share of the entry fee so legs add up to the trade's net PnL", () => {
    const legs = (all("TP1")?.totalNetPnlUsd ?? 0) + (all("TRAIL")?.totalNetPnlUsd ?? 0);
    expect(legs).toBeCloseTo(result.trades[0].netPnlUsd, 9);
    expect(all("SL")?.totalNetPnlUsd).toBeCloseTo(result.trades[1].netPnlUsd, 9);
  });

  it("measures bars to hit with the entry bar counting as 1", () => {
    expect(all("TP1")?.averageBarsToHit).toBe(2);
    expect(all("TRAIL")?.averageBarsToHit).toBe(3);
    expect(all("SL")?.averageBarsToHit).toBe(1);
  });

  it("repeats the statistics per confidence tier and per symbol, in a fixed order", () => {
    expect(rows.map((row) => `${row.group}:${row.groupValue}:${row.reason}`)).toEqual([
      "all:all:TP1", "all:all:SL", "all:all:TRAIL",
      "tier:VERY_HIGH:TP1", "tier:VERY_HIGH:SL", "tier:VERY_HIGH:TRAIL",
      "symbol:ETHUSDT:TP1", "symbol:ETHUSDT:SL", "symbol:ETHUSDT:TRAIL",
    ]);
    expect(formatExitStatsCsv(rows).split("\n")[0]).toBe(
      "group,group_value,reason,fills,trades,share_of_trades,quantity,share_of_quantity,total_net_pnl_usd,average_net_pnl_usd,average_bars_to_hit,group_trades",
    );
  });
});

import { describe, expect, it } from "vitest";
import { barsOf, plan, runScenario } from "../fixtures/bars.js";
import { expectReconciled } from "../fixtures/reconcile.js";

/** SPEC §10, ETHUSDT: the seed's live example that failed to exit. */
const ETH_BARS = barsOf("ETHUSDT", [
  [3300.0, 3310.0, 3295.0, 3305.0],
  [3306.48, 3320.0, 3300.0, 3315.0],
  [3315.0, 3539.84, 3310.0, 3530.0],
  [3530.0, 3535.0, 3189.69, 3195.0],
]);

const ethPlan = (fractionAtTp: number) =>
  plan({
    source: "ai",
    stopLossPct: 0.036,
    stages: [{ movePct: 0.042, fraction: fractionAtTp }],
    trailing: fractionAtTp < 1 ? { distancePct: 0.01, activationPct: null, afterStage: 1 } : null,
  });

describe("SPEC §10 ETHUSDT replay", () => {
  it("fills the entry decided at bar 0's close at bar 1's open", () => {
    const result = runScenario(ETH_BARS, { 0: 1 }, ethPlan(1));
    const entry = result.fills[0];
    expect(entry.reason).toBe("ENTRY");
    expect(entry.price).toBeCloseTo(3306.48, 6);
    expect(entry.timeMs).toBe(ETH_BARS.time[1]);
  });

  it("exits everything at TP1 3445.35216 in bar 2 when 100 % closes at TP", () => {
    const result = runScenario(ETH_BARS, { 0: 1 }, ethPlan(1));
    const exits = result.fills.filter((fill) => fill.reason !== "ENTRY");
    expect(exits).toHaveLength(1);
    expect(exits[0].reason).toBe("TP1");
    expect(exits[0].price).toBeCloseTo(3445.35216, 6);
    expect(exits[0].timeMs).toBe(ETH_BARS.time[2]);
    expect(result.trades[0].exitReason).toBe("TP1");
    expect(result.trades[0].realizedPnlUsd).toBeCloseTo(3445.35216 - 3306.48, 6);
    expectReconciled(result);
  });

  it("exits half at TP1 and the rest on the trailing stop at 3504.4416 in bar 3", () => {
    const result = runScenario(ETH_BARS, { 0: 1 }, ethPlan(0.5));
    const exits = result.fills.filter((fill) => fill.reason !== "ENTRY");
    expect(exits.map((fill) => fill.reason)).toEqual(["TP1", "TRAIL"]);
    expect(exits[0].price).toBeCloseTo(3445.35216, 6);
    expect(exits[0].quantity).toBeCloseTo(0.5, 12);
    expect(exits[0].timeMs).toBe(ETH_BARS.time[2]);
    expect(exits[1].price).toBeCloseTo(3504.4416, 6);
    expect(exits[1].quantity).toBeCloseTo(0.5, 12);
    expect(exits[1].timeMs).toBe(ETH_BARS.time[3]);
    const trade = result.trades[0];
    expect(trade.exitReason).toBe("TRAIL");
    expect(trade.legs).toBe(2);
    expect(trade.mfePct).toBeCloseTo(3539.84 / 3306.48 - 1, 9);
    expectReconciled(result);
  });

  it("never lets the SL at 3187.44672 fire in bar 3, since the low stays above it", () => {
    const result = runScenario(ETH_BARS, { 0: 1 }, plan({ source: "ai", stopLossPct: 0.036 }));
    expect(result.fills.filter((fill) => fill.reason === "SL")).toHaveLength(0);
    expect(result.trades[0].exitReason).toBe("END");
    expect(result.trades[0].stopLossPrice).toBeCloseTo(3187.44672, 6);
  });
});

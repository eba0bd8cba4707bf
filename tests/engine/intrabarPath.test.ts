import { describe, expect, it } from "vitest";
import { barsOf, plan, runScenario } from "../fixtures/bars.js";
import { expectReconciled } from "../fixtures/reconcile.js";

const slTp = plan({ stopLossPct: 0.03, stages: [{ movePct: 0.05, fraction: 1 }] });
const exits = (result: ReturnType<typeof runScenario>) => result.fills.filter((fill) => fill.reason !== "ENTRY");

describe("stop loss and take profit along the intrabar path", () => {
  it("stops a long out at its SL level when the bar trades through it", () => {
    // Entry at 100; SL 97. Bar 2 is red: open → high → low, the low 95 crosses 97.
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [99, 100, 95, 96]]), { 0: 1 }, slTp);
    expect(exits(result).map((f) => [f.reason, f.price])).toEqual([["SL", 97]]);
    expect(result.trades[0].realizedPnlUsd).toBeCloseTo(-3, 12);
    expectReconciled(result);
  });

  it("takes profit on a long at the TP level", () => {
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [101, 106, 100, 104]]), { 0: 1 }, slTp);
    expect(exits(result).map((f) => [f.reason, f.price])).toEqual([["TP1", 105]]);
    expect(result.fills[1].liquidity).toBe("maker");
    expectReconciled(result);
  });

  it("stops a short out at its SL level above the entry", () => {
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [101, 104, 100, 103]]), { 0: -1 }, slTp);
    expect(exits(result).map((f) => [f.reason, f.price])).toEqual([["SL", 103]]);
    expect(result.trades[0].realizedPnlUsd).toBeCloseTo(-3, 12);
    expectReconciled(result);
  });

  it("takes profit on a short at the TP level below the entry", () => {
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [99, 100, 94, 96]]), { 0: -1 }, slTp);
    expect(exits(result).map((f) => [f.reason, f.price])).toEqual([["TP1", 95]]);
    expect(result.trades[0].realizedPnlUsd).toBeCloseTo(5, 12);
    expectReconciled(result);
  });

  it("fills a stop at the open when the bar gaps through it, worse than the level", () => {
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [94, 95, 93, 94]]), { 0: 1 }, slTp);
    expect(exits(result).map((f) => [f.reason, f.price, f.gap])).toEqual([["SL", 94, true]]);
    expect(result.counters.gapFills).toBe(1);
    expectReconciled(result);
  });

  it("fills a take-profit at the open when the bar gaps beyond it, better than the level", () => {
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [108, 109, 107, 108]]), { 0: 1 }, slTp);
    expect(exits(result).map((f) => [f.reason, f.price, f.gap])).toEqual([["TP1", 108, true]]);
    expectReconciled(result);
  });

  it("manages a position from its entry bar's open: a stop inside the entry bar fires in that bar", () => {
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 100.5, 96, 99]]), { 0: 1 }, slTp);
    expect(exits(result).map((f) => [f.reason, f.price, f.timeMs])).toEqual([["SL", 97, result.fills[0].timeMs]]);
    expect(result.trades[0].barsHeld).toBe(1);
  });
});

describe("both levels inside one bar", () => {
  // Entry at 100 (SL 97, TP 105); bar 2 spans 94..106, beyond both levels for a long and for a short.
  const green = barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 106, 94, 104]]);
  const red = barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 106, 94, 98]]);

  it("default path: a green bar goes to the low first, so a long is stopped out", () => {
    expect(exits(runScenario(green, { 0: 1 }, slTp))[0].reason).toBe("SL");
  });

  it("default path: a red bar goes to the high first, so a long takes profit", () => {
    expect(exits(runScenario(red, { 0: 1 }, slTp))[0].reason).toBe("TP1");
  });

  it("pessimistic mode takes the adverse extreme first for a long and for a short", () => {
    expect(exits(runScenario(red, { 0: 1 }, slTp, { intrabarMode: "pessimistic" }))[0].reason).toBe("SL");
    expect(exits(runScenario(green, { 0: -1 }, slTp, { intrabarMode: "pessimistic" }))[0].reason).toBe("SL");
  });

  it("optimistic mode takes the favourable extreme first for a long and for a short", () => {
    expect(exits(runScenario(green, { 0: 1 }, slTp, { intrabarMode: "optimistic" }))[0].reason).toBe("TP1");
    expect(exits(runScenario(red, { 0: -1 }, slTp, { intrabarMode: "optimistic" }))[0].reason).toBe("TP1");
  });

  it("counts the exit as path-dependent in every mode", () => {
    for (const intrabarMode of ["default", "pessimistic", "optimistic"] as const) {
      const result = runScenario(green, { 0: 1 }, slTp, { intrabarMode });
      expect(result.counters.pathDependentFills).toBe(1);
      expect(result.counters.pathDependentTrades).toBe(1);
      expect(result.fills[1].pathDependent).toBe(true);
      expect(result.trades[0].pathDependent).toBe(true);
    }
  });

  it("does not count an exit whose bar gives the same fill on either path", () => {
    const result = runScenario(barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [99, 100, 95, 96]]), { 0: 1 }, slTp);
    expect(result.counters.pathDependentFills).toBe(0);
    expect(result.trades[0].pathDependent).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { pathStatsOf, runMonteCarlo } from "../../reports/montecarlo.js";

const PNLS = [100, -300, 50, 200, -100, 400, -50, -250, 300, 10];
const input = { pnls: PNLS, initialBalance: 1000, simulations: 2000, seed: 9, ruinDrawdown: 0.3 } as const;

describe("pathStatsOf", () => {
  it("adds each trade's PnL to the balance and measures the drawdown from the running peak (which starts at the initial balance)", () => {
    // 1100, 800, 850, 1050, 950, 1350, 1300, 1050, 1350, 1360: deepest 1 − 800/1100; longest under the peak: 4 trades (800, 850, 1050, 950).
    expect(pathStatsOf(PNLS, 1000)).toEqual({ finalEquity: 1360, maxDrawdownPct: 1 - 800 / 1100, longestDrawdownTrades: 4 });
  });
});

describe("runMonteCarlo", () => {
  it("keeps the final equity of every reshuffled path and only varies the path", () => {
    const result = runMonteCarlo({ ...input, method: "shuffle" });
    expect(Object.values(result.quantiles.finalEquity).every((value) => Math.abs(value - 1360) < 1e-9)).toBe(true);
    expect(result.quantiles.maxDrawdownPct.p5).toBeLessThan(result.quantiles.maxDrawdownPct.p95);
    expect(result.probabilityOfLoss).toBe(0);
  });

  it("varies the final equity when bootstrapping, around the run's own", () => {
    const result = runMonteCarlo({ ...input, method: "bootstrap" });
    expect(result.quantiles.finalEquity.p5).toBeLessThan(1360);
    expect(result.quantiles.finalEquity.p95).toBeGreaterThan(1360);
    expect(result.quantiles.finalEquity.p50).toBeGreaterThan(1200);
    expect(result.quantiles.finalEquity.p50).toBeLessThan(1500);
    expect(result.probabilityOfLoss).toBeGreaterThan(0);
  });

  it("gives the same result for the same seed and another for another seed", () => {
    expect(runMonteCarlo({ ...input, method: "bootstrap" })).toEqual(runMonteCarlo({ ...input, method: "bootstrap" }));
    expect(runMonteCarlo({ ...input, method: "bootstrap", seed: 10 })).not.toEqual(runMonteCarlo({ ...input, method: "bootstrap" }));
  });

  it("counts a path as ruined when its drawdown reaches the threshold", () => {
    const certain = runMonteCarlo({ ...input, pnls: [-400, -400], method: "shuffle" });
    expect(certain.probabilityOfRuin).toBe(1);
    const never = runMonteCarlo({ ...input, pnls: [10, 20], method: "bootstrap" });
    expect(never.probabilityOfRuin).toBe(0);
  });
});

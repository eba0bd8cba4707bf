import { describe, expect, it } from "vitest";
import { compoundedPathStats, defaultBlockLength, runBlockBootstrap } from "../../reports/montecarloBlock.js";

const common = { initialBalance: 1000, simulations: 3000, seed: 5, ruinDrawdown: 0.5 } as const;
/** 120 days in streaks of 10: +1 % ten days, −0.8 % ten days, … (strong serial dependence). */
const STREAKY = Array.from({ length: 120 }, (_, day) => (Math.floor(day / 10) % 2 === 0 ? 0.01 : -0.008));

describe("block bootstrap of daily returns", () => {
  it("takes ⌈n^(1/3)⌉ days per block by default", () => {
    expect([1, 8, 9, 100, 125, 126, 188].map(defaultBlockLength)).toEqual([1, 2, 3, 5, 5, 6, 6]);
    expect(runBlockBootstrap({ ...common, returns: STREAKY, simulations: 10 }).blockLength).toBe(5);
  });

  it("compounds a path from the initial balance, so the actual path ends at the run's final equity", () => {
    const stats = compoundedPathStats([0.1, -0.5, 0.2], 1000);
    expect(stats.finalEquity).toBeCloseTo(1000 * 1.1 * 0.5 * 1.2, 9);
    expect(stats.maxDrawdownPct).toBeCloseTo(0.5, 12);
    expect(stats.longestDrawdownTrades).toBe(2);
    const result = runBlockBootstrap({ ...common, returns: STREAKY });
    expect(result.actual.finalEquity).toBeCloseTo(STREAKY.reduce((equity, r) => equity * (1 + r), 1000), 9);
    expect(result).toMatchObject({ method: "block", unit: "days", steps: 120, trades: null });
  });

  it("reproduces the run exactly when one block spans every day", () => {
    const result = runBlockBootstrap({ ...common, returns: STREAKY, blockLength: STREAKY.length, simulations: 50 });
    for (const value of Object.values(result.quantiles.finalEquity)) expect(value).toBe(result.actual.finalEquity);
    for (const value of Object.values(result.quantiles.maxDrawdownPct)) expect(value).toBe(result.actual.maxDrawdownPct);
  });

  it("keeps streaks inside blocks: long blocks give deeper and longer drawdowns than i.i.d. days on a streaky series", () => {
    const iid = runBlockBootstrap({ ...common, returns: STREAKY, blockLength: 1 });
    const blocks = runBlockBootstrap({ ...common, returns: STREAKY, blockLength: 10 });
    expect(blocks.quantiles.maxDrawdownPct.p50).toBeGreaterThan(iid.quantiles.maxDrawdownPct.p50 * 1.3);
    expect(blocks.quantiles.longestDrawdownTrades.p50).toBeGreaterThan(iid.quantiles.longestDrawdownTrades.p50);
  });

  it("gives the same result for the same seed, another for another seed, and refuses a block longer than the run", () => {
    expect(runBlockBootstrap({ ...common, returns: STREAKY })).toEqual(runBlockBootstrap({ ...common, returns: STREAKY }));
    expect(runBlockBootstrap({ ...common, returns: STREAKY, seed: 6 })).not.toEqual(runBlockBootstrap({ ...common, returns: STREAKY }));
    expect(() => runBlockBootstrap({ ...common, returns: STREAKY, blockLength: 121 })).toThrow(RangeError);
  });
});

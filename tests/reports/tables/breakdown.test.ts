// The only test file that loads danfojs (lazily, through computeBreakdowns): it is slow to import.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fill, Trade } from "../../../engine/types.js";
import { computeExitStats } from "../../../reports/exitStats.js";
import { computeBreakdowns, type Breakdowns } from "../../../reports/tables/breakdown.js";
import { formatBreakdownCsv, formatTierReasonTerminal } from "../../../reports/tables/breakdownFormat.js";
import { barsOf, plan, runScenario } from "../../fixtures/bars.js";
import { buildRun, HAND_TRADES } from "./handRun.js";

const TOLERANCE = 1e-9;

/** The two independent implementations must agree: danfojs here, plain TypeScript in exitStats. */
function expectAgreementWithExitStats(breakdowns: Breakdowns, trades: readonly Trade[], fills: readonly Fill[]): void {
  const stats = computeExitStats(trades, fills);
  const pairs = [
    { group: "tier", rows: breakdowns.tierReason.map((row) => ({ key: row.tier, ...row })) },
    { group: "symbol", rows: breakdowns.symbolReason.map((row) => ({ key: row.symbol, ...row })) },
  ];
  for (const { group, rows } of pairs) {
    const expected = stats.filter((row) => row.group === group);
    expect(rows.map((row) => `${row.key}:${row.reason}`)).toEqual(expected.map((row) => `${row.groupValue}:${row.reason}`));
    rows.forEach((row, index) => {
      const oracle = expected[index];
      expect(row.legs).toBe(oracle.fills);
      expect(Math.abs(row.quantity - oracle.quantity)).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs((row.totalNetPnlUsd ?? NaN) - oracle.totalNetPnlUsd)).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs((row.averageBarsToHit ?? NaN) - oracle.averageBarsToHit)).toBeLessThanOrEqual(TOLERANCE);
      // Every trade is closed, so the closed quantity is the entry quantity exitStats divides by.
      expect(Math.abs((row.shareOfQuantity ?? NaN) - oracle.shareOfQuantity)).toBeLessThanOrEqual(TOLERANCE);
    });
  }
  // Per tier, the trades' net PnL (tier × symbol) equals the legs' net PnL (exitStats).
  for (const tier of new Set(breakdowns.tierSymbol.map((row) => row.tier))) {
    const fromTrades = breakdowns.tierSymbol.filter((row) => row.tier === tier).reduce((sum, row) => sum + (row.totalNetPnlUsd ?? NaN), 0);
    const fromLegs = stats.filter((row) => row.group === "tier" && row.groupValue === tier).reduce((sum, row) => sum + row.totalNetPnlUsd, 0);
    expect(Math.abs(fromTrades - fromLegs)).toBeLessThanOrEqual(TOLERANCE);
  }
}

describe("breakdown tables of a hand-made run", async () => {
  const { trades, fills } = buildRun();
  const breakdowns = await computeBreakdowns(trades, fills);

  it("splits each tier's closed quantity by reason (checked on paper)", () => {
    expect(breakdowns.tierReason.map((row) => [row.tier, row.reason, row.legs, row.quantity, row.shareOfQuantity, row.averageBarsToHit])).toEqual([
      ["VERY_HIGH", "TP1", 2, 3, 0.6, 4.5],
      ["VERY_HIGH", "SL", 1, 1, 0.2, 2],
      ["VERY_HIGH", "TRAIL", 1, 1, 0.2, 5],
      ["MEDIUM", "SL", 1, 4, 1, 2],
      ["NONE", "TP1", 1, 0.25, 0.25, 2],
      ["NONE", "BREAKEVEN", 1, 0.75, 0.75, 4],
    ]);
    const pnl = [[15.61, 7.805], [-3.2, -3.2], [4.75, 4.75], [-6.6, -6.6], [2.455, 2.455], [-0.135, -0.135]];
    breakdowns.tierReason.forEach((row, index) => {
      expect(row.totalNetPnlUsd).toBeCloseTo(pnl[index][0], 12);
      expect(row.averageNetPnlUsd).toBeCloseTo(pnl[index][1], 12);
    });
  });

  it("splits each symbol's closed quantity by reason (checked on paper)", () => {
    expect(breakdowns.symbolReason.map((row) => [row.symbol, row.reason, row.legs, row.quantity, row.shareOfQuantity, row.averageBarsToHit])).toEqual([
      ["BTCUSDT", "TP1", 2, 1.25, 0.3125, 2.5],
      ["BTCUSDT", "SL", 1, 1, 0.25, 2],
      ["BTCUSDT", "BREAKEVEN", 1, 0.75, 0.1875, 4],
      ["BTCUSDT", "TRAIL", 1, 1, 0.25, 5],
      ["ETHUSDT", "TP1", 1, 2, 1 / 3, 6],
      ["ETHUSDT", "SL", 1, 4, 2 / 3, 2],
    ]);
    const pnl = [12.305, -3.2, -0.135, 4.75, 5.76, -6.6];
    breakdowns.symbolReason.forEach((row, index) => expect(row.totalNetPnlUsd).toBeCloseTo(pnl[index], 12));
    expect(breakdowns.symbolReason[0].averageNetPnlUsd).toBeCloseTo(6.1525, 12);
  });

  it("counts trades, wins and net PnL per tier and symbol (checked on paper)", () => {
    expect(breakdowns.tierSymbol.map((row) => [row.tier, row.symbol, row.trades, row.winningTrades, row.winRate])).toEqual([
      ["VERY_HIGH", "BTCUSDT", 2, 1, 0.5],
      ["VERY_HIGH", "ETHUSDT", 1, 1, 1],
      ["MEDIUM", "ETHUSDT", 1, 0, 0],
      ["NONE", "BTCUSDT", 1, 1, 1],
    ]);
    const pnl = [11.4, 5.76, -6.6, 2.32];
    breakdowns.tierSymbol.forEach((row, index) => expect(row.totalNetPnlUsd).toBeCloseTo(pnl[index], 12));
  });

  it("agrees with the plain-TypeScript exit statistics to 1e-9", () => {
    expectAgreementWithExitStats(breakdowns, trades, fills);
  });

  it("gives identical CSV for the same input and the same row order whatever the trade order", async () => {
    const again = await computeBreakdowns(trades, fills);
    expect(formatBreakdownCsv(again)).toBe(formatBreakdownCsv(breakdowns));
    expect(formatTierReasonTerminal(again)).toBe(formatTierReasonTerminal(breakdowns));
    const reversed = buildRun([...HAND_TRADES].reverse());
    const keys = (tables: Breakdowns): string[] => [
      ...tables.tierReason.map((row) => `${row.tier}:${row.reason}`),
      ...tables.symbolReason.map((row) => `${row.symbol}:${row.reason}`),
      ...tables.tierSymbol.map((row) => `${row.tier}:${row.symbol}`),
    ];
    expect(keys(await computeBreakdowns(reversed.trades, reversed.fills))).toEqual(keys(breakdowns));
  });
});

describe("breakdown tables of an engine run", () => {
  it("agree with the exit statistics on a run with a TP1, a trail and a stop", async () => {
    const bars = barsOf("ETHUSDT", [
      [3300.0, 3310.0, 3295.0, 3305.0], [3306.48, 3320.0, 3300.0, 3315.0], [3315.0, 3539.84, 3310.0, 3530.0],
      [3530.0, 3535.0, 3189.69, 3195.0], [3195.0, 3200.0, 3190.0, 3198.0], [3200.0, 3201.0, 3000.0, 3010.0],
    ]);
    const harvestPlan = plan({
      source: "ai", stopLossPct: 0.036, stages: [{ movePct: 0.042, fraction: 0.5 }],
      trailing: { distancePct: 0.01, activationPct: null, afterStage: 1 },
    });
    const result = runScenario(bars, { 0: 1, 4: 1 }, harvestPlan, { exchange: { takerFeeRate: 0.0005, makerFeeRate: 0.0002 } });
    const breakdowns = await computeBreakdowns(result.trades, result.fills);
    expect(breakdowns.tierReason.map((row) => `${row.tier}:${row.reason}:${row.shareOfQuantity}`)).toEqual([
      "VERY_HIGH:TP1:0.25", "VERY_HIGH:SL:0.5", "VERY_HIGH:TRAIL:0.25",
    ]);
    expectAgreementWithExitStats(breakdowns, result.trades, result.fills);
  });
});

describe("breakdown tables of random runs", () => {
  const REASONS = ["TP1", "TP2", "TP10", "SL", "BREAKEVEN", "TRAIL", "LIQUIDATION", "TIME", "SIGNAL", "END"];
  // "constructor" and dashed symbols break danfojs's string group keys; we group on codes.
  const SYMBOLS = ["BTCUSDT", "ETHUSDT", "A-B", "A", "constructor"];
  const legArbitrary = fc.record({
    reason: fc.constantFrom(...REASONS),
    quantity: fc.double({ min: 0.001, max: 10, noNaN: true }),
    realizedPnlUsd: fc.double({ min: -100, max: 100, noNaN: true }),
    feeUsd: fc.double({ min: 0, max: 1, noNaN: true }),
    fundingUsd: fc.double({ min: -1, max: 1, noNaN: true }),
    barsHeld: fc.integer({ min: 1, max: 50 }),
  });
  const tradeArbitrary = fc.record({
    symbol: fc.constantFrom(...SYMBOLS),
    side: fc.constantFrom<1 | -1>(1, -1),
    confidence: fc.constantFrom(NaN, 0.2, 0.45, 0.5, 0.6, 0.75, 0.85, 0.99),
    entryFeeUsd: fc.double({ min: 0, max: 1, noNaN: true }),
    legs: fc.array(legArbitrary, { minLength: 1, maxLength: 3 }),
  });

  it("agree with the exit statistics on every run", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tradeArbitrary, { minLength: 1, maxLength: 12 }), async (specs) => {
        const { trades, fills } = buildRun(specs.map((spec, index) => ({
          ...spec, id: index + 1, quantity: spec.legs.reduce((sum, exit) => sum + exit.quantity, 0),
        })));
        expectAgreementWithExitStats(await computeBreakdowns(trades, fills), trades, fills);
      }),
      { numRuns: 40, seed: 20240101 },
    );
  });

  it("keep groups apart whose keys danfojs would join into the same string", async () => {
    const { trades, fills } = buildRun([
      { id: 1, symbol: "A-B", side: 1, confidence: 0.9, quantity: 1, entryFeeUsd: 0, legs: [{ reason: "C", quantity: 1, realizedPnlUsd: 1, feeUsd: 0, fundingUsd: 0, barsHeld: 2 }] },
      { id: 2, symbol: "A", side: 1, confidence: 0.9, quantity: 1, entryFeeUsd: 0, legs: [{ reason: "B-C", quantity: 1, realizedPnlUsd: 2, feeUsd: 0, fundingUsd: 0, barsHeld: 3 }] },
    ]);
    const breakdowns = await computeBreakdowns(trades, fills);
    expect(breakdowns.symbolReason.map((row) => [row.symbol, row.reason, row.totalNetPnlUsd])).toEqual([["A", "B-C", 2], ["A-B", "C", 1]]);
  });
});

describe("breakdown tables of an empty run", () => {
  it("are empty without trades, and the writers still work", async () => {
    const empty = await computeBreakdowns([], []);
    expect(empty).toEqual({ tierReason: [], symbolReason: [], tierSymbol: [] });
    expect(formatBreakdownCsv(empty)).toBe("table,tier,symbol,reason,metric,value\n");
    expect(formatTierReasonTerminal(empty)).toContain("No closed legs.");
  });

  it("has only the tier × symbol table when the fills are not given", async () => {
    const { trades } = buildRun();
    const breakdowns = await computeBreakdowns(trades, []);
    expect(breakdowns.tierReason).toEqual([]);
    expect(breakdowns.symbolReason).toEqual([]);
    expect(breakdowns.tierSymbol.map((row) => row.trades)).toEqual([2, 1, 1, 1]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manageBar, ORDER_HIGH_FIRST, ORDER_LOW_FIRST } from "../../engine/intrabar.js";
import { PaperExchange } from "../../engine/paperExchange.js";
import type { ExitPlan, IntrabarMode } from "../../engine/types.js";
import { NO_FEES, barsOf, plan, runScenario } from "../fixtures/bars.js";

/** Property runs per property (SPEC/issue: at least 1,000 in CI). */
const RUNS = 1000;

type Row = [number, number, number, number];

/** A random bar path: a walk of closes, each bar's open a small jump from the last close. */
const barRows = fc
  .array(fc.record({ move: fc.double({ min: -0.06, max: 0.06, noNaN: true }), jump: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
    up: fc.double({ min: 0, max: 0.04, noNaN: true }), down: fc.double({ min: 0, max: 0.04, noNaN: true }) }), { minLength: 3, maxLength: 40 })
  .map((steps) => {
    const rows: Row[] = [];
    let last = 100;
    for (const step of steps) {
      const open = last * (1 + step.jump);
      const close = open * (1 + step.move);
      const high = Math.max(open, close) * (1 + step.up);
      const low = Math.min(open, close) * (1 - step.down);
      rows.push([open, high, low, close]);
      last = close;
    }
    return rows;
  });

/** A random valid exit plan: sorted stages whose fractions sum to at most 1. */
const exitPlans = fc
  .record({
    stopLossPct: fc.option(fc.double({ min: 0.005, max: 0.2, noNaN: true }), { nil: null }),
    moves: fc.array(fc.double({ min: 0.002, max: 0.1, noNaN: true }), { maxLength: 3 }),
    weights: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
    closeAll: fc.boolean(),
    trailing: fc.option(fc.record({
      distancePct: fc.double({ min: 0.002, max: 0.1, noNaN: true }),
      activationPct: fc.option(fc.double({ min: 0, max: 0.05, noNaN: true }), { nil: null }),
      afterStage: fc.integer({ min: 0, max: 2 }),
    }), { nil: null }),
    breakevenOffsetPct: fc.option(fc.double({ min: 0, max: 0.01, noNaN: true }), { nil: null }),
    maxHoldingBars: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
  })
  .map((p): ExitPlan => {
    const moves = [...p.moves].sort((a, b) => a - b);
    const total = p.weights.slice(0, moves.length).reduce((a, b) => a + b, 0) || 1;
    const scale = p.closeAll ? 1 / total : 0.9 / Math.max(total, 1);
    const stages = moves.map((movePct, k) => ({ movePct, fraction: p.weights[k] * scale }));
    const trailing = p.trailing === null ? null : { ...p.trailing, afterStage: Math.min(p.trailing.afterStage, stages.length) };
    return plan({ stopLossPct: p.stopLossPct, stages, trailing, breakevenOffsetPct: p.breakevenOffsetPct, maxHoldingBars: p.maxHoldingBars });
  });

const settings = fc.record({
  takerFeeRate: fc.double({ min: 0, max: 0.001, noNaN: true }),
  makerFeeRate: fc.double({ min: 0, max: 0.0005, noNaN: true }),
  slippageBps: fc.double({ min: 0, max: 10, noNaN: true }),
  fundingRate: fc.option(fc.double({ min: -0.001, max: 0.001, noNaN: true }), { nil: null }),
  lotSize: fc.constantFrom(0, 0.001, 0.01),
  leverage: fc.double({ min: 1, max: 50, noNaN: true }),
  mode: fc.constantFrom<IntrabarMode>("default", "pessimistic", "optimistic"),
  side: fc.constantFrom<1 | -1>(1, -1),
  onOpposite: fc.constantFrom("ignore", "close", "reverse" as const),
});

describe("engine invariants over random bar paths, plans and exchange settings", () => {
  it("reconciles money, sums legs to the entry quantity and never fills a closed position", () => {
    fc.assert(
      fc.property(barRows, exitPlans, settings, fc.array(fc.integer({ min: 0, max: 39 }), { maxLength: 6 }), (rows, exitPlan, s, signalBars) => {
        const at: Record<number, 1 | -1> = {};
        signalBars.forEach((index, k) => { if (index < rows.length) at[index] = (k % 2 === 0 ? s.side : -s.side) as 1 | -1; });
        const result = runScenario(barsOf("X", rows), at, exitPlan, {
          exchange: { takerFeeRate: s.takerFeeRate, makerFeeRate: s.makerFeeRate, slippageBps: s.slippageBps, fundingRate: s.fundingRate, lotSize: s.lotSize },
          sizing: { marginUsd: 1000, leverage: s.leverage }, intrabarMode: s.mode, gates: { onOpposite: s.onOpposite }, initialBalance: 100_000,
        });
        const { account } = result;
        let realized = 0, fees = 0, funding = 0;
        for (const fill of result.fills) { realized += fill.realizedPnlUsd; fees += fill.feeUsd; funding += fill.fundingUsd; }
        expect(Math.abs(account.finalEquity - (account.initialBalance + realized - fees + funding)) / account.initialBalance).toBeLessThanOrEqual(1e-9);
        expect(account.reconciliationError).toBeLessThanOrEqual(1e-9);
        expect(result.equity.equity[result.equity.length - 1]).toBeCloseTo(account.finalEquity, 6);
        for (const trade of result.trades) {
          const legs = result.fills.filter((fill) => fill.tradeId === trade.id && fill.reason !== "ENTRY");
          const closed = legs.reduce((sum, fill) => sum + fill.quantity, 0);
          expect(Math.abs(closed - trade.quantity)).toBeLessThanOrEqual(trade.quantity * 1e-9);
          for (const leg of legs) expect(leg.timeMs).toBeLessThanOrEqual(trade.exitTimeMs);
          expect(legs[legs.length - 1].seq).toBe(Math.max(...legs.map((leg) => leg.seq)));
          if (trade.exitReason === "LIQUIDATION") expect(trade.netPnlUsd).toBeLessThanOrEqual(1e-9);
          expect(trade.maePct).toBeLessThanOrEqual(1e-12);
          expect(trade.mfePct).toBeGreaterThanOrEqual(-1e-12);
        }
        // Trades on one symbol never overlap: each entry comes after the previous trade's last fill.
        const sorted = [...result.trades].sort((a, b) => a.id - b.id);
        for (let k = 1; k < sorted.length; k++) expect(sorted[k].entryTimeMs).toBeGreaterThanOrEqual(sorted[k - 1].exitTimeMs);
        for (let row = 0; row < result.equity.length; row++) expect(result.equity.marginUsed[row]).toBeGreaterThanOrEqual(-1e-9);
      }),
      { numRuns: RUNS, seed: 20261122 },
    );
  });

  it("never loosens a trailing stop and never leaves margin negative while a position is open", () => {
    fc.assert(
      fc.property(barRows, exitPlans, settings, (rows, exitPlan, s) => {
        const ex = new PaperExchange(["X"], { ...NO_FEES, takerFeeRate: s.takerFeeRate, slippageBps: s.slippageBps }, 100_000);
        const trailed: ExitPlan = { ...exitPlan, trailing: exitPlan.trailing ?? { distancePct: 0.02, activationPct: null, afterStage: 0 } };
        expect(ex.openPosition(0, s.side, rows[0][0], 0, 1000, 0, s.leverage, 0.9, NaN, trailed)).toBe(true);
        const bars = barsOf("X", rows);
        let previousTrail = NaN;
        for (let i = 0; i < rows.length && ex.book.side[0] !== 0; i++) {
          manageBar(ex, 0, bars, i, rows[i][3] >= rows[i][0] ? ORDER_LOW_FIRST : ORDER_HIGH_FIRST);
          if (ex.book.side[0] === 0) break;
          const trail = ex.book.trailPrice[0];
          if (previousTrail === previousTrail) expect(s.side * trail).toBeGreaterThanOrEqual(s.side * previousTrail);
          if (ex.book.trailActive[0] === 1) previousTrail = trail;
          expect(ex.book.margin[0]).toBeGreaterThan(0);
          expect(ex.account.marginUsed).toBeGreaterThanOrEqual(-1e-9);
        }
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });
});

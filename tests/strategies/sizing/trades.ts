/** Hand-made closed trades for the sizing tests: a long of 1 unit at 100 with no costs unless overridden. */
import type { ExitPlan, Trade } from "../../../engine/types.js";

const PLAN: ExitPlan = {
  source: "static", stopLossPct: 0.03, stages: [{ movePct: 0.05, fraction: 1 }], trailing: null,
  breakevenOffsetPct: null, maxHoldingBars: null, fallback: false,
};

let nextId = 1;

/** A closed trade whose net PnL is `netPnlUsd` on a notional of entryPrice × quantity (default 100). */
export function closedTrade(netPnlUsd: number, overrides: Partial<Trade> = {}): Trade {
  const entryPrice = overrides.entryPrice ?? 100;
  const quantity = overrides.quantity ?? 1;
  const marginUsd = overrides.marginUsd ?? (entryPrice * quantity) / 10;
  return {
    id: nextId++, symbol: "BTCUSDT", side: 1, entryTimeMs: 0, exitTimeMs: 3_600_000,
    entryPrice, exitPrice: entryPrice + netPnlUsd / quantity, quantity, leverage: 10, marginUsd,
    confidence: 0.75, score: 0.5, plan: PLAN, stopLossPrice: entryPrice * 0.97,
    realizedPnlUsd: netPnlUsd, feesUsd: 0, fundingUsd: 0, netPnlUsd, returnOnMargin: netPnlUsd / marginUsd,
    rMultiple: netPnlUsd / (0.03 * entryPrice * quantity), maePct: -0.01, mfePct: 0.02, barsHeld: 1,
    exitReason: netPnlUsd >= 0 ? "TP1" : "SL", legs: 1, pathDependent: false,
    ...overrides,
    decisionId: overrides.decisionId ?? null,
  };
}

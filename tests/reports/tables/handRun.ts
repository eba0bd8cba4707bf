/**
 * A hand-made run for the breakdown tests: five trades on two symbols, with fees and funding,
 * small enough to check every number on paper. A leg's net PnL = realised − exit fee +
 * funding − entry fee × leg quantity / trade quantity.
 *
 *   id  symbol   conf  tier       qty  entry fee  legs (reason qty realised fee funding bars → net)
 *   1   BTCUSDT  0.90  VERY_HIGH  2    0.20       TP1 1 10 0.10 +0.05 3 → 9.85;  TRAIL 1 5 0.10 −0.05 5 → 4.75
 *   2   ETHUSDT  0.60  MEDIUM     4    0.40       SL 4 −6 0.40 +0.20 2 → −6.6   (a short)
 *   3   BTCUSDT  NaN   NONE       1    0.10       TP1 0.25 2.5 0.02 0 2 → 2.455;  BREAKEVEN 0.75 0 0.06 0 4 → −0.135
 *   4   ETHUSDT  0.90  VERY_HIGH  2    0.12       TP1 2 6 0.12 0 6 → 5.76
 *   5   BTCUSDT  0.92  VERY_HIGH  1    0.10       SL 1 −3 0.10 0 2 → −3.2
 *
 * Trade net PnL: 14.6, −6.6, 2.32, 5.76, −3.2.
 */
import type { Fill, Trade } from "../../../engine/types.js";
import { makeFill, makeTrade } from "../fixtures.js";

interface LegSpec {
  readonly reason: string;
  readonly quantity: number;
  readonly realizedPnlUsd: number;
  readonly feeUsd: number;
  readonly fundingUsd: number;
  readonly barsHeld: number;
}

interface TradeSpec {
  readonly id: number;
  readonly symbol: string;
  readonly side: 1 | -1;
  readonly confidence: number;
  readonly quantity: number;
  readonly entryFeeUsd: number;
  readonly legs: readonly LegSpec[];
}

const leg = (reason: string, quantity: number, realizedPnlUsd: number, feeUsd: number, fundingUsd: number, barsHeld: number): LegSpec =>
  ({ reason, quantity, realizedPnlUsd, feeUsd, fundingUsd, barsHeld });

export const HAND_TRADES: readonly TradeSpec[] = [
  { id: 1, symbol: "BTCUSDT", side: 1, confidence: 0.9, quantity: 2, entryFeeUsd: 0.2, legs: [leg("TP1", 1, 10, 0.1, 0.05, 3), leg("TRAIL", 1, 5, 0.1, -0.05, 5)] },
  { id: 2, symbol: "ETHUSDT", side: -1, confidence: 0.6, quantity: 4, entryFeeUsd: 0.4, legs: [leg("SL", 4, -6, 0.4, 0.2, 2)] },
  { id: 3, symbol: "BTCUSDT", side: 1, confidence: NaN, quantity: 1, entryFeeUsd: 0.1, legs: [leg("TP1", 0.25, 2.5, 0.02, 0, 2), leg("BREAKEVEN", 0.75, 0, 0.06, 0, 4)] },
  { id: 4, symbol: "ETHUSDT", side: 1, confidence: 0.9, quantity: 2, entryFeeUsd: 0.12, legs: [leg("TP1", 2, 6, 0.12, 0, 6)] },
  { id: 5, symbol: "BTCUSDT", side: 1, confidence: 0.92, quantity: 1, entryFeeUsd: 0.1, legs: [leg("SL", 1, -3, 0.1, 0, 2)] },
];

/** Trades and fills of the specs; fills in trade order, each trade's ENTRY first. */
export function buildRun(specs: readonly TradeSpec[] = HAND_TRADES): { trades: Trade[]; fills: Fill[] } {
  const trades: Trade[] = [];
  const fills: Fill[] = [];
  for (const spec of specs) {
    const base = { tradeId: spec.id, symbol: spec.symbol };
    fills.push(makeFill({ ...base, seq: fills.length + 1, reason: "ENTRY", orderSide: spec.side, quantity: spec.quantity, feeUsd: spec.entryFeeUsd }));
    for (const exit of spec.legs) {
      fills.push(makeFill({ ...base, seq: fills.length + 1, orderSide: spec.side === 1 ? -1 : 1, ...exit }));
    }
    const sum = (pick: (exit: LegSpec) => number): number => spec.legs.reduce((total, exit) => total + pick(exit), 0);
    const realizedPnlUsd = sum((exit) => exit.realizedPnlUsd);
    const feesUsd = spec.entryFeeUsd + sum((exit) => exit.feeUsd);
    const fundingUsd = sum((exit) => exit.fundingUsd);
    const last = spec.legs[spec.legs.length - 1];
    trades.push(makeTrade({
      id: spec.id, symbol: spec.symbol, side: spec.side, confidence: spec.confidence, quantity: spec.quantity,
      realizedPnlUsd, feesUsd, fundingUsd, netPnlUsd: realizedPnlUsd - feesUsd + fundingUsd,
      exitReason: last.reason, legs: spec.legs.length, barsHeld: last.barsHeld,
    }));
  }
  return { trades, fills };
}

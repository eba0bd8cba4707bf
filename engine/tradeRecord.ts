import type { TradeLedger } from "./ledgers.js";
import type { PositionBook } from "./positionBook.js";
import type { ExitPlan } from "./types.js";

/**
 * Writes the closed position in `slot` of the book as one row of the trade ledger (SPEC §7
 * trades.csv): entry, average exit, quantity, margin, PnL, fees, funding, excursions, reason.
 * Returns the row index. The slot is read, not cleared.
 */
export function writeTrade(ledger: TradeLedger, b: PositionBook, slot: number, reason: number, timeMs: number): number {
  const i = ledger.add(b.plan[slot] as ExitPlan);
  ledger.tradeId[i] = b.tradeId[slot];
  ledger.slot[i] = slot;
  ledger.side[i] = b.side[slot];
  ledger.entryTimeMs[i] = b.entryTime[slot];
  ledger.exitTimeMs[i] = timeMs;
  ledger.entryPrice[i] = b.entryPrice[slot];
  ledger.exitPrice[i] = b.exitValue[slot] / b.originalQuantity[slot];
  ledger.quantity[i] = b.originalQuantity[slot];
  ledger.leverage[i] = b.leverage[slot];
  ledger.margin[i] = b.initialMargin[slot];
  ledger.confidence[i] = b.confidence[slot];
  ledger.score[i] = b.score[slot];
  ledger.realizedPnl[i] = b.realizedPnl[slot];
  ledger.fees[i] = b.fees[slot];
  ledger.funding[i] = b.funding[slot];
  ledger.worstPrice[i] = b.worstPrice[slot];
  ledger.peakPrice[i] = b.peakPrice[slot];
  ledger.decisionId[i] = b.decisionId[slot];
  ledger.barsHeld[i] = b.barsHeld[slot];
  ledger.reason[i] = reason;
  ledger.legs[i] = b.legs[slot];
  ledger.pathDependent[i] = b.pathDependent[slot];
  return i;
}

/**
 * Pairing the trades of two runs that share their entries (SPEC §8 compare). Runs with the
 * same signals, gates and sizing but different exits open the same positions — except that a
 * position still open in one run blocks a later entry there that the other run takes. So
 * trades are matched on their entry identity, and what does not match is counted, not guessed.
 */
import type { Trade } from "../../engine/types.js";

/** Entry identity: symbol, entry time and side. Prices and sizes may legitimately differ. */
export function entryKeyOf(trade: Trade): string {
  return `${trade.symbol}\u0000${trade.entryTimeMs}\u0000${trade.side}`;
}

/** Canonical entry order: entry time, then symbol (code units), then long before short. */
export function compareEntries(a: Trade, b: Trade): number {
  if (a.entryTimeMs !== b.entryTimeMs) return a.entryTimeMs - b.entryTimeMs;
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return b.side - a.side;
}

export interface TradePair {
  readonly base: Trade;
  readonly other: Trade;
}

export interface TradePairing {
  /** Matched trades in canonical entry order (the order the bootstrap resamples from). */
  readonly pairs: readonly TradePair[];
  /** Trades of `base` with no trade of the same entry in `other`, in entry order. */
  readonly unmatchedBase: readonly Trade[];
  /** Trades of `other` with no trade of the same entry in `base`, in entry order. */
  readonly unmatchedOther: readonly Trade[];
}

/**
 * Matches each trade of `base` with the trade of `other` that has the same symbol, entry time
 * and side. Should one run hold several trades with the same entry identity (not possible
 * with one position per symbol, but not assumed away), the k-th of each side pair up.
 */
export function pairTrades(base: readonly Trade[], other: readonly Trade[]): TradePairing {
  const waiting = new Map<string, Trade[]>();
  for (const trade of [...other].sort(compareEntries)) {
    const key = entryKeyOf(trade);
    const queue = waiting.get(key);
    if (queue === undefined) waiting.set(key, [trade]);
    else queue.push(trade);
  }
  const pairs: TradePair[] = [];
  const unmatchedBase: Trade[] = [];
  for (const trade of [...base].sort(compareEntries)) {
    const match = waiting.get(entryKeyOf(trade))?.shift();
    if (match === undefined) unmatchedBase.push(trade);
    else pairs.push({ base: trade, other: match });
  }
  const unmatchedOther = [...waiting.values()].flat().sort(compareEntries);
  return { pairs, unmatchedBase, unmatchedOther };
}

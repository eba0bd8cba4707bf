/**
 * A run's closing legs and trades as flat rows: the input of the breakdown tables
 * (`breakdown.ts`). Pure and free of danfojs, so it can be used and tested without loading it.
 *
 * A leg's net PnL is computed as in `exitStats.ts`: realised PnL − its exit fee + its funding
 * share − the entry fee pro rata to its quantity, so the legs of a trade add up to the trade's
 * net PnL.
 */
import type { Fill, PlanSource, Trade } from "../../engine/types.js";
import { confidenceTier } from "../confidenceTier.js";

/** Label of trades whose confidence is missing or not finite. */
export const NO_TIER = "NONE";

/** Tiers from the highest down, then `NONE`: the row order of every breakdown table. */
export const TIER_ORDER: readonly string[] = ["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW", NO_TIER];

/** One closing fill of a trade. */
export interface LegRow {
  readonly tradeId: number;
  readonly symbol: string;
  readonly side: 1 | -1;
  /** Confidence tier of the trade (`VERY_HIGH` … `VERY_LOW`), `NONE` without a confidence. */
  readonly tier: string;
  /** The fill's reason: `TP1` … `TPn`, `SL`, `BREAKEVEN`, `TRAIL`, `LIQUIDATION`, `TIME`, `SIGNAL`, `END`. */
  readonly reason: string;
  readonly quantity: number;
  /** Net PnL of the leg in USDT, entry fee included pro rata (see the module comment). */
  readonly netPnlUsd: number;
  /** Bars held at the fill (the entry bar counts as 1). */
  readonly barsHeld: number;
  /** The trade's confidence, 0..1; null when it has none. */
  readonly confidence: number | null;
  readonly planSource: PlanSource;
}

/** One closed trade, reduced to what the tier × symbol table needs. */
export interface TradeRow {
  readonly tradeId: number;
  readonly symbol: string;
  readonly tier: string;
  readonly netPnlUsd: number;
  /** Net PnL > 0, as `computeStats` and the tier table count a win. */
  readonly won: boolean;
}

/** The tier label of a trade: default buckets of SPEC §4.2, `NONE` without a finite confidence. */
export function tierOfTrade(trade: Trade): string {
  return confidenceTier(trade.confidence) ?? NO_TIER;
}

/** Entry fee of each trade: the fee of its ENTRY fill (0 when the fills do not include it). */
function entryFeesByTrade(fills: readonly Fill[]): Map<number, number> {
  const fees = new Map<number, number>();
  for (const fill of fills) if (fill.reason === "ENTRY") fees.set(fill.tradeId, fill.feeUsd);
  return fees;
}

/**
 * One row per closing fill, in the order of `fills` (execution order). Fills of trades not in
 * `trades` (a position still open, a filtered run) are left out, as in `computeExitStats`.
 */
export function buildLegRows(trades: readonly Trade[], fills: readonly Fill[]): LegRow[] {
  const tradeById = new Map(trades.map((trade) => [trade.id, trade]));
  const entryFees = entryFeesByTrade(fills);
  const rows: LegRow[] = [];
  for (const fill of fills) {
    if (fill.reason === "ENTRY") continue;
    const trade = tradeById.get(fill.tradeId);
    if (trade === undefined) continue;
    const entryFeeShare = (entryFees.get(trade.id) ?? 0) * (fill.quantity / trade.quantity);
    rows.push({
      tradeId: trade.id,
      symbol: trade.symbol,
      side: trade.side,
      tier: tierOfTrade(trade),
      reason: fill.reason,
      quantity: fill.quantity,
      netPnlUsd: fill.realizedPnlUsd - fill.feeUsd + fill.fundingUsd - entryFeeShare,
      barsHeld: fill.barsHeld,
      confidence: Number.isFinite(trade.confidence) ? trade.confidence : null,
      planSource: trade.plan.source,
    });
  }
  return rows;
}

/** One row per trade, in the order of `trades`. */
export function buildTradeRows(trades: readonly Trade[]): TradeRow[] {
  return trades.map((trade) => ({
    tradeId: trade.id,
    symbol: trade.symbol,
    tier: tierOfTrade(trade),
    netPnlUsd: trade.netPnlUsd,
    won: trade.netPnlUsd > 0,
  }));
}

/** Comparator of tier labels in `TIER_ORDER`; unknown labels after it in code-unit order. */
export function compareTiers(a: string, b: string): number {
  const rankA = TIER_ORDER.indexOf(a);
  const rankB = TIER_ORDER.indexOf(b);
  const orderA = rankA === -1 ? TIER_ORDER.length : rankA;
  const orderB = rankB === -1 ? TIER_ORDER.length : rankB;
  if (orderA !== orderB) return orderA - orderB;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Comparator of symbols: code-unit order, independent of the machine's locale. */
export function compareSymbols(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What the replay hands a sizing module and gets back (SPEC §1 steps 8–9), in a file of its
 * own so the decision and order-resolution code can name them without importing the replay.
 */
import type { BarSeries, Trade } from "./types.js";

/** What a sizing module sees when a signal has passed the gates (SPEC §1 step 8). */
export interface DecisionContext {
  readonly symbol: string;
  readonly symbolIndex: number;
  readonly series: BarSeries;
  /** The bar whose close the decision is taken at; the module must not read past it. */
  readonly barIndex: number;
  readonly decisionTimeMs: number;
  readonly side: 1 | -1;
  readonly confidence: number;
  readonly score: number;
  readonly sizeMultiplier: number;
  readonly equity: number;
  readonly balance: number;
  readonly availableBalance: number;
  readonly marginUsed: number;
  readonly openPositions: number;
  readonly maxPositions: number;
  /** Trades already closed at decision time, oldest first. */
  readonly closedTrades: readonly Trade[];
}

export interface SizingDecision {
  /** Margin budget in USDT; the quantity is fixed at the fill price with the entry fee reserved. */
  readonly marginUsd: number;
  readonly leverage: number;
  /** A fixed quantity instead of a margin budget (the fixed-quantity baseline); 0/absent = use the budget. */
  readonly quantity?: number;
  /** An id the sizing module gives its decision; it comes back on the trade (`Trade.decisionId`). */
  readonly decisionId?: number;
}

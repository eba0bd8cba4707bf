/**
 * The records a run leaves: the exit plan stored with a position, and its fills and trades
 * (SPEC §5, §7). In a file of their own so the columnar ledgers (ledgers.ts) can build them
 * while types.ts names the ledgers, without an import cycle; types.ts re-exports them all.
 */
/** `strategy`: levels a version-2 strategy gave with its order (not a configured policy). */
export type PlanSource = "static" | "ai" | "lsf" | "math" | "harvest" | "strategy";

/** One take-profit stage: a favourable move from the entry fill closing a share of the original size. */
export interface TakeProfitStage {
  /** Price move from the entry fill, > 0 (0.05 = 5 %). */
  readonly movePct: number;
  /** Fraction of the original quantity, >= 0. */
  readonly fraction: number;
}

export interface TrailingStopPlan {
  /** Distance from the peak (long) / trough (short), in (0, 1). */
  readonly distancePct: number;
  /** Peak must be at least this far beyond the entry before the trail is active; null = no condition. */
  readonly activationPct: number | null;
  /** Number of TP stages that must have filled before the trail is active (0 = from entry). */
  readonly afterStage: number;
}

/** An exit plan, computed once at entry and stored with the position (SPEC §5). */
export interface ExitPlan {
  readonly source: PlanSource;
  /** Adverse move from the entry fill, > 0; null = no stop loss. */
  readonly stopLossPct: number | null;
  /** Ordered TP stages (moves non-decreasing, fractions summing to <= 1). */
  readonly stages: readonly TakeProfitStage[];
  readonly trailing: TrailingStopPlan | null;
  /** After stage 1 fills, move the stop to entry × (1 + side × offset); null = off. */
  readonly breakevenOffsetPct: number | null;
  /** Close at the close of the N-th bar held (entry bar = 1); null = no limit. */
  readonly maxHoldingBars: number | null;
  /** True when the policy could not apply and fell back to static (SPEC §5, ai). */
  readonly fallback: boolean;
}

export type FillReason =
  | "ENTRY"
  | "TP"
  | "SL"
  | "BREAKEVEN"
  | "TRAIL"
  | "LIQUIDATION"
  | "TIME"
  | "SIGNAL"
  | "END";

/** One fill, in execution order (SPEC §7 fills.csv). */
export interface Fill {
  readonly seq: number;
  readonly tradeId: number;
  readonly symbol: string;
  /** Open time of the (detail) bar in which the fill happened. */
  readonly timeMs: number;
  /** `ENTRY`, `TP1`…`TPn`, `SL`, `BREAKEVEN`, `TRAIL`, `LIQUIDATION`, `TIME`, `SIGNAL`, `END`. */
  readonly reason: string;
  /** +1 buy, -1 sell. */
  readonly orderSide: 1 | -1;
  readonly price: number;
  readonly quantity: number;
  readonly feeUsd: number;
  /** Gross realised PnL of this leg (0 for entries). */
  readonly realizedPnlUsd: number;
  /** Funding attributed to this leg (signed, received positive); 0 for entries. */
  readonly fundingUsd: number;
  readonly liquidity: "maker" | "taker" | "liquidation";
  /** True when replaying the bar adverse-first and favourable-first gives different fills. */
  readonly pathDependent: boolean;
  /** Fill happened at the bar's open because the level had already been passed (a gap). */
  readonly gap: boolean;
  /** Bars the position had been held at this fill (the entry bar counts as 1). */
  readonly barsHeld: number;
}

/** One closed trade: entry to final exit of one position (SPEC §7 trades.csv). */
export interface Trade {
  readonly id: number;
  readonly symbol: string;
  readonly side: 1 | -1;
  readonly entryTimeMs: number;
  readonly exitTimeMs: number;
  readonly entryPrice: number;
  /** Quantity-weighted average exit price over all closing legs. */
  readonly exitPrice: number;
  readonly quantity: number;
  readonly leverage: number;
  readonly marginUsd: number;
  readonly confidence: number;
  readonly score: number;
  readonly plan: ExitPlan;
  readonly stopLossPrice: number | null;
  readonly realizedPnlUsd: number;
  /** Entry and exit fees (liquidation fee included). */
  readonly feesUsd: number;
  /** Signed funding: received positive. */
  readonly fundingUsd: number;
  /** Net PnL = realised − fees + funding. */
  readonly netPnlUsd: number;
  /** Net PnL / initial margin. */
  readonly returnOnMargin: number;
  /** Net PnL / (slPct × entry × quantity); null without a stop. */
  readonly rMultiple: number | null;
  /** Maximum adverse / favourable excursion as price moves from the entry fill (fractions, MAE <= 0 <= MFE). */
  readonly maePct: number;
  readonly mfePct: number;
  readonly barsHeld: number;
  readonly exitReason: string;
  readonly legs: number;
  readonly pathDependent: boolean;
  /** The sizing module's decision id, if it gave one (links an RL decision to its outcome). */
  readonly decisionId: number | null;
}

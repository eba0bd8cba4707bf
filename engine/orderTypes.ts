import type { PlanSource } from "./types.js";

/**
 * The version-2 strategy interface's public types: what `onBar(view, ctx)` sees of its
 * position and orders, and what it may ask for (README "Strategy interface, version 2").
 * Prices in quote currency, fractions as plain ratios (0.02 = 2 %), times in epoch ms.
 */

export type OrderType = "market" | "limit" | "stop" | "stop-limit";
export type OrderSide = "buy" | "sell";

/** Good till cancelled, or the order expires after the close of its N-th bar (N ≥ 1). */
export type TimeInForce = "gtc" | { readonly bars: number };

/**
 * How much an entry buys. `sizing`: the run's configured sizing module, as for a signal;
 * `quantity`: units; `notional`: USDT of position value (at the fill price);
 * `fraction`: margin = fraction × equity (at the decision, or at the fill with
 * `sizingReference: fill`); `all-in`: whole units (or `step`s) the available balance buys
 * at the fill price, the entry fee included.
 */
export type OrderSize =
  | { readonly kind: "sizing" }
  | { readonly kind: "quantity"; readonly quantity: number }
  | { readonly kind: "notional"; readonly notionalUsd: number }
  | { readonly kind: "fraction"; readonly fraction: number }
  | { readonly kind: "all-in"; readonly step?: number };

/** A price level: absolute, or a fraction away from an anchor — the signal bar's close or the entry fill. */
export type LevelSpec = { readonly price: number } | { readonly pct: number; readonly anchor: "signal" | "fill" };

export interface TakeProfitSpec {
  readonly level: LevelSpec;
  /** Fraction of the original quantity this stage closes (the last stage of a set summing to 1 closes the rest). */
  readonly fraction: number;
}

export interface TrailingSpec {
  readonly distancePct: number;
  readonly activationPct?: number | null;
  readonly afterStage?: number;
}

/** Exits attached to an entry; a missing key means none. */
export interface ExitSpec {
  readonly stopLoss?: LevelSpec | null;
  /** One level closing everything, or stages. */
  readonly takeProfit?: LevelSpec | readonly TakeProfitSpec[] | null;
  readonly trailing?: TrailingSpec | null;
  readonly breakevenOffsetPct?: number | null;
  readonly maxHoldingBars?: number | null;
}

export interface OrderRequest {
  readonly side: OrderSide;
  /** Default `market`. */
  readonly type?: OrderType;
  /** Limit price of `limit` and `stop-limit` orders. */
  readonly limitPrice?: number;
  /** Trigger price of `stop` and `stop-limit` orders. */
  readonly stopPrice?: number;
  /** Default `gtc`. Market orders fill at the next open (or this close) and take no time in force. */
  readonly timeInForce?: TimeInForce;
  /** Default `{ kind: "sizing" }`. */
  readonly size?: OrderSize;
  /** Leverage of a `quantity`/`notional`/`fraction`/`all-in` order (default 1; capped by `risk.maxLeverage`; 1 on spot). */
  readonly leverage?: number;
  /**
   * The exits: `"configured"` (default) — the run's exit plan computed as for a signal;
   * `{ plan: "static" | "ai" | … }` — another plan kind with its default settings;
   * or levels given here (`{}` = no exits).
   */
  readonly exits?: "configured" | { readonly plan: PlanSource } | ExitSpec;
  /** Recorded on the trade; used by `ai` exits and sizing modules. */
  readonly confidence?: number;
  readonly score?: number;
  /** A label of yours, shown on the order in `ctx.orders`. */
  readonly tag?: string;
}

/** The open position as the strategy sees it at a bar's close (read-only, a fresh copy). */
export interface PositionState {
  readonly side: "long" | "short";
  readonly quantity: number;
  readonly originalQuantity: number;
  readonly entryPrice: number;
  readonly entryTimeMs: number;
  readonly leverage: number;
  /** At this bar's close, before fees of a closing fill. */
  readonly unrealizedPnlUsd: number;
  /** The entry bar counts as 1. */
  readonly barsHeld: number;
  readonly stagesFilled: number;
  readonly stopLoss: number | null;
  /** Prices of the TP stages still to fill, in order. */
  readonly takeProfits: readonly number[];
  readonly trailingDistancePct: number | null;
  /** The trailing stop's level while active, else null. */
  readonly trailingLevel: number | null;
  readonly liquidationPrice: number | null;
  readonly tradeId: number;
}

export interface PendingOrderState {
  readonly id: number;
  readonly type: OrderType;
  readonly side: OrderSide;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  /** A stop-limit whose stop has triggered (it now rests as a limit). */
  readonly triggered: boolean;
  /** Bar index of the close the order was submitted at. */
  readonly submittedBar: number;
  /** Last bar index it may fill in; null = good till cancelled. */
  readonly expiresAfterBar: number | null;
  readonly tag: string | null;
}

/**
 * The second argument of a version-2 `onBar(view, ctx)`. Reads are a snapshot at this bar's
 * close; actions take effect from the next bar (market orders at its open, or at this close
 * with `fillTiming: signal-close`).
 */
export interface StrategyContext {
  readonly symbol: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly position: PositionState | null;
  readonly orders: readonly PendingOrderState[];
  /** Account equity at this close (all symbols). */
  readonly equity: number;
  readonly availableBalance: number;
  /** Submits an entry order; returns its id. */
  submit(request: OrderRequest): number;
  /** Cancels one pending order by id, or all of this symbol's when no id is given; returns how many. */
  cancel(id?: number): number;
  /** Closes the whole position (no argument) or this fraction of the open quantity, at market. */
  close(fraction?: number): void;
  /** Moves the stop loss (null removes it). A stop moved against the position is counted and warned about. */
  setStopLoss(price: number | null): void;
  /** Replaces the TP stages not yet filled: one price closing the rest, stages, or null for none. */
  setTakeProfit(target: number | readonly { readonly price: number; readonly fraction: number }[] | null): void;
  /** Sets (or with null removes) the trailing stop. */
  setTrailing(trailing: TrailingSpec | null): void;
}

/** What the replay calls at each bar close of each symbol when a version-2 strategy runs. */
export interface BarCloseStrategy {
  onBarClose(symbolIndex: number, barIndex: number, ctx: StrategyContext): void;
}

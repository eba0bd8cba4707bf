import { LIQUIDITY_MAKER } from "./ledgers.js";
import type { PaperExchange } from "./paperExchange.js";
import { roundToTick } from "./rounding.js";
import type { LevelSpec, OrderType, PendingOrderState, TakeProfitSpec } from "./orderTypes.js";
import { ORDER_LIMIT, ORDER_MARKET, ORDER_STOP, ORDER_STOP_LIMIT } from "./orders.js";
import type { ExitPlan, TakeProfitStage } from "./types.js";

const TYPE_NAMES: readonly OrderType[] = ["market", "limit", "stop", "stop-limit"];
export const ORDER_CODES: Readonly<Record<OrderType, number>> = {
  market: ORDER_MARKET, limit: ORDER_LIMIT, stop: ORDER_STOP, "stop-limit": ORDER_STOP_LIMIT,
};

/**
 * An order of a version-2 strategy as the broker keeps it between its submission and its
 * fill, cancellation or expiry. Everything known at the decision is resolved then (sizing
 * at the signal, the configured plan, levels anchored at the signal close); what depends on
 * the fill (all-in, sizing at the fill, levels anchored at the fill) is resolved by
 * `resolveAtFill`.
 */
export interface RestingOrder {
  readonly id: number;
  readonly slot: number;
  readonly kind: number;
  readonly side: 1 | -1;
  readonly limit: number;
  readonly stop: number;
  triggered: boolean;
  readonly submittedBar: number;
  /** Last bar index it may fill in (Infinity = GTC). */
  readonly expiresAfterBar: number;
  readonly tag: string | null;
  /** Close of the bar the order was decided at: the `signal` anchor. */
  readonly signalClose: number;
  readonly leverage: number;
  /** Margin budget decided at the signal (NaN when the amount is decided at the fill). */
  readonly marginUsd: number;
  readonly quantity: number;
  readonly notionalUsd: number;
  /** Fraction of equity taken at the fill (`sizingReference: fill`); NaN otherwise. */
  readonly fractionAtFill: number;
  /** > 0: all-in in steps of this size. */
  readonly allInStep: number;
  /** A plan fixed at the decision (configured or named policy), or null when `exits` gives levels. */
  readonly plan: ExitPlan | null;
  readonly stopLoss: LevelSpec | null;
  readonly takeProfits: readonly TakeProfitSpec[];
  readonly trailing: ExitPlan["trailing"];
  readonly breakevenOffsetPct: number | null;
  readonly maxHoldingBars: number | null;
  readonly confidence: number;
  readonly score: number;
  readonly decisionId: number;
}

/** A level spec as a price, for an order of `side` filled at `fill`: SL below (long), TP above. */
export function levelPrice(spec: LevelSpec, side: number, direction: 1 | -1, signalClose: number, fill: number, tick: number): number {
  if ("price" in spec) return spec.price;
  const anchor = spec.anchor === "signal" ? signalClose : fill;
  return roundToTick(anchor * (1 + direction * side * spec.pct), tick);
}

/** What `PaperExchange.openAt` needs beyond the price: the plan and absolute levels at this fill. */
export interface FillLevels {
  plan: ExitPlan;
  stop: number;
  stagePrices: Float64Array | null;
}

/**
 * The plan of an order filled at `fill`. A configured plan is used as it is (levels from the
 * fill, as for a signal). Levels the strategy gave become absolute prices; the plan records
 * them as moves from the fill (so trades.csv shows them) with source `strategy`.
 */
export function levelsAtFill(order: RestingOrder, fill: number, tick: number): FillLevels {
  if (order.plan !== null) return { plan: order.plan, stop: NaN, stagePrices: null };
  const side = order.side;
  const stop = order.stopLoss === null ? NaN : levelPrice(order.stopLoss, side, -1, order.signalClose, fill, tick);
  const stages: TakeProfitStage[] = [];
  let prices: Float64Array | null = null;
  if (order.takeProfits.length > 0) {
    prices = new Float64Array(order.takeProfits.length);
    for (let k = 0; k < order.takeProfits.length; k++) {
      const spec = order.takeProfits[k];
      prices[k] = levelPrice(spec.level, side, 1, order.signalClose, fill, tick);
      stages.push({ movePct: (side * (prices[k] - fill)) / fill, fraction: spec.fraction });
    }
  }
  const plan: ExitPlan = {
    source: "strategy",
    stopLossPct: stop === stop ? (side * (fill - stop)) / fill : null,
    stages,
    trailing: order.trailing,
    breakevenOffsetPct: order.breakevenOffsetPct,
    maxHoldingBars: order.maxHoldingBars,
    fallback: false,
  };
  return { plan, stop, stagePrices: prices };
}

/**
 * Fills `order` in `slot` at `price` (already the fill price), with the amount resolved at
 * this fill; `equityNow` is the account's equity for `fractionAtFill`. Returns whether the
 * exchange opened the position (a refusal is recorded by the exchange, outside dry runs).
 */
export function fillOrder(
  ex: PaperExchange, slot: number, order: RestingOrder, price: number, liquidity: number, gap: boolean, timeMs: number, equityNow: number,
): boolean {
  const levels = levelsAtFill(order, price, ex.fees.tickSize);
  const fixed = order.quantity > 0 ? order.quantity : order.notionalUsd > 0 ? order.notionalUsd / price : 0;
  const margin = order.fractionAtFill === order.fractionAtFill ? order.fractionAtFill * equityNow : order.marginUsd;
  return ex.openAt(slot, order.side, price, liquidity, gap, timeMs, margin, fixed, order.allInStep, order.leverage,
    order.confidence, order.score, levels.plan, order.decisionId, levels.stop, levels.stagePrices);
}

/** The fill price of a taker fill at `reference` (slippage, tick), or the level itself for a maker fill. */
export function fillPrice(ex: PaperExchange, side: 1 | -1, reference: number, liquidity: number): number {
  return liquidity === LIQUIDITY_MAKER ? reference : ex.fees.marketPrice(reference, side);
}

export function pendingState(order: RestingOrder): PendingOrderState {
  return Object.freeze({
    id: order.id,
    type: TYPE_NAMES[order.kind],
    side: order.side > 0 ? "buy" : "sell",
    limitPrice: order.limit === order.limit ? order.limit : null,
    stopPrice: order.stop === order.stop ? order.stop : null,
    triggered: order.triggered,
    submittedBar: order.submittedBar,
    expiresAfterBar: Number.isFinite(order.expiresAfterBar) ? order.expiresAfterBar : null,
    tag: order.tag,
  });
}

import { Decision } from "./decision.js";
import { StrategyError } from "./errors.js";
import { strategyContext } from "./strategyContext.js";
import { LEVEL_STOP, LEVEL_TAKE_PROFIT, LEVEL_TRAIL } from "./levelTrace.js";
import { LIQUIDITY_TAKER, REASON_CLOSE } from "./ledgers.js";
import type { BarCloseStrategy, OrderRequest, PositionState, StrategyContext, TrailingSpec } from "./orderTypes.js";
import { ORDER_MARKET } from "./orders.js";
import type { OrderWalker } from "./orderWalk.js";
import type { PaperExchange } from "./paperExchange.js";
import { fillOrder, pendingState, type RestingOrder } from "./restingOrder.js";
import type { OrderResolver } from "./resolveOrder.js";
import { trailingActivates, trailingLevel } from "./trailingStop.js";
import type { BarSeries, ExecutionSettings, ExitPlan, TakeProfitStage } from "./types.js";

/** What a run of a version-2 strategy counts (summary.json `counters.orders`). */
export interface OrderCounters {
  submitted: number;
  filled: number;
  cancelled: number;
  expired: number;
  refused: number;
  unfilledAtEnd: number;
  /** Sizing module returned no amount for a `sizing`-sized order (the order is dropped). */
  declinedBySizing: number;
  /** Entry fills whose bar gave different fills adverse-first and favourable-first. */
  pathDependentEntries: number;
  /** Stop-loss or trailing modifications that moved the stop against the position (allowed; warned). */
  stopsMovedAgainstPosition: number;
  /** Market entries against the open position: the position closed at the same price, then the entry filled. */
  reversals: number;
}

/**
 * The version-2 strategy's side of the exchange: behind the `ctx` of `onBar(view, ctx)` (a facade, `strategyContext.ts`) for the
 * symbol and bar being decided, its order queues, and the steps of SPEC §1 that involve
 * them — market orders at the next open (closes before entries), resting orders along the
 * path (via `OrderWalker`), expiry after each bar, trade-on-close. One object per run;
 * `moveTo` points it at a symbol and bar before each `onBar`.
 */
export class Broker implements StrategyContext {
  readonly counters: OrderCounters = {
    submitted: 0, filled: 0, cancelled: 0, expired: 0, refused: 0, unfilledAtEnd: 0,
    declinedBySizing: 0, pathDependentEntries: 0, stopsMovedAgainstPosition: 0, reversals: 0,
  };
  private readonly resting: RestingOrder[][];
  private readonly queued: RestingOrder[][];
  /** Fraction of the open quantity to close at the next open (NaN = none). */
  private readonly queuedClose: Float64Array;
  /** What the strategy is given: the frozen API facade, never this object (SPEC: no look-ahead). */
  private readonly ctx: StrategyContext = strategyContext(this);
  private nextId = 1;
  private s = 0;
  private i = 0;
  private timeMs = 0;

  constructor(
    private readonly ex: PaperExchange,
    private readonly bars: readonly BarSeries[],
    private readonly strategy: BarCloseStrategy,
    private readonly walker: OrderWalker,
    private readonly resolver: OrderResolver,
    private readonly execution: ExecutionSettings,
    private readonly lastClose: Float64Array,
    private readonly equityAtClose: () => number,
    readonly params: Readonly<Record<string, unknown>>,
  ) {
    const n = bars.length;
    this.resting = Array.from({ length: n }, () => []);
    this.queued = Array.from({ length: n }, () => []);
    this.queuedClose = new Float64Array(n).fill(NaN);
  }

  // ---- steps of the replay ----

  /** Step 1: the close, then the market entries queued at the previous close fill at this open. */
  atOpen(s: number, i: number, timeMs: number): void {
    this.fillQueued(s, this.bars[s].open[i], timeMs);
  }

  /**
   * The strategy's queued close, then its queued market entries, at `reference` (this open,
   * or the signal close with trade-on-close), in submission order. A market entry never
   * rests: against an open position it reverses it (the position closes at the same
   * reference, reason `CLOSE`, then the entry fills as from flat); on the side already held
   * it is refused (`POSITION_OPEN`: one position per symbol, no pyramiding).
   */
  private fillQueued(s: number, reference: number, timeMs: number): void {
    const fraction = this.queuedClose[s];
    if (fraction === fraction) {
      this.queuedClose[s] = NaN;
      this.closeNow(s, fraction, reference, timeMs);
    }
    const queue = this.queued[s];
    if (queue.length === 0) return;
    this.queued[s] = [];
    const ex = this.ex;
    for (const order of queue) {
      const held = ex.book.side[s];
      if (held === order.side) {
        ex.refusals.push({ symbol: ex.symbols[s], timeMs, reason: "POSITION_OPEN", marginUsd: order.marginUsd });
        this.counters.refused++;
        continue;
      }
      if (held !== 0) {
        ex.closeAtMarket(s, REASON_CLOSE, reference, timeMs);
        this.counters.reversals++;
      }
      if (fillOrder(ex, s, order, ex.fees.marketPrice(reference, order.side), LIQUIDITY_TAKER, false, timeMs, this.equityNow())) this.counters.filled++;
      else this.counters.refused++;
    }
  }

  /** True when symbol `s` has resting orders that may act in this bar (it is flat). */
  hasResting(s: number): boolean {
    return this.resting[s].length > 0 && this.ex.book.side[s] === 0;
  }

  /** Step 3 for a flat symbol with resting orders. */
  walkResting(s: number, i: number): void {
    const orders = this.resting[s];
    const pathDependentBefore = this.walker.pathDependentEntries;
    const refusalsBefore = this.ex.refusals.length;
    const done = this.walker.walk(s, this.bars[s], i, orders, this.equityNow());
    this.counters.pathDependentEntries += this.walker.pathDependentEntries - pathDependentBefore;
    if (done.size === 0) return;
    // An order the walk consumed either opened a position or was refused (the exchange recorded it).
    const refused = this.ex.refusals.length - refusalsBefore;
    this.counters.refused += refused;
    this.counters.filled += done.size - refused;
    this.resting[s] = orders.filter((order) => !done.has(order));
  }

  /** Steps 6–10 for a version-2 strategy: expiry, then `onBar`, then trade-on-close fills. */
  atClose(s: number, i: number, timeMs: number): void {
    const expired = this.resting[s].filter((order) => order.expiresAfterBar <= i);
    if (expired.length > 0) {
      for (const order of expired) this.ex.refusals.push({ symbol: this.ex.symbols[s], timeMs, reason: "EXPIRED", marginUsd: order.marginUsd });
      this.counters.expired += expired.length;
      this.resting[s] = this.resting[s].filter((order) => !expired.includes(order));
    }
    this.s = s;
    this.i = i;
    this.timeMs = timeMs;
    this.strategy.onBarClose(s, i, this.ctx);
    if (this.execution.fillTiming === "signal-close") this.atOpenOfClose(s, i, timeMs);
  }

  /** After the last bar: orders still pending are events (never filled). */
  finish(): void {
    for (let s = 0; s < this.bars.length; s++) {
      const series = this.bars[s];
      const timeMs = series.length > 0 ? series.time[series.length - 1] : 0;
      for (const order of [...this.queued[s], ...this.resting[s]]) {
        this.ex.refusals.push({ symbol: this.ex.symbols[s], timeMs, reason: "UNFILLED_AT_END", marginUsd: order.marginUsd });
        this.counters.unfilledAtEnd++;
      }
    }
  }

  // ---- the StrategyContext ----

  get symbol(): string {
    return this.ex.symbols[this.s];
  }

  get equity(): number {
    return this.equityAtClose();
  }

  get availableBalance(): number {
    return this.ex.account.availableBalance();
  }

  get position(): PositionState | null {
    const b = this.ex.book;
    const s = this.s;
    const side = b.side[s];
    if (side === 0) return null;
    const plan = b.plan[s] as ExitPlan;
    const takeProfits: number[] = [];
    const prices = b.stagePrices[s];
    for (let k = b.stagesFilled[s]; k < plan.stages.length; k++) {
      takeProfits.push(prices !== null ? prices[k] : k === b.stagesFilled[s] ? b.nextTakeProfitPrice[s] : b.entryPrice[s] * (1 + side * plan.stages[k].movePct));
    }
    const close = this.bars[s].close[this.i];
    const nan = (x: number) => (x === x ? x : null);
    return Object.freeze({
      side: side > 0 ? "long" : "short",
      quantity: b.quantity[s],
      originalQuantity: b.originalQuantity[s],
      entryPrice: b.entryPrice[s],
      entryTimeMs: b.entryTime[s],
      leverage: b.leverage[s],
      unrealizedPnlUsd: side * (close - b.entryPrice[s]) * b.quantity[s],
      barsHeld: b.barsHeld[s],
      stagesFilled: b.stagesFilled[s],
      stopLoss: nan(b.stopPrice[s]),
      takeProfits: Object.freeze(takeProfits),
      trailingDistancePct: plan.trailing === null ? null : plan.trailing.distancePct,
      trailingLevel: b.trailActive[s] === 1 ? b.trailPrice[s] : null,
      liquidationPrice: nan(b.liquidationPrice[s]),
      tradeId: b.tradeId[s],
    } as const);
  }

  get orders(): readonly ReturnType<typeof pendingState>[] {
    return Object.freeze([...this.queued[this.s], ...this.resting[this.s]].map(pendingState));
  }

  submit(request: OrderRequest): number {
    const s = this.s;
    const decision = new Decision(
      this.ex.symbols[s], s, this.bars[s], this.i, this.timeMs + this.bars[s].timeframeMs, request.side === "sell" ? -1 : 1,
      request.confidence ?? NaN, request.score ?? NaN, NaN, this.equityAtClose(), this.ex, Infinity,
    );
    const order = this.resolver(request, decision, this.nextId, this.bars[s].close[this.i]);
    if (order === null) {
      this.counters.declinedBySizing++;
      return -1;
    }
    this.nextId++;
    this.counters.submitted++;
    if (order.kind === ORDER_MARKET) this.queued[s].push(order);
    else this.resting[s].push(order);
    return order.id;
  }

  cancel(id?: number): number {
    const s = this.s;
    const keep = (order: RestingOrder) => id !== undefined && order.id !== id;
    const before = this.queued[s].length + this.resting[s].length;
    this.queued[s] = this.queued[s].filter(keep);
    this.resting[s] = this.resting[s].filter(keep);
    const cancelled = before - this.queued[s].length - this.resting[s].length;
    this.counters.cancelled += cancelled;
    return cancelled;
  }

  close(fraction = 1): void {
    if (!(fraction > 0 && fraction <= 1)) throw this.misuse(`close(${String(fraction)}): the fraction must be in (0, 1]`);
    if (this.ex.book.side[this.s] === 0) return;
    const queued = this.queuedClose[this.s];
    this.queuedClose[this.s] = queued === queued ? Math.min(1, queued + fraction) : fraction;
  }

  setStopLoss(price: number | null): void {
    const b = this.requirePosition("setStopLoss");
    const s = this.s;
    if (price !== null && !(Number.isFinite(price) && price > 0)) throw this.misuse(`setStopLoss(${String(price)}): a price must be a positive number, or null`);
    const side = b.side[s];
    const old = b.stopPrice[s];
    const next = price === null ? NaN : price;
    if (old === old && (next !== next || side * next < side * old)) this.counters.stopsMovedAgainstPosition++;
    b.stopPrice[s] = next;
    b.stopIsBreakeven[s] = 0;
    this.traceLevel(LEVEL_STOP, 0, next);
  }

  setTakeProfit(target: number | readonly { readonly price: number; readonly fraction: number }[] | null): void {
    const b = this.requirePosition("setTakeProfit");
    const s = this.s;
    const side = b.side[s];
    const plan = b.plan[s] as ExitPlan;
    const filled = b.stagesFilled[s];
    const kept = plan.stages.slice(0, filled);
    let leftFraction = 1;
    for (const stage of kept) leftFraction -= stage.fraction;
    const given = target === null ? [] : typeof target === "number" ? [{ price: target, fraction: Math.max(0, leftFraction) }] : target;
    for (const stage of given) {
      if (!(Number.isFinite(stage.price) && stage.price > 0) || !(stage.fraction >= 0)) {
        throw this.misuse(`setTakeProfit: each stage needs a positive price and a fraction ≥ 0, got ${JSON.stringify(stage)}`);
      }
    }
    const entry = b.entryPrice[s];
    const stages: TakeProfitStage[] = [...kept, ...given.map((stage) => ({ movePct: (side * (stage.price - entry)) / entry, fraction: stage.fraction }))];
    const prices = new Float64Array(stages.length);
    const oldPrices = b.stagePrices[s];
    for (let k = 0; k < filled; k++) prices[k] = oldPrices !== null ? oldPrices[k] : entry * (1 + side * plan.stages[k].movePct);
    for (let k = 0; k < given.length; k++) prices[filled + k] = given[k].price;
    b.plan[s] = { ...plan, stages };
    b.stagePrices[s] = prices;
    b.nextTakeProfitPrice[s] = given.length > 0 ? given[0].price : NaN;
    this.traceLevel(LEVEL_TAKE_PROFIT, filled + 1, b.nextTakeProfitPrice[s]);
  }

  setTrailing(trailing: TrailingSpec | null): void {
    const b = this.requirePosition("setTrailing");
    const s = this.s;
    const plan = b.plan[s] as ExitPlan;
    const side = b.side[s];
    const old = b.trailActive[s] === 1 ? b.trailPrice[s] : NaN;
    if (trailing === null) {
      b.plan[s] = { ...plan, trailing: null };
      b.trailActive[s] = 0;
      b.trailPrice[s] = NaN;
      if (old === old) this.counters.stopsMovedAgainstPosition++;
      this.traceLevel(LEVEL_TRAIL, 0, NaN);
      return;
    }
    if (!(trailing.distancePct > 0 && trailing.distancePct < 1)) throw this.misuse(`setTrailing: distancePct ${String(trailing.distancePct)} must be inside (0, 1)`);
    const spec = { distancePct: trailing.distancePct, activationPct: trailing.activationPct ?? null, afterStage: trailing.afterStage ?? 0 };
    b.plan[s] = { ...plan, trailing: spec };
    const peak = this.ex.trailOnClose ? b.closePeak[s] : b.peakPrice[s];
    if (trailingActivates(spec, side, b.entryPrice[s], peak, b.stagesFilled[s])) {
      const level = trailingLevel(peak, side, spec.distancePct, this.ex.fees.tickSize);
      if (old === old && side * level < side * old) this.counters.stopsMovedAgainstPosition++;
      b.trailActive[s] = 1;
      b.trailPrice[s] = level;
    } else {
      b.trailActive[s] = 0;
      b.trailPrice[s] = NaN;
    }
    this.traceLevel(LEVEL_TRAIL, 0, b.trailPrice[s]);
  }

  /** A strategy moved a level at this bar's close: in force from the next bar (engine/levelTrace.ts). */
  private traceLevel(kind: number, stage: number, price: number): void {
    const trace = this.ex.trace;
    if (trace !== null) trace.record(this.ex.book.tradeId[this.s], this.timeMs + this.bars[this.s].timeframeMs, kind, stage, price);
  }

  // ---- helpers ----

  /** Trade-on-close: what step 1 of the next bar would do, done at this close instead. */
  private atOpenOfClose(s: number, i: number, timeMs: number): void {
    this.fillQueued(s, this.bars[s].close[i], timeMs);
  }

  private closeNow(s: number, fraction: number, reference: number, timeMs: number): void {
    const b = this.ex.book;
    if (b.side[s] === 0) return;
    const ex = this.ex;
    if (fraction >= 1) {
      ex.closeAtMarket(s, REASON_CLOSE, reference, timeMs);
      return;
    }
    const side = b.side[s] as 1 | -1;
    let price = ex.fees.marketPrice(reference, -side as 1 | -1);
    const liquidation = b.liquidationPrice[s];
    if (liquidation === liquidation && side * price < side * liquidation) price = liquidation;
    const step = ex.fees.lotSize > 0 ? ex.fees.lotSize : 0;
    const raw = fraction * b.quantity[s];
    ex.leg[0] = price;
    ex.leg[1] = step > 0 ? Math.floor(raw / step + 1e-9) * step : raw;
    ex.leg[2] = timeMs;
    if (ex.leg[1] > 0) ex.closeLeg(s, REASON_CLOSE, LIQUIDITY_TAKER, false);
  }

  /** Equity now: balance plus every open position marked at its symbol's last close. */
  private equityNow(): number {
    const b = this.ex.book;
    let equity = this.ex.account.balance;
    for (let s = 0; s < this.bars.length; s++) {
      if (b.side[s] !== 0 && this.lastClose[s] === this.lastClose[s]) equity += b.side[s] * (this.lastClose[s] - b.entryPrice[s]) * b.quantity[s];
    }
    return equity;
  }

  private requirePosition(name: string) {
    if (this.ex.book.side[this.s] === 0) throw this.misuse(`${name}: there is no open position on ${this.symbol} (read ctx.position first)`);
    return this.ex.book;
  }

  private misuse(message: string): StrategyError {
    const series = this.bars[this.s];
    return new StrategyError(`${message} at ${series.symbol} bar ${this.i}`, series.symbol, "see README \"Strategy interface, version 2\"");
  }
}

import { LIQUIDITY_MAKER, LIQUIDITY_TAKER } from "./ledgers.js";
import { loadPath, manageBar, manageFromPoint, ORDER_HIGH_FIRST, ORDER_LOW_FIRST, pathOrder } from "./intrabar.js";
import {
  ACT_FILL_MAKER, ACT_NONE, ACT_TRIGGER, actionAtOpen, actionOnSegment, fillsOnTrigger, levelOnSegment,
} from "./orders.js";
import type { PaperExchange } from "./paperExchange.js";
import type { PositionManager } from "./positionManager.js";
import { fillOrder, fillPrice, type RestingOrder } from "./restingOrder.js";
import type { BarSeries } from "./types.js";

/**
 * Resting entry orders along a bar's intrabar path (the same path exits use, SPEC §6.2):
 * at the open, then segment by segment, the first order the price reaches acts — a limit
 * or a triggered stop-limit fills (maker), a stop fills at its trigger (taker), a stop-limit
 * triggers and rests as a limit unless its limit is marketable right there. The position an
 * order opens is managed along the rest of that bar's path. Orders are evaluated on (main or
 * detail) bars that start flat; while a position is open they wait.
 *
 * One walk, three uses: the real walk, and two dry walks (adverse-first and favourable-first
 * from the same state) whenever the bar filled anything — entry fills count as path-dependent
 * as exits do.
 */
export class OrderWalker {
  /** Entry fills flagged path-dependent (also counted in the manager's `pathDependentFills`). */
  pathDependentEntries = 0;

  constructor(private readonly ex: PaperExchange, private readonly manager: PositionManager, private readonly mode: number) {}

  /**
   * Walks main bar `i` of symbol `s` (flat at its start) with `orders`; resolves detail bars
   * like the position manager. Returns the orders that are done (filled or refused).
   */
  walk(s: number, bars: BarSeries, i: number, orders: RestingOrder[], equityNow: number): Set<RestingOrder> {
    const done = new Set<RestingOrder>();
    const detail = this.manager.detail[s];
    const mark = this.manager.mark;
    if (mark !== null) this.ex.markOn = mark.load(s, i, this.ex.markBar);
    if (detail !== null) {
      const first = this.manager.findDetail(s, detail, bars, i);
      if (first >= 0) {
        this.manager.detailBarsUsed++;
        const end = this.manager.detailEnd(detail, first, bars.time[i] + bars.timeframeMs);
        for (let j = first; j < end; j++) {
          this.manager.loadDetailMark(s, bars, i, detail, first, end, j);
          if (this.ex.book.side[s] !== 0) this.manager.manageOne(s, detail, j);
          else this.walkBar(s, detail, j, orders, done, equityNow);
        }
        return done;
      }
    }
    this.walkBar(s, bars, i, orders, done, equityNow);
    return done;
  }

  /** One (main or detail) bar from a flat state, then the path-dependence check. */
  private walkBar(s: number, bars: BarSeries, j: number, all: RestingOrder[], done: Set<RestingOrder>, equityNow: number): void {
    const orders = all.filter((order) => !done.has(order));
    if (orders.length === 0) return;
    const ex = this.ex;
    const book = ex.book;
    const order = pathOrder(this.mode, orders[0].side, bars, j);
    const triggered = Uint8Array.from(orders, (o) => (o.triggered ? 1 : 0));
    const before = triggered.slice();
    const consumed = new Uint8Array(orders.length);
    const fillsBefore = ex.fillCount;
    book.copySlot(s, book.snapshotSlot);
    walkOrders(ex, s, bars, j, order, orders, triggered, consumed, equityNow);
    for (let k = 0; k < orders.length; k++) {
      orders[k].triggered = triggered[k] === 1;
      if (consumed[k] === 1) done.add(orders[k]);
    }
    if (ex.fillCount > fillsBefore && this.isPathDependent(bars, j, orders, before, equityNow)) {
      const marked = ex.markPathDependent(s, fillsBefore, book.side[s] === 0, true);
      this.manager.pathDependentFills += marked;
      this.pathDependentEntries++;
    }
  }

  private isPathDependent(bars: BarSeries, j: number, orders: RestingOrder[], triggeredBefore: Uint8Array, equityNow: number): boolean {
    const ex = this.ex;
    const book = ex.book;
    const dry = ex.dryRun;
    ex.dry = true;
    dry.count = 0;
    book.copySlot(book.snapshotSlot, book.drySlot);
    walkOrders(ex, book.drySlot, bars, j, ORDER_LOW_FIRST, orders, triggeredBefore.slice(), new Uint8Array(orders.length), equityNow);
    const split = dry.count;
    book.copySlot(book.snapshotSlot, book.drySlot);
    walkOrders(ex, book.drySlot, bars, j, ORDER_HIGH_FIRST, orders, triggeredBefore.slice(), new Uint8Array(orders.length), equityNow);
    ex.dry = false;
    return dry.differs(split);
  }
}

/**
 * Walks bar `index` along path `order` for the flat `slot` and its resting `orders`
 * (submission order breaks ties). `triggered` carries the stop-limits' state in and out;
 * `consumed[k]` is set for the order that filled and for orders the exchange refused.
 */
export function walkOrders(
  ex: PaperExchange, slot: number, bars: BarSeries, index: number, order: number, orders: readonly RestingOrder[],
  triggered: Uint8Array, consumed: Uint8Array, equityNow: number,
): void {
  loadPath(ex, bars, index, order);
  const path = ex.path;
  const timeMs = ex.barTimeMs;
  const open = path[0];
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k];
    const action = actionAtOpen(o.kind, o.side, o.limit, o.stop, triggered[k] === 1, open);
    if (action === ACT_NONE) continue;
    if (action === ACT_TRIGGER) {
      triggered[k] = 1;
      continue;
    }
    const liquidity = action === ACT_FILL_MAKER ? LIQUIDITY_MAKER : LIQUIDITY_TAKER;
    const level = liquidity === LIQUIDITY_MAKER ? o.limit : o.stop;
    consumed[k] = 1;
    if (fillOrder(ex, slot, o, fillPrice(ex, o.side, open, liquidity), liquidity, open !== level, timeMs, equityNow)) {
      ex.book.barsHeld[slot] = 1;
      manageBar(ex, slot, bars, index, order);
      return;
    }
  }
  for (let segment = 0; segment < 3; segment++) {
    let from = path[segment];
    const to = path[segment + 1];
    for (;;) {
      let best = -1;
      let bestDistance = Infinity;
      let bestLevel = NaN;
      for (let k = 0; k < orders.length; k++) {
        if (consumed[k] === 1) continue;
        const o = orders[k];
        const level = levelOnSegment(o.kind, o.side, o.limit, o.stop, triggered[k] === 1, from, to);
        if (level !== level) continue;
        const distance = Math.abs(level - from);
        if (distance < bestDistance) {
          best = k;
          bestDistance = distance;
          bestLevel = level;
        }
      }
      if (best < 0) break;
      const o = orders[best];
      let action = actionOnSegment(o.kind, triggered[best] === 1);
      if (action === ACT_TRIGGER) {
        triggered[best] = 1;
        if (!fillsOnTrigger(o.side, o.limit, bestLevel)) {
          from = bestLevel;
          continue;
        }
        action = ACT_FILL_MAKER;
      }
      const liquidity = action === ACT_FILL_MAKER ? LIQUIDITY_MAKER : LIQUIDITY_TAKER;
      consumed[best] = 1;
      if (fillOrder(ex, slot, o, fillPrice(ex, o.side, bestLevel, liquidity), liquidity, false, timeMs, equityNow)) {
        ex.book.barsHeld[slot] = 1;
        path[segment] = bestLevel;
        manageFromPoint(ex, slot, segment);
        return;
      }
      from = bestLevel;
    }
  }
}

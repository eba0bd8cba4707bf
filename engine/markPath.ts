import { LIQUIDITY_LIQUIDATION, REASON_BREAKEVEN, REASON_LIQUIDATION, REASON_SL, REASON_TRAIL } from "./ledgers.js";
import { fillTakeProfits, ORDER_LOW_FIRST, raisePeak, setLeg } from "./intrabar.js";
import type { PaperExchange } from "./paperExchange.js";

/**
 * Liquidation on the mark price along a bar's intrabar path (README "Assumptions": mark
 * price). `ex.markBar` holds the bar's mark open, high, low and close (NaN where unknown, see
 * markPrices.ts); `loadMarkPath` puts them in the last price's path order into `ex.markPath`,
 * and `walkSegmentOnMark` replaces intrabar.ts's segment walk while `ex.markOn` is 1.
 */

/** True when the bar's known mark prices (open or adverse extreme) reach `liquidation`. */
export function markReaches(ex: PaperExchange, side: number, liquidation: number): boolean {
  const mark = ex.markBar;
  const adverse = side > 0 ? mark[2] : mark[1];
  return side * mark[0] <= side * liquidation || side * adverse <= side * liquidation;
}

/**
 * Segment `k` when liquidation is checked on the mark price (README "Assumptions": mark price).
 * The mark bar's points sit at the same points of the path as the last price's, and both move
 * linearly between them: along the segment the liquidation happens where the mark crosses the
 * liquidation price, a stop where the last price crosses it, and the earlier one fills (a tie
 * goes to the liquidation, as in SPEC §6.2). A mark crossing on a segment where the last price
 * does not fall comes before that segment's take-profits.
 */
export function walkSegmentOnMark(ex: PaperExchange, slot: number, k: number): boolean {
  const b = ex.book;
  const from = ex.path[k];
  const to = ex.path[k + 1];
  const side = b.side[slot];
  const uFrom = side * from;
  const uTo = side * to;
  const liquidation = b.liquidationPrice[slot];
  const markAt = markCrossing(ex, side, k, liquidation);
  if (uTo < uFrom) {
    const stop = b.stopPrice[slot];
    const trail = b.trailActive[slot] === 1 ? b.trailPrice[slot] : NaN;
    let best = -Infinity;
    let reason = 0;
    if (stop === stop && side * stop >= uTo) {
      best = side * stop;
      reason = b.stopIsBreakeven[slot] === 1 ? REASON_BREAKEVEN : REASON_SL;
    }
    if (trail === trail && side * trail >= uTo && side * trail > best) { best = side * trail; reason = REASON_TRAIL; }
    const stopAt = reason === 0 ? NaN : best > uFrom ? 0 : (uFrom - best) / (uFrom - uTo);
    if (stopAt === stopAt && !(markAt <= stopAt)) {
      const level = best > uFrom ? from : side * best;
      if (side * level < side * b.worstPrice[slot]) b.worstPrice[slot] = level;
      setLeg(ex, level, 0);
      ex.closeMarket(slot, reason, false);
      return true;
    }
  }
  if (markAt === markAt) {
    // The last price where the mark crossed: the adverse excursion up to the liquidation.
    const reached = from + markAt * (to - from);
    if (side * reached < side * b.worstPrice[slot]) b.worstPrice[slot] = reached;
    setLeg(ex, liquidation, b.quantity[slot]);
    return ex.closeLeg(slot, REASON_LIQUIDATION, LIQUIDITY_LIQUIDATION, false);
  }
  if (uTo < uFrom) {
    if (uTo < side * b.worstPrice[slot]) b.worstPrice[slot] = to;
  } else if (uTo > uFrom) {
    if (fillTakeProfits(ex, slot, k + 1, false)) return true;
    raisePeak(ex, slot, k + 1);
  }
  return false;
}

/**
 * Where along segment `k` the mark price reaches `liquidation`, as a fraction 0..1 of the
 * segment (linear between the segment's mark points); NaN when it does not. A segment whose
 * start is unknown (detail bars, markPrices.ts) is crossed at its end.
 */
function markCrossing(ex: PaperExchange, side: number, k: number, liquidation: number): number {
  const markTo = ex.markPath[k + 1];
  if (liquidation !== liquidation || !(side * markTo <= side * liquidation)) return NaN;
  const markFrom = ex.markPath[k];
  if (markFrom !== markFrom) return 1;
  const uFrom = side * markFrom;
  const uLevel = side * liquidation;
  if (uFrom <= uLevel) return 0;
  return (uFrom - uLevel) / (uFrom - side * markTo);
}

/** The bar's mark prices (`ex.markBar`) in the path order of the last price (`ORDER_*`). */
export function loadMarkPath(ex: PaperExchange, order: number): void {
  const mark = ex.markBar;
  const path = ex.markPath;
  path[0] = mark[0];
  path[1] = order === ORDER_LOW_FIRST ? mark[2] : mark[1];
  path[2] = order === ORDER_LOW_FIRST ? mark[1] : mark[2];
  path[3] = mark[3];
}


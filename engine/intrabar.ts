import {
  LIQUIDITY_LIQUIDATION, LIQUIDITY_MAKER, LIQUIDITY_TAKER,
  REASON_BREAKEVEN, REASON_LIQUIDATION, REASON_SL, REASON_TP, REASON_TRAIL,
} from "./ledgers.js";
import { LEVEL_BREAKEVEN, LEVEL_TAKE_PROFIT, LEVEL_TRAIL } from "./levelTrace.js";
import type { PaperExchange } from "./paperExchange.js";
import type { PositionBook } from "./positionBook.js";
import { floorToStep, roundToTick } from "./rounding.js";
import { highestTrailBound, ratchet, trailingActivates, trailingLevel } from "./trailingStop.js";
import type { BarSeries, ExitPlan } from "./types.js";
import { loadMarkPath, markCrossing, markReaches } from "./markPath.js";

/**
 * Exit-plan execution along one bar's intrabar path (SPEC §5, §6.2).
 *
 * The bar is replayed as open → first extreme → second extreme → close. Every level is
 * compared in the position's favourable direction `u = side × price`, so one code path
 * serves longs and shorts: stops sit below `u`, take-profits above, the peak is max `u`.
 * On an adverse segment the first level reached is the highest crossed one; on a
 * favourable segment TP stages fill in order and the peak and trailing stop ratchet at
 * the segment's end — so a trailing stop never uses a high that came after the low that
 * hit it.
 */

/** Path orders. `ORDER_LOW_FIRST` = open → low → high → close. */
export const ORDER_LOW_FIRST = 0;
export const ORDER_HIGH_FIRST = 1;

/** Intrabar modes as integers for the hot path. */
export const MODE_DEFAULT = 0;
export const MODE_PESSIMISTIC = 1;
export const MODE_OPTIMISTIC = 2;

/** Which extreme of bar `index` comes first for a position of `side` under `mode`. */
export function pathOrder(mode: number, side: number, bars: BarSeries, index: number): number {
  if (mode === MODE_DEFAULT) return bars.close[index] >= bars.open[index] ? ORDER_LOW_FIRST : ORDER_HIGH_FIRST;
  const adverseFirst = mode === MODE_PESSIMISTIC;
  // For a long the adverse extreme is the low; for a short it is the high.
  return (side > 0) === adverseFirst ? ORDER_LOW_FIRST : ORDER_HIGH_FIRST;
}

/**
 * False when no fill is possible in a bar spanning [low, high]: no stop, liquidation or TP
 * level inside it and no trailing stop (which could activate and trigger within it). Exact,
 * never a guess: in a bar it rules out, walking the path would change only the excursions.
 */
export function mayFillInBar(ex: PaperExchange, slot: number, bars: BarSeries, index: number): boolean {
  const b = ex.book;
  const side = b.side[slot];
  const high = bars.high[index];
  const low = bars.low[index];
  const worst = side > 0 ? low : -high;
  const best = side > 0 ? high : -low;
  const liquidation = b.liquidationPrice[slot];
  const stop = b.stopPrice[slot];
  const takeProfit = b.nextTakeProfitPrice[slot];
  if ((liquidation === liquidation && (ex.markOn === 1 ? markReaches(ex, side, liquidation) : worst <= side * liquidation))
    || (stop === stop && worst <= side * stop)
    || (takeProfit === takeProfit && best >= side * takeProfit)) return true;
  const trailing = (b.plan[slot] as ExitPlan).trailing;
  if (trailing === null) return false;
  // Any trail level during this bar is at most the best peak it can reach (the older peak
  // or this bar's extreme) less the distance — plus a tick for rounding. If the bar's worst
  // price stays beyond that, the trail cannot be hit in this bar, whatever the path.
  const bestPeak = Math.max(side * b.peakPrice[slot], best);
  return worst <= highestTrailBound(bestPeak, trailing.distancePct, ex.fees.tickSize);
}

/**
 * The state after a bar in which nothing could fill (see `mayFillInBar`): the excursions
 * move, and a trailing stop activates and ratchets to the bar's best price. Without a fill
 * the stages are unchanged, so the end state does not depend on the path.
 */
export function advanceWithoutFill(ex: PaperExchange, slot: number, bars: BarSeries, index: number): void {
  const b = ex.book;
  extendExcursions(b, slot, bars, index);
  if ((b.plan[slot] as ExitPlan).trailing === null) return;
  // The bar's best price goes in through the path (no double argument: see manageBar).
  ex.path[0] = b.side[slot] > 0 ? bars.high[index] : bars.low[index];
  raisePeak(ex, slot, 0);
}

function extendExcursions(b: PositionBook, slot: number, bars: BarSeries, index: number): void {
  const high = bars.high[index];
  const low = bars.low[index];
  if (b.side[slot] > 0) {
    if (high > b.peakPrice[slot]) b.peakPrice[slot] = high;
    if (low < b.worstPrice[slot]) b.worstPrice[slot] = low;
  } else {
    if (low < b.peakPrice[slot]) b.peakPrice[slot] = low;
    if (high > b.worstPrice[slot]) b.worstPrice[slot] = high;
  }
}

/**
 * Manages the position in `slot` along bar `index` of `bars` (a main or a detail bar).
 * Returns true when the position is flat afterwards.
 *
 * Prices travel through `ex.path` and the time through `ex.barTimeMs` rather than as
 * arguments: V8 boxes a double passed to a function it does not inline, which on the
 * per-bar path would allocate on every bar.
 */
export function manageBar(ex: PaperExchange, slot: number, bars: BarSeries, index: number, order: number): boolean {
  // loadPath's lines, written out: calling it here measured 2–8 % slower on bench (a).
  const path = ex.path;
  path[0] = bars.open[index];
  path[1] = order === ORDER_LOW_FIRST ? bars.low[index] : bars.high[index];
  path[2] = order === ORDER_LOW_FIRST ? bars.high[index] : bars.low[index];
  path[3] = bars.close[index];
  ex.barTimeMs = bars.time[index];
  if (ex.markOn === 1) loadMarkPath(ex, order === ORDER_LOW_FIRST);
  if (handleOpen(ex, slot)) return true;
  if (walkSegment(ex, slot, 0)) return true;
  if (walkSegment(ex, slot, 1)) return true;
  return walkSegment(ex, slot, 2);
}

/**
 * The open: levels already passed fill at the open (a gap) — worse than a stop's level,
 * better than a TP's. Liquidation fills at its own price (SPEC §6.2, §6.3).
 */
function handleOpen(ex: PaperExchange, slot: number): boolean {
  const b = ex.book;
  const open = ex.path[0];
  const side = b.side[slot];
  const u = side * open;
  if (u < side * b.worstPrice[slot]) b.worstPrice[slot] = open;
  const liquidation = b.liquidationPrice[slot];
  // On the mark price when supplied: its open (NaN when unknown at this point: no liquidation here).
  if (liquidation === liquidation && (ex.markOn === 1 ? side * ex.markPath[0] <= side * liquidation : u <= side * liquidation)) {
    setLeg(ex, liquidation, b.quantity[slot]);
    return ex.closeLeg(slot, REASON_LIQUIDATION, LIQUIDITY_LIQUIDATION, true);
  }
  const stop = b.stopPrice[slot];
  if (stop === stop && u <= side * stop) {
    const reason = b.stopIsBreakeven[slot] === 1 ? REASON_BREAKEVEN : REASON_SL;
    setLeg(ex, open, 0);
    ex.closeMarket(slot, reason, true);
    return true;
  }
  const trail = b.trailPrice[slot];
  if (b.trailActive[slot] === 1 && u <= side * trail) {
    setLeg(ex, open, 0);
    ex.closeMarket(slot, REASON_TRAIL, true);
    return true;
  }
  if (fillTakeProfits(ex, slot, 0, true)) return true;
  raisePeak(ex, slot, 0);
  return false;
}

/** Segment `k` of the path: a monotone move from `ex.path[k]` to `ex.path[k + 1]`. */
function walkSegment(ex: PaperExchange, slot: number, k: number): boolean {
  if (ex.markOn === 1) return walkSegmentOnMark(ex, slot, k);
  const b = ex.book;
  const from = ex.path[k];
  const to = ex.path[k + 1];
  const side = b.side[slot];
  const uFrom = side * from;
  const uTo = side * to;
  if (uTo < uFrom) {
    // Adverse: the highest level at or above `to` is reached first; ties go to
    // LIQUIDATION, then SL/BREAKEVEN, then TRAIL (SPEC §6.2).
    const liquidation = b.liquidationPrice[slot];
    const stop = b.stopPrice[slot];
    const trail = b.trailActive[slot] === 1 ? b.trailPrice[slot] : NaN;
    let best = -Infinity;
    let reason = 0;
    if (liquidation === liquidation && side * liquidation >= uTo) { best = side * liquidation; reason = REASON_LIQUIDATION; }
    if (stop === stop && side * stop >= uTo && side * stop > best) {
      best = side * stop;
      reason = b.stopIsBreakeven[slot] === 1 ? REASON_BREAKEVEN : REASON_SL;
    }
    if (trail === trail && side * trail >= uTo && side * trail > best) { best = side * trail; reason = REASON_TRAIL; }
    if (reason === 0) {
      if (uTo < side * b.worstPrice[slot]) b.worstPrice[slot] = to;
      return false;
    }
    // A level already above the segment start (possible only after a level moved) fills where price is.
    const level = best > uFrom ? from : side * best;
    if (side * level < side * b.worstPrice[slot]) b.worstPrice[slot] = level;
    if (reason === REASON_LIQUIDATION) {
      setLeg(ex, liquidation, b.quantity[slot]);
      return ex.closeLeg(slot, reason, LIQUIDITY_LIQUIDATION, false);
    }
    setLeg(ex, level, 0);
    ex.closeMarket(slot, reason, false);
    return true;
  }
  if (uTo > uFrom) {
    if (fillTakeProfits(ex, slot, k + 1, false)) return true;
    raisePeak(ex, slot, k + 1);
  }
  return false;
}

/**
 * Segment `k` when liquidation is checked on the mark price (README "Assumptions": mark price).
 * The mark bar's points sit at the same points of the path as the last price's, and both move
 * linearly between them: along the segment the liquidation happens where the mark crosses the
 * liquidation price, a stop where the last price crosses it, and the earlier one fills (a tie
 * goes to the liquidation, as in SPEC §6.2). A mark crossing on a segment where the last price
 * does not fall comes before that segment's take-profits.
 */
function walkSegmentOnMark(ex: PaperExchange, slot: number, k: number): boolean {
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
 * Fills every TP stage at or below path point `point` (in favourable terms). At a gap the
 * fill is at the open; otherwise at the stage's level. Leg = min(floor(fraction × original),
 * open); a leg below the lot size or minimum notional is skipped and carried into the next close.
 */
function fillTakeProfits(ex: PaperExchange, slot: number, point: number, gap: boolean): boolean {
  const b = ex.book;
  const side = b.side[slot];
  const price = ex.path[point];
  const u = side * price;
  const plan = b.plan[slot] as ExitPlan;
  let level = b.nextTakeProfitPrice[slot];
  while (level === level && side * level <= u) {
    const stageIndex = b.stagesFilled[slot];
    const stage = plan.stages[stageIndex];
    const fillPrice = gap ? price : level;
    const isLast = stageIndex === plan.stages.length - 1;
    const closesAll = isLast && fractionsSumToOne(plan);
    const original = b.originalQuantity[slot];
    let quantity = closesAll ? b.quantity[slot] : Math.min(floorToStep(stage.fraction * original, ex.fees.lotSize), b.quantity[slot]);
    const tooSmall = quantity <= 0 || (ex.fees.minNotional > 0 && quantity * fillPrice < ex.fees.minNotional && !closesAll);
    b.stagesFilled[slot] = stageIndex + 1;
    const prices = b.stagePrices[slot];
    b.nextTakeProfitPrice[slot] = isLast ? NaN
      : prices !== null ? prices[stageIndex + 1] : roundToTick(b.entryPrice[slot] * (1 + side * plan.stages[stageIndex + 1].movePct), ex.fees.tickSize);
    if (ex.trace !== null && !ex.dry) ex.trace.record(b.tradeId[slot], ex.barTimeMs, LEVEL_TAKE_PROFIT, isLast ? stageIndex + 1 : stageIndex + 2, b.nextTakeProfitPrice[slot]);
    if (tooSmall) {
      b.carriedQuantity[slot] += Math.max(0, quantity);
      quantity = 0;
    } else if ((setLeg(ex, fillPrice, quantity), ex.closeLeg(slot, REASON_TP + stageIndex + 1, LIQUIDITY_MAKER, gap))) {
      if (side * fillPrice > side * b.peakPrice[slot]) b.peakPrice[slot] = fillPrice;
      return true;
    }
    if (stageIndex === 0 && plan.breakevenOffsetPct !== null) moveStopToBreakeven(ex, slot, plan.breakevenOffsetPct);
    level = b.nextTakeProfitPrice[slot];
  }
  return false;
}

/** The price and quantity of the next exit, at this bar's time (see `PaperExchange.leg`). */
function setLeg(ex: PaperExchange, price: number, quantity: number): void {
  ex.leg[0] = price;
  ex.leg[1] = quantity;
  ex.leg[2] = ex.barTimeMs;
}

function fractionsSumToOne(plan: ExitPlan): boolean {
  let sum = 0;
  for (let i = 0; i < plan.stages.length; i++) sum += plan.stages[i].fraction;
  return sum >= 1 - 1e-9;
}

/** After stage 1: the stop moves to entry × (1 + side × offset) if that is tighter (SPEC §5). */
function moveStopToBreakeven(ex: PaperExchange, slot: number, offsetPct: number): void {
  const b = ex.book;
  const side = b.side[slot];
  const level = roundToTick(b.entryPrice[slot] * (1 + side * offsetPct), ex.fees.tickSize);
  const stop = b.stopPrice[slot];
  if (stop !== stop || side * level > side * stop) {
    b.stopPrice[slot] = level;
    b.stopIsBreakeven[slot] = 1;
    if (ex.trace !== null && !ex.dry) ex.trace.record(b.tradeId[slot], ex.barTimeMs, LEVEL_BREAKEVEN, 0, level);
  }
}

/**
 * Raises the peak to path point `point` if better, then activates and ratchets the trailing
 * stop. Called at the end of favourable moves only, so the trail never loosens and never
 * sees a later high.
 */
function raisePeak(ex: PaperExchange, slot: number, point: number): void {
  const b = ex.book;
  const price = ex.path[point];
  const side = b.side[slot];
  if (side * price > side * b.peakPrice[slot]) b.peakPrice[slot] = price;
  const trailing = (b.plan[slot] as ExitPlan).trailing;
  if (trailing === null || ex.trailOnClose) return;
  const peak = b.peakPrice[slot];
  if (b.trailActive[slot] === 0) {
    if (!trailingActivates(trailing, side, b.entryPrice[slot], peak, b.stagesFilled[slot])) return;
    b.trailActive[slot] = 1;
  }
  const before = b.trailPrice[slot];
  b.trailPrice[slot] = ratchet(before, trailingLevel(peak, side, trailing.distancePct, ex.fees.tickSize), side);
  if (ex.trace !== null && !ex.dry && b.trailPrice[slot] !== before) ex.trace.record(b.tradeId[slot], ex.barTimeMs, LEVEL_TRAIL, 0, b.trailPrice[slot]);
}

/**
 * `trailingReference: close`: at the close of bar `index` the trail's peak becomes the best
 * close since entry, then the trail activates and ratchets as on the path (same formulas).
 * The level is in force from the next bar; along the path it is hit like any stop.
 */
export function ratchetTrailOnClose(ex: PaperExchange, slot: number, bars: BarSeries, index: number): void {
  const b = ex.book;
  const trailing = (b.plan[slot] as ExitPlan).trailing;
  const side = b.side[slot];
  const close = bars.close[index];
  if (side * close > side * b.closePeak[slot]) b.closePeak[slot] = close;
  if (trailing === null) return;
  const peak = b.closePeak[slot];
  if (b.trailActive[slot] === 0) {
    if (!trailingActivates(trailing, side, b.entryPrice[slot], peak, b.stagesFilled[slot])) return;
    b.trailActive[slot] = 1;
  }
  const before = b.trailPrice[slot];
  b.trailPrice[slot] = ratchet(before, trailingLevel(peak, side, trailing.distancePct, ex.fees.tickSize), side);
  // In force from the next bar.
  if (ex.trace !== null && !ex.dry && b.trailPrice[slot] !== before) ex.trace.record(b.tradeId[slot], bars.time[index] + bars.timeframeMs, LEVEL_TRAIL, 0, b.trailPrice[slot]);
}

/**
 * Manages a position filled inside the bar at path point `point` (the caller has set
 * `ex.path[point]` to the fill price and `ex.barTimeMs`): the rest of the bar's path from
 * there (SPEC §1 step 3: "a position filled at this bar is managed along the rest of its path").
 */
export function manageFromPoint(ex: PaperExchange, slot: number, point: number): boolean {
  for (let k = point; k < 3; k++) if (walkSegment(ex, slot, k)) return true;
  return false;
}

/** Writes bar `index`'s path in `order` into `ex.path` and its time into `ex.barTimeMs`. */
export function loadPath(ex: PaperExchange, bars: BarSeries, index: number, order: number): void {
  const path = ex.path;
  path[0] = bars.open[index];
  path[1] = order === ORDER_LOW_FIRST ? bars.low[index] : bars.high[index];
  path[2] = order === ORDER_LOW_FIRST ? bars.high[index] : bars.low[index];
  path[3] = bars.close[index];
  ex.barTimeMs = bars.time[index];
  if (ex.markOn === 1) loadMarkPath(ex, order === ORDER_LOW_FIRST);
}

import type { PositionBook } from "./positionBook.js";
import type { BarSeries } from "./types.js";

/**
 * Quiet bars of an open position (one symbol's replay, engine/replayOneSymbol.ts `holdQuietly`): bars
 * on which the replay's step can do nothing but count the bar held, move the excursions and
 * mark the position to the close. A bar is quiet when no level can fill in it — the bar's
 * range stays beyond the stop and the liquidation price and short of the next take-profit, the
 * test `mayFillInBar` (engine/intrabar.ts) makes, here against limits taken once — no funding
 * time falls in it and the plan's time limit is not reached on it. The caller rules out what
 * would move a level between bars: a trailing stop, mark prices, detail bars.
 */

/**
 * The first bar in [from, last) that is not quiet for the position in `slot`, or `last`.
 * `fundingAt` is the symbol's next funding time (Infinity: none).
 */
export function quietBarsEnd(book: PositionBook, slot: number, series: BarSeries, from: number, last: number, fundingAt: number): number {
  const side = book.side[slot];
  const liquidation = book.liquidationPrice[slot];
  const stop = book.stopPrice[slot];
  const takeProfit = book.nextTakeProfitPrice[slot];
  // In the favourable direction u = side × price: a bar is quiet while its worst u stays above
  // these limits and its best u below the take-profit's (SPEC §6.2; NaN = no such level).
  let worstLimit = -Infinity;
  if (liquidation === liquidation) worstLimit = side * liquidation;
  if (stop === stop && side * stop > worstLimit) worstLimit = side * stop;
  const bestLimit = takeProfit === takeProfit ? side * takeProfit : Infinity;
  // The time exit comes at the close of the bar that makes barsHeld reach the limit.
  const end = Math.min(last, from + (book.maxHoldingBars[slot] - book.barsHeld[slot] - 1));
  const time = series.time;
  const high = series.high;
  const low = series.low;
  const timeframe = series.timeframeMs;
  let i = from;
  if (side > 0) {
    for (; i < end; i++) if (!(low[i] > worstLimit && high[i] < bestLimit) || fundingAt < time[i] + timeframe) break;
  } else {
    for (; i < end; i++) if (!(-high[i] > worstLimit && -low[i] < bestLimit) || fundingAt < time[i] + timeframe) break;
  }
  return i;
}

/** The bars [from, to) held: the count and the excursions (best and worst price) they reach. */
export function holdThrough(book: PositionBook, slot: number, series: BarSeries, from: number, to: number): void {
  const high = series.high;
  const low = series.low;
  let peak = book.peakPrice[slot];
  let worst = book.worstPrice[slot];
  if (book.side[slot] > 0) {
    for (let i = from; i < to; i++) {
      if (high[i] > peak) peak = high[i];
      if (low[i] < worst) worst = low[i];
    }
  } else {
    for (let i = from; i < to; i++) {
      if (low[i] < peak) peak = low[i];
      if (high[i] > worst) worst = high[i];
    }
  }
  book.peakPrice[slot] = peak;
  book.worstPrice[slot] = worst;
  book.barsHeld[slot] += to - from;
}

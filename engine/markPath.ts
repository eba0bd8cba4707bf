import type { PaperExchange } from "./paperExchange.js";

/**
 * Liquidation on the mark price along a bar's intrabar path (README "Assumptions": mark
 * price). `ex.markBar` holds the bar's mark open, high, low and close (NaN where unknown, see
 * markPrices.ts); `loadMarkPath` puts them in the last price's path order into `ex.markPath`,
 * and `markCrossing` says where along a segment the mark reaches the liquidation price, for
 * intrabar.ts's segment walk while `ex.markOn` is 1.
 */

/** True when the bar's known mark prices (open or adverse extreme) reach `liquidation`. */
export function markReaches(ex: PaperExchange, side: number, liquidation: number): boolean {
  const mark = ex.markBar;
  const adverse = side > 0 ? mark[2] : mark[1];
  return side * mark[0] <= side * liquidation || side * adverse <= side * liquidation;
}

/**
 * Where along segment `k` the mark price reaches `liquidation`, as a fraction 0..1 of the
 * segment (linear between the segment's mark points); NaN when it does not. A segment whose
 * start is unknown (detail bars, markPrices.ts) is crossed at its end.
 */
export function markCrossing(ex: PaperExchange, side: number, k: number, liquidation: number): number {
  const markTo = ex.markPath[k + 1];
  if (liquidation !== liquidation || !(side * markTo <= side * liquidation)) return NaN;
  const markFrom = ex.markPath[k];
  if (markFrom !== markFrom) return 1;
  const uFrom = side * markFrom;
  const uLevel = side * liquidation;
  if (uFrom <= uLevel) return 0;
  return (uFrom - uLevel) / (uFrom - side * markTo);
}

/** The bar's mark prices (`ex.markBar`) in the path order of the last price: low first or high first. */
export function loadMarkPath(ex: PaperExchange, lowFirst: boolean): void {
  const mark = ex.markBar;
  const path = ex.markPath;
  path[0] = mark[0];
  path[1] = lowFirst ? mark[2] : mark[1];
  path[2] = lowFirst ? mark[1] : mark[2];
  path[3] = mark[3];
}


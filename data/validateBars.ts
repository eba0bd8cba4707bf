/**
 * Checks on one bar and on the spacing of a whole series (SPEC §2). Each check returns the
 * plain reason, or null when the value is fine; the loaders add the file and line.
 */

import { formatTimeMs } from "./timeParsing.js";

/** A price or volume field as a number; NaN when empty or not a decimal number. */
export function parseNumberField(text: string): number {
  // Number("") is 0 and Number(" ") is 0: an empty field must not become a zero price.
  if (text.trim().length === 0) return NaN;
  return Number(text);
}

/** Reason a raw field is unusable as a number, or null. */
export function describeBadNumber(name: string, text: string, value: number): string | null {
  if (Number.isFinite(value)) return null;
  if (text.trim().length === 0) return `${name} is empty`;
  return `${name} "${text}" is not a finite number`;
}

/**
 * The range a bar price must lie in: no traded asset is quoted above 1e12 or below 1e-12 of
 * its quote currency, and beyond these a quantity × price overflows or underflows the
 * account's arithmetic (a high of 1e308 makes every notional infinite).
 */
export const MAX_PRICE = 1e12;
export const MIN_PRICE = 1e-12;

/** Reason a price is not a usable market price, or null. */
function describeBadPrice(name: string, price: number): string | null {
  if (price <= 0) return `${name} ${price} is not a positive price`;
  if (price > MAX_PRICE) return `${name} ${price} is above ${MAX_PRICE}, not a market price`;
  if (price < MIN_PRICE) return `${name} ${price} is below ${MIN_PRICE}, not a market price`;
  return null;
}

/**
 * Reason a bar's prices and volume are inconsistent, or null. Prices must be positive: a zero
 * price makes every percentage move (stops, returns) infinite downstream; and within
 * MIN_PRICE..MAX_PRICE.
 */
export function describeBadBar(open: number, high: number, low: number, close: number, volume: number): string | null {
  const priceProblem = describeBadPrice("open", open) ?? describeBadPrice("high", high) ?? describeBadPrice("low", low) ?? describeBadPrice("close", close);
  if (priceProblem !== null) return priceProblem;
  if (volume < 0) return `volume ${volume} is negative`;
  // high < low always also breaks one of the two checks below; this message is the clearer one.
  if (high < low) return `high ${high} is below low ${low}`;
  const bodyTop = Math.max(open, close);
  if (high < bodyTop) return `high ${high} is below max(open, close) ${bodyTop}`;
  const bodyBottom = Math.min(open, close);
  if (low > bodyBottom) return `low ${low} is above min(open, close) ${bodyBottom}`;
  return null;
}

export interface SpacingSummary {
  /** Most common positive spacing between consecutive bars (ties: the smallest); 0 below 2 bars. */
  readonly timeframeMs: number;
  /** Spacings larger than the timeframe. */
  readonly gaps: number;
  /** Σ over gaps of floor(spacing / timeframe) − 1: whole bars that are absent. */
  readonly missingBars: number;
}

/** Timeframe and gaps of strictly increasing times. Gaps are counted, not errors (SPEC §2). */
export function measureSpacing(time: Float64Array, length: number): SpacingSummary {
  if (length < 2) return { timeframeMs: 0, gaps: 0, missingBars: 0 };
  const timeframeMs = mostCommonSpacing(time, length);
  let gaps = 0;
  let missingBars = 0;
  for (let index = 1; index < length; index++) {
    const spacing = time[index] - time[index - 1];
    if (spacing > timeframeMs) {
      gaps++;
      // A spacing that is not a whole multiple (e.g. 1.5 bars) is a gap with the whole bars missing.
      missingBars += Math.floor(spacing / timeframeMs) - 1;
    }
  }
  return { timeframeMs, gaps, missingBars };
}

function mostCommonSpacing(time: Float64Array, length: number): number {
  const counts = new Map<number, number>();
  for (let index = 1; index < length; index++) {
    const spacing = time[index] - time[index - 1];
    counts.set(spacing, (counts.get(spacing) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [spacing, count] of counts) {
    if (spacing <= 0) continue;
    if (count > bestCount || (count === bestCount && spacing < best)) {
      best = spacing;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Reason a time breaks the strictly increasing order, or null. `previousWhere` is the
 * `file:line` of the previous row, which may lie in the previous file of a concatenation.
 */
export function describeTimeOrderProblem(
  timeMs: number,
  previousTimeMs: number,
  previousWhere: string,
): string | null {
  if (timeMs > previousTimeMs) return null;
  if (timeMs === previousTimeMs) return `duplicate time ${formatTimeMs(timeMs)} (also at ${previousWhere})`;
  return `time ${formatTimeMs(timeMs)} goes backwards: the previous row (${previousWhere}) has ${formatTimeMs(previousTimeMs)}`;
}

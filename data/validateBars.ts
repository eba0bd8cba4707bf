/**
 * Checks on one bar and on the spacing of a whole series (SPEC §2). Each check returns the
 * plain reason, or null when the value is fine; the loaders add the file and line.
 */

import { parseShortDecimal } from "./epochDigits.js";
import { formatTimeMs } from "./timeParsing.js";

/**
 * A price, volume or rate field as a number; NaN when empty or not a decimal number. Called
 * for every field of every row, so it allocates nothing: a short plain decimal is read by a
 * digit loop (epochDigits.ts, exactly Number()'s value), anything else by `Number`, and the
 * two inputs `Number` reads differently from a decimal parser are caught by looking at one or
 * two characters.
 */
export function parseNumberField(text: string): number {
  const short = parseShortDecimal(text);
  if (short === short) return short;
  const value = Number(text);
  // Number("") and Number(" ") are 0: an empty field must not become a zero price.
  if (value === 0) return isBlank(text) || isNonDecimalInteger(text) ? NaN : value;
  // Number() also reads hexadecimal, binary and octal ("0x10" is 16, "0b11" 3, "0o17" 15).
  return value === value && isNonDecimalInteger(text) ? NaN : value;
}

/** Reason a raw field is unusable as a number, or null. */
export function describeBadNumber(name: string, text: string, value: number): string | null {
  if (Number.isFinite(value)) return null;
  if (isBlank(text)) return `${name} is empty`;
  if (isNonDecimalInteger(text)) return `${name} "${text}" is not a decimal number (hexadecimal, binary and octal are not read)`;
  return `${name} "${text}" is not a finite number`;
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/** `0x…`, `0b…` or `0o…` (any case, after optional white space): the only forms Number() reads that are not decimal. */
function isNonDecimalInteger(text: string): boolean {
  const first = text.charCodeAt(0);
  // Only text that starts with white space (rare) is trimmed; a digit other than 0 ends the check at once.
  const body = first === 48 ? text : first <= 32 || first > 127 ? text.trimStart() : "";
  if (body.charCodeAt(0) !== 48) return false; // "0"
  const letter = body.charCodeAt(1) | 0x20; // lower case
  return letter === 120 || letter === 98 || letter === 111; // x, b, o
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
/**
 * True when describeBadBar would find nothing: one comparison chain for the common case, so
 * a loader works out the reason (describeBadBar) only for a bad bar. NaN fails every comparison.
 */
export function isGoodBar(open: number, high: number, low: number, close: number, volume: number): boolean {
  return low >= MIN_PRICE && high <= MAX_PRICE && low <= open && low <= close && open <= high && close <= high && low <= high && volume >= 0;
}

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
  // Counted by runs of equal spacings: regular bars touch the map once per gap, not per bar.
  let runSpacing = time[1] - time[0];
  let runLength = 0;
  for (let index = 1; index < length; index++) {
    const spacing = time[index] - time[index - 1];
    if (spacing === runSpacing) {
      runLength++;
      continue;
    }
    counts.set(runSpacing, (counts.get(runSpacing) ?? 0) + runLength);
    runSpacing = spacing;
    runLength = 1;
  }
  counts.set(runSpacing, (counts.get(runSpacing) ?? 0) + runLength);
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

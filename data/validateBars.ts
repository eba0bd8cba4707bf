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
 * Reason a bar's prices and volume are inconsistent, or null. Prices must be positive: a zero
 * price makes every percentage move (stops, returns) infinite downstream.
 */
export function describeBadBar(open: number, high: number, low: number, close: number, volume: number): string | null {
  if (open <= 0) return `open ${open} is not a positive price`;
  if (high <= 0) return `high ${high} is not a positive price`;
  if (low <= 0) return `low ${low} is not a positive price`;
  if (close <= 0) return `close ${close} is not a positive price`;
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

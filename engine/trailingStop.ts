import { roundToTick } from "./rounding.js";
import type { TrailingStopPlan } from "./types.js";

/**
 * The trailing stop's formulas (SPEC §5) as pure functions: when it activates, where its
 * level sits, and how it ratchets. The intrabar walk (intrabar.ts) calls them at the end
 * of favourable segments; the strategy interface calls them when a strategy sets a trail.
 *
 * Prices in quote currency; `side` +1 long, −1 short; distances as fractions.
 */

/**
 * True when a trail with these conditions may be active: at least `afterStage` TP stages
 * have filled and the peak is at least `activationPct` beyond the entry (when given).
 */
export function trailingActivates(trailing: TrailingStopPlan, side: number, entry: number, peak: number, stagesFilled: number): boolean {
  if (stagesFilled < trailing.afterStage) return false;
  return trailing.activationPct === null || (side * (peak - entry)) / entry >= trailing.activationPct;
}

/** The trail level for a peak (long) or trough (short): `peak × (1 − side × d)`, rounded to the tick. */
export function trailingLevel(peak: number, side: number, distancePct: number, tickSize: number): number {
  return roundToTick(peak * (1 - side * distancePct), tickSize);
}

/** The ratchet: the new level if it is tighter than the current one (NaN = none yet), else the current. */
export function ratchet(current: number, level: number, side: number): number {
  return current !== current || side * level > side * current ? level : current;
}

/**
 * Upper bound (in favourable terms `side × price`) of any trail level a bar can produce:
 * the best peak it can reach less the distance, plus a tick for rounding. A bar whose worst
 * price stays beyond it cannot hit the trail, whatever the path.
 */
export function highestTrailBound(bestPeakFavourable: number, distancePct: number, tickSize: number): number {
  return bestPeakFavourable * (1 - distancePct) + tickSize;
}

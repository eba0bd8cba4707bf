/**
 * The value ranges every signal source shares (SPEC §3), so a predictions file and a strategy
 * module accept and refuse the same values: confidence in 0..1, score in −1..1, a size
 * multiplier in 0..MAX_SIZE_MULTIPLIER (0 = the signal opens no position; empty/NaN = 1).
 */

/** The largest size multiplier a signal may carry: beyond 10× the sizing's own amount is a unit mistake. */
export const MAX_SIZE_MULTIPLIER = 10;

/** Why a size multiplier is refused, or null (NaN = not given, fine). */
export function sizeMultiplierProblem(value: number): string | null {
  if (value !== value) return null;
  if (!Number.isFinite(value)) return `size multiplier ${value} is not a finite number`;
  if (value < 0) return `size multiplier ${value} is negative (0 opens no position, 1 is the sizing's own amount)`;
  if (value > MAX_SIZE_MULTIPLIER) return `size multiplier ${value} is above ${MAX_SIZE_MULTIPLIER}`;
  return null;
}

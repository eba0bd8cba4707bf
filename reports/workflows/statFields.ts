/**
 * Naming the numeric fields of `RunStats` (reports/stats.ts) at run time, for the compare
 * table and the regress baseline, and suggesting the closest one when a name is wrong.
 */
import type { RunStats } from "../stats.js";

/** The fields of RunStats that hold a number or null (not the reason-count objects). */
export type NumericStatField = {
  [K in keyof RunStats]-?: RunStats[K] extends number | null ? K : never;
}[keyof RunStats];

/**
 * The numeric metric names present in `stats`, in its key order. Taken from the object rather
 * than from a hand-kept list, so a metric added to `computeStats` is usable at once.
 */
export function numericStatNames(stats: RunStats): string[] {
  return Object.keys(stats).filter((name) => {
    const value = (stats as unknown as Record<string, unknown>)[name];
    return value === null || typeof value === "number";
  });
}

/** The value of a numeric metric by name; `undefined` when `stats` has no such numeric field. */
export function numericStatOf(stats: RunStats, name: string): number | null | undefined {
  if (!Object.prototype.hasOwnProperty.call(stats, name)) return undefined;
  const value = (stats as unknown as Record<string, unknown>)[name];
  if (value === null) return null;
  if (typeof value !== "number") return undefined;
  return Number.isFinite(value) ? value : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate closest to `word` (edit distance, case-insensitive), if close enough to be a typo. */
export function closestName(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean "x"?` or a list of valid names, for error hints. */
export function suggestName(word: string, candidates: readonly string[]): string {
  const closest = closestName(word, candidates);
  return closest === null ? `valid names: ${candidates.join(", ")}` : `did you mean "${closest}"?`;
}

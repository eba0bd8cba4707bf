/**
 * Naming the numeric fields of `RunStats` (reports/stats.ts) at run time, for the compare
 * table and the regress baseline, and suggesting the closest one when a name is wrong.
 */
import { closestName } from "../../engine/index.js";
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



/** `did you mean "x"?` or a list of valid names, for error hints. */
export function suggestName(word: string, candidates: readonly string[]): string {
  const closest = closestName(word, candidates);
  return closest === null ? `valid names: ${candidates.join(", ")}` : `did you mean "${closest}"?`;
}

/**
 * Confidence tiers: the five buckets of SPEC §4.2, used by trades.csv, the exit statistics
 * and the `tiers` workflow (SPEC §8, where the boundaries are configurable).
 */

export type ConfidenceTierLabel = "VERY_HIGH" | "HIGH" | "MEDIUM" | "LOW" | "VERY_LOW";

export interface ConfidenceTierBound {
  readonly label: string;
  /** Lowest confidence (inclusive) that falls in this tier. */
  readonly minConfidence: number;
}

/** VERY_HIGH ≥ 0.85, HIGH 0.70–0.85, MEDIUM 0.55–0.70, LOW 0.45–0.55, VERY_LOW < 0.45 (lower bounds inclusive). */
export const DEFAULT_CONFIDENCE_TIERS: readonly ConfidenceTierBound[] = [
  { label: "VERY_HIGH", minConfidence: 0.85 },
  { label: "HIGH", minConfidence: 0.7 },
  { label: "MEDIUM", minConfidence: 0.55 },
  { label: "LOW", minConfidence: 0.45 },
  { label: "VERY_LOW", minConfidence: -Infinity },
];

/**
 * The tier label of a confidence; `null` when the confidence is NaN or not finite (the
 * signal source gave none). `tiers` must be ordered from the highest bound down; a
 * confidence below every bound also gets `null`.
 */
export function confidenceTier(confidence: number, tiers?: undefined): ConfidenceTierLabel | null;
export function confidenceTier(confidence: number, tiers: readonly ConfidenceTierBound[]): string | null;
export function confidenceTier(
  confidence: number,
  tiers: readonly ConfidenceTierBound[] = DEFAULT_CONFIDENCE_TIERS,
): string | null {
  if (!Number.isFinite(confidence)) return null;
  for (const tier of tiers) if (confidence >= tier.minConfidence) return tier.label;
  return null;
}

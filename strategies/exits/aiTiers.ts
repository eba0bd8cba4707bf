import type { ExitPlan } from "../../engine/index.js";
import { staticPlan, type StaticExitSettings } from "./staticPlan.js";

/**
 * The **ai** exit policy (SPEC §5; seed `000`, `_calculate_dynamic_tpsl`): exit levels chosen
 * by the signal's confidence from a tier table, widened or narrowed by volatility, with the
 * take-profit scaled by the signal's strength. All levels are fractions of the entry fill
 * price (0.0919 = 9.19 %); `fractionClosedAtTakeProfit` is a fraction of the original quantity.
 */

/** One row of the tier table. */
export interface AiTierRow {
  /** The confidence (0..1) this row stands for; interpolation anchors here. */
  readonly confidence: number;
  readonly takeProfitPct: number;
  readonly stopLossPct: number;
  readonly trailingStopPct: number;
  /** Share of the original quantity closed at the TP stage; the trail covers the rest. */
  readonly fractionClosedAtTakeProfit: number;
}

/** The seed's table at neutral multipliers (SPEC §5), highest confidence first. */
export const DEFAULT_AI_TIERS: readonly AiTierRow[] = [
  { confidence: 0.95, takeProfitPct: 0.0919, stopLossPct: 0.024, trailingStopPct: 0.024, fractionClosedAtTakeProfit: 0.5 },
  { confidence: 0.75, takeProfitPct: 0.0675, stopLossPct: 0.0375, trailingStopPct: 0.025, fractionClosedAtTakeProfit: 0.6 },
  { confidence: 0.55, takeProfitPct: 0.0538, stopLossPct: 0.045, trailingStopPct: 0.024, fractionClosedAtTakeProfit: 0.75 },
  { confidence: 0.25, takeProfitPct: 0.041, stopLossPct: 0.05, trailingStopPct: 0.015, fractionClosedAtTakeProfit: 1 },
];

/**
 * How a confidence picks its levels.
 * - `step`: row k is taken when confidence >= minConfidence[k] (first match, rows highest
 *   first); the last row takes everything below. One entry per row except the last.
 * - `interpolate`: linear in all four columns between the two neighbouring rows' confidences;
 *   the end rows apply outside the table's confidence range.
 */
export type AiTierMode =
  | { readonly kind: "step"; readonly minConfidence: readonly number[] }
  | { readonly kind: "interpolate" };

export const DEFAULT_AI_TIER_MODE: AiTierMode = { kind: "step", minConfidence: [0.85, 0.65, 0.4] };

/** Where the volatility multiplier's reference comes from. */
export type ReferenceVolatility =
  /** The median ATR % over the 720 bars before the decision (from the entry context). */
  | { readonly kind: "rolling-median" }
  /** A configured constant ATR %, e.g. 0.01. */
  | { readonly kind: "fixed"; readonly atrPct: number };

export interface AiTierSettings {
  /** Highest confidence first. */
  readonly tiers: readonly AiTierRow[];
  readonly mode: AiTierMode;
  readonly reference: ReferenceVolatility;
  /** Used, with `fallback: true`, when the confidence is missing or outside [0, 1]. */
  readonly staticFallback: StaticExitSettings;
  readonly maxHoldingBars: number | null;
}

export const DEFAULT_AI_TIER_SETTINGS: AiTierSettings = {
  tiers: DEFAULT_AI_TIERS,
  mode: DEFAULT_AI_TIER_MODE,
  reference: { kind: "rolling-median" },
  staticFallback: { stopLossPct: 0.03, takeProfitPct: 0.05, maxHoldingBars: null },
  maxHoldingBars: null,
};

/** What the policy reads at the decision bar. */
export interface AiEntryContext {
  /** Signal confidence 0..1; null, NaN or out of range = missing (static fallback). */
  readonly confidence: number | null;
  /** Signal score −1..1; null or NaN = none (score multiplier 1). */
  readonly score: number | null;
  /** ATR(14)/close at the decision bar; NaN while ATR warms up. */
  readonly atrPct: number;
  /** Median atrPct of the 720 bars before the decision bar; NaN until all exist. */
  readonly referenceAtrPct: number;
}

/** The levels of one entry after multipliers (the seed's tp/sl/trail_percent and partial_tp). */
export interface AiExitLevels {
  readonly takeProfitPct: number;
  readonly stopLossPct: number;
  readonly trailingStopPct: number;
  readonly fractionClosedAtTakeProfit: number;
  readonly volatilityMultiplier: number;
  readonly scoreMultiplier: number;
}

export const VOLATILITY_MULTIPLIER_MIN = 0.8;
export const VOLATILITY_MULTIPLIER_MAX = 1.5;

/** The plan for one entry, or the static plan with `fallback: true` for an unusable confidence. */
export function aiTiersPlan(context: AiEntryContext, settings: AiTierSettings = DEFAULT_AI_TIER_SETTINGS): ExitPlan {
  const levels = computeAiExitLevels(context, settings);
  if (levels === null) return staticPlan(settings.staticFallback, true);
  const closesAll = levels.fractionClosedAtTakeProfit >= 1;
  return {
    source: "ai",
    stopLossPct: levels.stopLossPct,
    stages: [{ movePct: levels.takeProfitPct, fraction: levels.fractionClosedAtTakeProfit }],
    // The trail manages what the TP stage leaves open; with nothing left it has no job.
    trailing: closesAll ? null : { distancePct: levels.trailingStopPct, activationPct: null, afterStage: 1 },
    breakevenOffsetPct: null,
    maxHoldingBars: settings.maxHoldingBars,
    fallback: false,
  };
}

/** Levels after the volatility and score multipliers; null when the confidence is unusable. */
export function computeAiExitLevels(context: AiEntryContext, settings: AiTierSettings = DEFAULT_AI_TIER_SETTINGS): AiExitLevels | null {
  if (!isUsableConfidence(context.confidence)) return null;
  const row = selectAiTierRow(context.confidence, settings.tiers, settings.mode);
  const referenceAtrPct = settings.reference.kind === "fixed" ? settings.reference.atrPct : context.referenceAtrPct;
  const volatility = volatilityMultiplier(context.atrPct, referenceAtrPct);
  const score = scoreMultiplier(context.score);
  return {
    takeProfitPct: row.takeProfitPct * volatility * score,
    stopLossPct: row.stopLossPct * volatility,
    trailingStopPct: row.trailingStopPct * volatility,
    fractionClosedAtTakeProfit: row.fractionClosedAtTakeProfit,
    volatilityMultiplier: volatility,
    scoreMultiplier: score,
  };
}

export function isUsableConfidence(confidence: number | null | undefined): confidence is number {
  return typeof confidence === "number" && Number.isFinite(confidence) && confidence >= 0 && confidence <= 1;
}

/** The table's levels for a confidence, before multipliers. `tiers` must be highest confidence first. */
export function selectAiTierRow(confidence: number, tiers: readonly AiTierRow[], mode: AiTierMode): AiTierRow {
  if (mode.kind === "step") {
    for (let k = 0; k < tiers.length - 1; k++) {
      if (confidence >= mode.minConfidence[k]) return tiers[k];
    }
    return tiers[tiers.length - 1];
  }
  if (confidence >= tiers[0].confidence) return tiers[0];
  for (let k = 1; k < tiers.length; k++) {
    const upper = tiers[k - 1];
    const lower = tiers[k];
    if (confidence >= lower.confidence) {
      const weight = (confidence - lower.confidence) / (upper.confidence - lower.confidence);
      return interpolateRows(lower, upper, weight, confidence);
    }
  }
  return tiers[tiers.length - 1];
}

function interpolateRows(lower: AiTierRow, upper: AiTierRow, weight: number, confidence: number): AiTierRow {
  const between = (a: number, b: number) => a + (b - a) * weight;
  return {
    confidence,
    takeProfitPct: between(lower.takeProfitPct, upper.takeProfitPct),
    stopLossPct: between(lower.stopLossPct, upper.stopLossPct),
    trailingStopPct: between(lower.trailingStopPct, upper.trailingStopPct),
    fractionClosedAtTakeProfit: between(lower.fractionClosedAtTakeProfit, upper.fractionClosedAtTakeProfit),
  };
}

/**
 * clamp(atrPct / referenceAtrPct, 0.8, 1.5); 1 when either is missing (NaN) or the
 * reference is not positive (no meaningful ratio — the seed's "no adjustment" case).
 */
export function volatilityMultiplier(atrPct: number, referenceAtrPct: number): number {
  if (!Number.isFinite(atrPct) || !Number.isFinite(referenceAtrPct) || referenceAtrPct <= 0) return 1;
  return clamp(atrPct / referenceAtrPct, VOLATILITY_MULTIPLIER_MIN, VOLATILITY_MULTIPLIER_MAX);
}

/** 0.8 + 0.5 × clamp(|score|, 0, 1), range 0.8–1.3 (|score| = 0.4 is neutral); 1 without a score. */
export function scoreMultiplier(score: number | null): number {
  if (score === null || Number.isNaN(score)) return 1;
  return 0.8 + 0.5 * clamp(Math.abs(score), 0, 1);
}

/** A reason the settings cannot work (for config errors), or null. */
export function validateAiTierSettings(settings: AiTierSettings): string | null {
  const tiers = settings.tiers;
  if (tiers.length === 0) return "ai tiers: the table needs at least one row";
  for (let k = 1; k < tiers.length; k++) {
    if (!(tiers[k].confidence < tiers[k - 1].confidence)) {
      return `ai tiers[${k}].confidence ${tiers[k].confidence} must be below tiers[${k - 1}].confidence ${tiers[k - 1].confidence}: list rows highest confidence first`;
    }
  }
  if (settings.mode.kind === "step" && settings.mode.minConfidence.length !== tiers.length - 1) {
    return `ai step mode: ${settings.mode.minConfidence.length} boundaries for ${tiers.length} rows; give one per row except the last`;
  }
  if (settings.mode.kind === "step") {
    const bounds = settings.mode.minConfidence;
    for (let k = 1; k < bounds.length; k++) {
      if (!(bounds[k] < bounds[k - 1])) return `ai step mode: minConfidence[${k}] ${bounds[k]} must be below minConfidence[${k - 1}] ${bounds[k - 1]}`;
    }
  }
  if (settings.reference.kind === "fixed" && !(settings.reference.atrPct > 0)) {
    return `ai reference atrPct ${settings.reference.atrPct} must be above 0`;
  }
  return null;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

import { z } from "../../data/zod.js";
import type { ExitPlan } from "../../engine/index.js";
import { DEFAULT_AI_TIERS } from "./aiTiers.js";
import { validateExitPlan } from "./validatePlan.js";

/**
 * The `exits` section of the run config (SPEC §5): one mode per policy, a discriminated
 * union so a half-specified combination cannot be configured (STYLE §4). Levels are
 * fractions of the entry fill price; stage fractions are of the original quantity.
 */

const levelPct = z.number().gt(0).lt(1);
const maxHoldingBars = z.number().int().min(1).nullable().default(null);
const breakevenOffsetPct = z.number().gt(-1).lt(1).nullable().default(null);

export const trailingSchema = z.strictObject({
  distancePct: levelPct,
  /** Peak must be this far beyond the entry before the trail is active; null = no condition. */
  activationPct: z.number().min(0).nullable().default(null),
  /** TP stages that must have filled first (0 = from entry). */
  afterStage: z.number().int().min(0).default(0),
});

const stageSchema = z.strictObject({ movePct: z.number().gt(0), fraction: z.number().min(0).max(1) });

const tierRowSchema = z.strictObject({
  confidence: z.number().min(0).max(1),
  takeProfitPct: z.number().gt(0),
  stopLossPct: levelPct,
  trailingStopPct: levelPct,
  fractionClosedAtTakeProfit: z.number().gt(0).max(1),
});

export const exitsSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("static"),
    stopLossPct: levelPct.nullable().default(0.03),
    takeProfitPct: z.number().gt(0).nullable().default(0.05),
    maxHoldingBars,
  }),
  z.strictObject({
    kind: z.literal("ai"),
    tiers: z.array(tierRowSchema).min(1).default(DEFAULT_AI_TIERS.map((row) => ({ ...row }))),
    mode: z.enum(["step", "interpolate"]).default("step"),
    /** Step mode: the minimum confidence of every row but the last, highest first. */
    stepBoundaries: z.array(z.number().min(0).max(1)).default([0.85, 0.65, 0.4]),
    /** A fixed reference ATR % for the volatility multiplier; null = median of the 720 bars before. */
    referenceAtrPct: z.number().gt(0).nullable().default(null),
    /** The static plan used (with `fallback: true`) when a confidence is missing or out of range. */
    fallbackStopLossPct: levelPct.nullable().default(0.03),
    fallbackTakeProfitPct: z.number().gt(0).nullable().default(0.05),
    maxHoldingBars,
  }),
  z.strictObject({
    kind: z.literal("lsf"),
    baseTakeProfitPct: levelPct.default(0.01),
    baseStopLossPct: levelPct.default(0.005),
    minStopLossPct: levelPct.default(0.0015),
    maxStopLossPct: levelPct.default(0.02),
    minTakeProfitPct: levelPct.default(0.003),
    /** Divergence from a reference exchange, as a fraction; 0 without a reference series. */
    exchangeDivergence: z.number().min(0).default(0),
    trailing: trailingSchema.nullable().default(null),
    breakevenOffsetPct,
    maxHoldingBars,
  }),
  z.strictObject({
    kind: z.literal("math"),
    trailing: trailingSchema.nullable().default(null),
    breakevenOffsetPct,
    maxHoldingBars,
  }),
  z.strictObject({
    kind: z.literal("harvest"),
    stopLossPct: levelPct.nullable().default(0.03),
    stages: z.array(stageSchema).default([{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.035, fraction: 0.3 }]),
    trailing: trailingSchema.nullable().default({ distancePct: 0.015, activationPct: 0.05, afterStage: 0 }),
    breakevenOffsetPct,
    maxHoldingBars,
  }),
]);

export type ExitsConfig = z.infer<typeof exitsSchema>;
export type ExitKind = ExitsConfig["kind"];
export const EXIT_KINDS: readonly ExitKind[] = ["static", "ai", "lsf", "math", "harvest"];

/**
 * Configuration checks a field schema cannot express: a harvest plan's stages must form a
 * valid plan (sorted, fractions summing to at most 1), the ai table must have one step
 * boundary per row but the last. Returns [path, message] or null.
 */
export function checkExitsConfig(exits: ExitsConfig): [string[], string] | null {
  if (exits.kind === "harvest") {
    const plan: ExitPlan = {
      source: "harvest", stopLossPct: exits.stopLossPct, stages: exits.stages, trailing: exits.trailing,
      breakevenOffsetPct: exits.breakevenOffsetPct, maxHoldingBars: exits.maxHoldingBars, fallback: false,
    };
    const problem = validateExitPlan(plan);
    if (problem !== null) return [["exits", "stages"], problem];
  }
  if (exits.kind === "ai" && exits.mode === "step" && exits.stepBoundaries.length !== exits.tiers.length - 1) {
    return [["exits", "stepBoundaries"], `needs ${exits.tiers.length - 1} values, one per tier row but the last`];
  }
  if (exits.kind === "ai") {
    for (let k = 1; k < exits.tiers.length; k++) {
      if (exits.tiers[k].confidence >= exits.tiers[k - 1].confidence) {
        return [["exits", "tiers", String(k), "confidence"], "tier rows must be ordered by confidence, highest first"];
      }
    }
  }
  return null;
}

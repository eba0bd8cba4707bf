import { z } from "../../data/zod.js";

/**
 * The `sizing` section of the run config (SPEC §4): the baselines, the Trading
 * Mathematician and the RL agent wrapped around it. Fractions are plain ratios.
 */

const leverage = z.number().min(1).default(1);
/** Performance inputs from this run's closed trades of the same symbol, or of the portfolio. */
const performanceScope = z.enum(["symbol", "portfolio"]).default("symbol");
const mathematicianFields = {
  performanceScope,
  /** `conservative` widens the SL by 1.2 (SPEC §4.1). */
  mode: z.enum(["standard", "conservative"]).default("standard"),
  minPositionUsd: z.number().min(0).default(10),
  maxPositionUsd: z.number().gt(0).default(8000),
};

export const sizingSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("fixed-fraction"), fraction: z.number().gt(0).max(1).default(0.1), leverage }),
  z.strictObject({ kind: z.literal("fixed-notional"), notionalUsd: z.number().gt(0).default(1000), leverage }),
  z.strictObject({ kind: z.literal("fixed-quantity"), quantity: z.number().gt(0).default(1), leverage }),
  z.strictObject({ kind: z.literal("math"), ...mathematicianFields }),
  z.strictObject({
    kind: z.literal("rl"),
    ...mathematicianFields,
    /** `train`: ε-greedy with Q updates; `eval`: greedy, no updates. */
    mode: z.enum(["train", "eval"]).default("train"),
    mathematicianMode: z.enum(["standard", "conservative"]).default("standard"),
    explorationRate: z.number().min(0).max(1).default(0.1),
    learningRate: z.number().gt(0).max(1).default(0.1),
    reward: z.enum(["return-on-margin", "pnl-over-initial-balance"]).default("return-on-margin"),
    /** Let the agent choose the leverage (1..5×) instead of Kelly. */
    leverageActions: z.boolean().default(false),
    /** Let the agent choose a TP/SL style (conservative, balanced, aggressive). */
    styleActions: z.boolean().default(false),
    /** Q-table JSON to start from (`--rl-load`), and where to save it after the run (`--rl-save`). */
    load: z.string().min(1).nullable().default(null),
    save: z.string().min(1).nullable().default(null),
  }),
]);

export type SizingConfig = z.infer<typeof sizingSchema>;
export const SIZING_KINDS: readonly SizingConfig["kind"][] = ["fixed-fraction", "fixed-notional", "fixed-quantity", "math", "rl"];

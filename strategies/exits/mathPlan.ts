import type { ExitPlan, TrailingStopPlan } from "../../engine/index.js";

/**
 * The **math** exit policy (SPEC §5 and §4.1): the Trading Mathematician's own levels as a
 * two-stage plan. Stage 1 (TP1) at `partialTpPct` closes 50 % of the original quantity;
 * stage 2 (TP2) at `tpPct` closes the rest. Levels are fractions of the entry fill price.
 */

/** The mathematician's output fields this policy reads (fractions, 0.03 = 3 %). */
export interface MathematicianLevels {
  readonly slPct: number;
  readonly tpPct: number;
  /** tpPct × 0.5 in the mathematician. */
  readonly partialTpPct: number;
}

export interface MathExitSettings {
  /** Off (null) unless configured. */
  readonly trailing: TrailingStopPlan | null;
  /** Off (null) unless configured. */
  readonly breakevenOffsetPct: number | null;
  readonly maxHoldingBars: number | null;
}

export const DEFAULT_MATH_EXIT_SETTINGS: MathExitSettings = {
  trailing: null,
  breakevenOffsetPct: null,
  maxHoldingBars: null,
};

/** Share of the original quantity closed at TP1 (the seed's "partial TP closing 50 %"). */
export const MATH_PARTIAL_FRACTION = 0.5;

export function mathPlan(levels: MathematicianLevels, settings: MathExitSettings = DEFAULT_MATH_EXIT_SETTINGS): ExitPlan {
  return {
    source: "math",
    stopLossPct: levels.slPct,
    stages: [
      { movePct: levels.partialTpPct, fraction: MATH_PARTIAL_FRACTION },
      // "The rest": written as 1 − TP1 so the fractions sum to exactly 1 and TP2 closes all.
      { movePct: levels.tpPct, fraction: 1 - MATH_PARTIAL_FRACTION },
    ],
    trailing: settings.trailing,
    breakevenOffsetPct: settings.breakevenOffsetPct,
    maxHoldingBars: settings.maxHoldingBars,
    fallback: false,
  };
}

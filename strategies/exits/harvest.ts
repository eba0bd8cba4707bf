import type { ExitPlan, TakeProfitStage, TrailingStopPlan } from "../../engine/index.js";

/**
 * The **harvest** exit policy (SPEC §5; seed `004` §1C and §6): the seed's intended
 * multi-stage scheme. SL 3 %; TP1 +2.0 % closing 50 %; TP2 +3.5 % closing 30 %; a 1.5 %
 * trailing stop once the peak is 5 % beyond the entry, on whatever is still open (the last
 * 20 % in practice: a peak 5 % up has passed both TP levels first). Levels are fractions
 * of the entry fill price; stage fractions are of the original quantity. All configurable.
 */
export interface HarvestExitSettings {
  /** Default 0.03; null = no stop loss. */
  readonly stopLossPct: number | null;
  /** Default TP1 0.02 × 50 %, TP2 0.035 × 30 %. */
  readonly stages: readonly TakeProfitStage[];
  /** Default 1.5 % from the peak, active from a 5 % peak, from entry on (afterStage 0). */
  readonly trailing: TrailingStopPlan | null;
  /** Breakeven after TP1: off (null) by default; 0 = move the stop to the entry fill. */
  readonly breakevenOffsetPct: number | null;
  readonly maxHoldingBars: number | null;
}

export const DEFAULT_HARVEST_SETTINGS: HarvestExitSettings = {
  stopLossPct: 0.03,
  stages: [
    { movePct: 0.02, fraction: 0.5 },
    { movePct: 0.035, fraction: 0.3 },
  ],
  trailing: { distancePct: 0.015, activationPct: 0.05, afterStage: 0 },
  breakevenOffsetPct: null,
  maxHoldingBars: null,
};

export function harvestPlan(settings: HarvestExitSettings = DEFAULT_HARVEST_SETTINGS): ExitPlan {
  return {
    source: "harvest",
    stopLossPct: settings.stopLossPct,
    stages: settings.stages,
    trailing: settings.trailing,
    breakevenOffsetPct: settings.breakevenOffsetPct,
    maxHoldingBars: settings.maxHoldingBars,
    fallback: false,
  };
}

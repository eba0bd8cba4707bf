import type { ExitPlan } from "../../engine/index.js";

/** Static exits (SPEC §5, the seed's fallback): fractions of the entry fill price; null switches a level off. */
export interface StaticExitSettings {
  /** Default 0.03 (3 %). */
  readonly stopLossPct: number | null;
  /** Default 0.05 (5 %), one stage closing 100 %. */
  readonly takeProfitPct: number | null;
  readonly maxHoldingBars: number | null;
}

export function staticPlan(settings: StaticExitSettings, fallback = false): ExitPlan {
  return {
    source: "static",
    stopLossPct: settings.stopLossPct,
    stages: settings.takeProfitPct === null ? [] : [{ movePct: settings.takeProfitPct, fraction: 1 }],
    trailing: null,
    breakevenOffsetPct: null,
    maxHoldingBars: settings.maxHoldingBars,
    fallback,
  };
}

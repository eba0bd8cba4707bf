import type { DecisionContext, ExitPlan, FundingSeries, SizingDecision } from "../../engine/index.js";
import type { MarketInputs } from "../marketInputs.js";
import { aiTiersPlan, type AiTierSettings } from "./aiTiers.js";
import type { ExitsConfig } from "./exitConfig.js";
import { harvestPlan } from "./harvest.js";
import { lsfPlan } from "./lsf.js";
import { mathPlan, type MathematicianLevels } from "./mathPlan.js";
import { staticPlan } from "./staticPlan.js";
import { mathematicianDecisionOf } from "../sizing/sizers.js";

/** What the exit policies read besides the decision itself. */
export interface ExitPlannerInputs {
  /** Market inputs of a symbol at a decision bar (ATR %, reference ATR %, …), computed before the run. */
  readonly marketInputsAt: (symbol: string, barIndex: number) => MarketInputs;
  readonly funding: ReadonlyMap<string, FundingSeries>;
  /** The configured constant funding rate per 8 h, used by lsf where no funding file covers. */
  readonly constantFundingRate: number | null;
  /** The mathematician's levels for a decision (math exits without math sizing). */
  readonly mathematicianLevels: (context: DecisionContext) => MathematicianLevels;
}

/**
 * Turns the `exits` config into the engine's `planExit`: a pure function of the entry
 * context (the decision, its sizing and the market inputs at the decision bar).
 */
export function createExitPlanner(exits: ExitsConfig, inputs: ExitPlannerInputs): (context: DecisionContext, sizing: SizingDecision) => ExitPlan {
  switch (exits.kind) {
    case "static": {
      const plan = staticPlan(exits);
      return () => plan;
    }
    case "harvest": {
      const plan = harvestPlan(exits);
      return () => plan;
    }
    case "ai": {
      const settings: AiTierSettings = {
        tiers: exits.tiers,
        mode: exits.mode === "step" ? { kind: "step", minConfidence: exits.stepBoundaries } : { kind: "interpolate" },
        reference: exits.referenceAtrPct === null ? { kind: "rolling-median" } : { kind: "fixed", atrPct: exits.referenceAtrPct },
        staticFallback: { stopLossPct: exits.fallbackStopLossPct, takeProfitPct: exits.fallbackTakeProfitPct, maxHoldingBars: exits.maxHoldingBars },
        maxHoldingBars: exits.maxHoldingBars,
      };
      return (context) => {
        const at = inputs.marketInputsAt(context.symbol, context.barIndex);
        return aiTiersPlan({ confidence: context.confidence, score: context.score, atrPct: at.atrPct, referenceAtrPct: at.referenceAtrPct }, settings);
      };
    }
    case "lsf":
      return (context, sizing) => {
        const atrPct = inputs.marketInputsAt(context.symbol, context.barIndex).atrPct;
        return lsfPlan({
          leverage: sizing.leverage, side: context.side,
          lastFundingRate: lastSettledFundingRate(inputs.funding.get(context.symbol), context.decisionTimeMs, inputs.constantFundingRate),
          volatilityFactor: atrPct === atrPct ? atrPct : 0,
          exchangeDivergence: exits.exchangeDivergence,
        }, exits);
      };
    case "math":
      // With math or rl sizing the decision already holds the mathematician's levels.
      return (context, sizing) => mathPlan(mathematicianDecisionOf(sizing) ?? inputs.mathematicianLevels(context), exits);
  }
}

/**
 * The last funding rate settled before `decisionTimeMs` (a funding time at the decision
 * bar's close is settled in the next bar, so strictly before). Falls back to the constant
 * rate, then to null (no funding data: lsf's funding term is 0).
 */
export function lastSettledFundingRate(series: FundingSeries | undefined, decisionTimeMs: number, constantRate: number | null): number | null {
  if (series !== undefined && series.length > 0 && series.time[0] < decisionTimeMs) {
    let low = 0;
    let high = series.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (series.time[mid] < decisionTimeMs) low = mid;
      else high = mid - 1;
    }
    return series.rate[low];
  }
  return constantRate;
}

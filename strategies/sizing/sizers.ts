import type { DecisionContext, SizingDecision } from "../../engine/index.js";
import type { Trade } from "../../engine/types.js";
import {
  accountSnapshotOf, DEFAULT_MATHEMATICIAN_SETTINGS, sizeWithMathematician,
  type MarketConditions, type MathematicianDecision, type MathematicianSettings,
} from "./mathematician.js";
import { PerformanceTracker } from "./performance.js";
import { rewardOf, type RlSizingAgent } from "./rlAgent.js";
import { sizeWithRlAgent } from "./rlSizing.js";

/**
 * Adapters from the pure sizing maths to the engine's `sizeEntry(context)` hook (SPEC §1
 * step 8). They own the per-run state: a performance tracker over `context.closedTrades` and,
 * for the RL agent, the feed of closed trades back to it as rewards.
 *
 * - History: the closed trades of the signal's symbol, or of the portfolio (SPEC §4.1,
 *   configurable); the RL "recent performance" uses the same scope.
 * - A signal's `sizeMultiplier` (NaN = 1) scales the margin after the mathematician, as for
 *   the baselines; a multiplier ≤ 0 drops the signal.
 * - The returned decision carries the mathematician's full decision (`mathematician`) so an
 *   exit module can build its plan from `tpPct`, `slPct` and `partialTpPct`.
 */

export type PerformanceScope = "symbol" | "portfolio";

/** The market inputs at a decision, e.g. from indicator columns at `context.barIndex`. */
export type MarketConditionsAt = (context: DecisionContext) => MarketConditions;

export interface MathematicianSizingDecision extends SizingDecision {
  readonly mathematician: MathematicianDecision;
}

/** The mathematician's decision behind an engine sizing decision, or null for other modules. */
export function mathematicianDecisionOf(sizing: SizingDecision): MathematicianDecision | null {
  const candidate = (sizing as Partial<MathematicianSizingDecision>).mathematician;
  return candidate === undefined ? null : candidate;
}

export interface Sizer {
  readonly sizeEntry: (context: DecisionContext) => MathematicianSizingDecision | null;
  /**
   * Feeds outcomes of trades closed since the last call to the RL agent (a no-op for the
   * mathematician). `sizeEntry` does it at every signal; call it once more with the run's
   * trades after the run so the last trades are learnt before the Q-table is saved.
   */
  readonly recordClosedTrades: (trades: readonly Trade[]) => void;
}

export function createMathematicianSizer(
  marketAt: MarketConditionsAt,
  settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
  scope: PerformanceScope = "symbol",
): Sizer {
  const tracker = new PerformanceTracker();
  return {
    sizeEntry(context) {
      const multiplier = multiplierOf(context);
      if (multiplier === null) return null;
      const decision = sizeWithMathematician({
        account: accountSnapshotOf(context),
        market: marketAt(context),
        performance: tracker.performanceOf(context.closedTrades, scope === "symbol" ? context.symbol : null),
        confidence: context.confidence,
      }, settings);
      return { marginUsd: decision.marginUsd * multiplier, leverage: decision.leverage, mathematician: decision };
    },
    recordClosedTrades() {},
  };
}

export function createRlSizer(
  agent: RlSizingAgent,
  marketAt: MarketConditionsAt,
  settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
  scope: PerformanceScope = "symbol",
): Sizer {
  const tracker = new PerformanceTracker(agent.settings.state.recentWindow);
  let tradesRecorded = 0;
  const recordClosedTrades = (trades: readonly Trade[]) => {
    if (trades.length < tradesRecorded) tradesRecorded = 0;
    for (let i = tradesRecorded; i < trades.length; i++) {
      const decisionId = trades[i].decisionId;
      if (decisionId !== null) agent.recordOutcome(decisionId, rewardOf(trades[i], agent.settings.reward));
    }
    tradesRecorded = trades.length;
  };
  return {
    sizeEntry(context) {
      recordClosedTrades(context.closedTrades);
      const multiplier = multiplierOf(context);
      if (multiplier === null) return null;
      const symbol = scope === "symbol" ? context.symbol : null;
      const sized = sizeWithRlAgent(agent, {
        account: accountSnapshotOf(context),
        market: marketAt(context),
        performance: tracker.performanceOf(context.closedTrades, symbol),
        confidence: context.confidence,
      }, tracker.recentMeanReturnPctOf(context.closedTrades, symbol), settings);
      return {
        marginUsd: sized.decision.marginUsd * multiplier,
        leverage: sized.decision.leverage,
        decisionId: sized.choice.decisionId,
        mathematician: sized.decision,
      };
    },
    recordClosedTrades,
  };
}

function multiplierOf(context: DecisionContext): number | null {
  const multiplier = context.sizeMultiplier === context.sizeMultiplier ? context.sizeMultiplier : 1;
  return multiplier > 0 ? multiplier : null;
}

import {
  DEFAULT_MATHEMATICIAN_SETTINGS, sizeWithMathematician, type MathematicianDecision, type MathematicianInput, type MathematicianSettings,
} from "./mathematician.js";
import { applyAction } from "./rlActions.js";
import type { RlChoice, RlSizingAgent } from "./rlAgent.js";
import { stateIdOf } from "./rlState.js";

/**
 * One RL sizing decision (SPEC §4.2, the seed's `decide_sizing`): the mathematician sizes the
 * signal, the agent reads the state and picks an action, and the action scales the margin
 * (and, when enabled, sets the leverage and the TP/SL style). In eval mode, a state the
 * Q-table never trained keeps the mathematician's decision unchanged. The caller keeps
 * `choice.decisionId` with the order and calls `agent.recordOutcome(id, rewardOf(trade, …))`
 * when that trade closes, or `agent.discardDecision(id)` when the order never fills.
 */
export interface RlSizingDecision {
  /** The decision to trade. */
  readonly decision: MathematicianDecision;
  /** The mathematician's decision before the action. */
  readonly mathematician: MathematicianDecision;
  readonly choice: RlChoice;
}

/**
 * @param recentMeanReturnPct mean return (net PnL / entry notional) of the last
 *   `agent.settings.state.recentWindow` closed trades, NaN without any — e.g.
 *   `PerformanceTracker.recentMeanReturnPctOf`.
 */
export function sizeWithRlAgent(
  agent: RlSizingAgent,
  input: MathematicianInput,
  recentMeanReturnPct: number,
  settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
): RlSizingDecision {
  const mathematician = sizeWithMathematician(input, settings);
  const stateId = stateIdOf({
    atrPct: input.market.atrPct,
    dailyVolatility: input.market.dailyVolatility,
    trendStrength: input.market.trendStrength,
    confidence: input.confidence,
    marginUsedUsd: input.account.marginUsedUsd,
    equityUsd: input.account.equityUsd,
    recentMeanReturnPct,
  }, agent.settings.state);
  const choice = agent.chooseAction(stateId);
  // A state the Q-table never trained has no greedy action worth taking: the mathematician decides.
  if (choice.untrained) return { decision: mathematician, mathematician, choice };
  return { decision: applyAction(mathematician, choice.action, agent.settings.actions, settings), mathematician, choice };
}

import type { ExitPlan } from "../../engine/index.js";

/** Slack on the sum of stage fractions, the same as the engine's "fractions sum to one" test. */
export const FRACTION_SUM_TOLERANCE = 1e-9;

/**
 * Why an exit plan cannot be executed (SPEC §5: "invalid plans are configuration errors"),
 * or null when it is valid. The reason names the field, its value and the fix, so a config
 * loader can wrap it in a ConfigError. Checks: stop loss in (0, 1); stage moves > 0 and
 * non-decreasing; fractions >= 0 summing to at most 1 (+1e-9); trailing distance in (0, 1),
 * activation >= 0, afterStage an integer in 0..stages.length; breakeven offset in (−1, 1);
 * maxHoldingBars an integer >= 1.
 */
export function validateExitPlan(plan: ExitPlan): string | null {
  return checkStopLoss(plan) ?? checkStages(plan) ?? checkTrailing(plan) ?? checkOthers(plan);
}

function checkStopLoss(plan: ExitPlan): string | null {
  const sl = plan.stopLossPct;
  if (sl === null) return null;
  if (!Number.isFinite(sl) || sl <= 0) return `stopLossPct ${sl} must be above 0 (or null for no stop loss)`;
  // A long's stop at entry × (1 − sl) would be at or below zero: a negative level.
  if (sl >= 1) return `stopLossPct ${sl} must be below 1 (it is a fraction: 0.03 = 3 %)`;
  return null;
}

function checkStages(plan: ExitPlan): string | null {
  let sum = 0;
  for (let k = 0; k < plan.stages.length; k++) {
    const { movePct, fraction } = plan.stages[k];
    if (!Number.isFinite(movePct) || movePct <= 0) return `stages[${k}].movePct ${movePct} must be above 0`;
    if (k > 0 && movePct < plan.stages[k - 1].movePct) {
      return `stages[${k}].movePct ${movePct} is below stages[${k - 1}].movePct ${plan.stages[k - 1].movePct}: sort the stages by move`;
    }
    if (!Number.isFinite(fraction) || fraction < 0) return `stages[${k}].fraction ${fraction} must be 0 or more`;
    sum += fraction;
  }
  if (sum > 1 + FRACTION_SUM_TOLERANCE) {
    return `stage fractions sum to ${sum}, over 1: they are shares of the original quantity, lower one of them`;
  }
  return null;
}

function checkTrailing(plan: ExitPlan): string | null {
  const trailing = plan.trailing;
  if (trailing === null) return null;
  const { distancePct, activationPct, afterStage } = trailing;
  if (!Number.isFinite(distancePct) || distancePct <= 0 || distancePct >= 1) {
    return `trailing.distancePct ${distancePct} must be inside (0, 1) (0.015 = 1.5 %)`;
  }
  if (activationPct !== null && (!Number.isFinite(activationPct) || activationPct < 0)) {
    return `trailing.activationPct ${activationPct} must be 0 or more (or null for no condition)`;
  }
  if (!Number.isInteger(afterStage) || afterStage < 0) return `trailing.afterStage ${afterStage} must be a whole number >= 0`;
  if (afterStage > plan.stages.length) {
    return `trailing.afterStage ${afterStage} waits for more stages than the plan has (${plan.stages.length}): it could never activate`;
  }
  return null;
}

function checkOthers(plan: ExitPlan): string | null {
  const offset = plan.breakevenOffsetPct;
  if (offset !== null && (!Number.isFinite(offset) || offset <= -1 || offset >= 1)) {
    return `breakevenOffsetPct ${offset} must be inside (−1, 1) (0 = the entry fill price)`;
  }
  const bars = plan.maxHoldingBars;
  if (bars !== null && (!Number.isInteger(bars) || bars < 1)) {
    return `maxHoldingBars ${bars} must be a whole number >= 1 (the entry bar counts as 1), or null`;
  }
  return null;
}

import { decisionOf, DEFAULT_MATHEMATICIAN_SETTINGS, type MathematicianDecision, type MathematicianSettings } from "./mathematician.js";

/**
 * Actions of the RL sizing agent (SPEC §4.2): a size fraction of the mathematician's margin,
 * and — when enabled — a leverage of 1..5× and a TP/SL style. The seed defined the last two
 * but never used them; here each is a dimension of the action space when its source is
 * "action", so the space is the product of the enabled dimensions (5, 25, 15 or 75 actions),
 * encoded as `(size × leverages + leverage) × styles + style`.
 */

/** "minimum" = the mathematician's `minPositionUsd`; numbers are fractions of its margin. */
export const SIZE_CHOICES = ["minimum", 0.1, 0.25, 0.5, 1] as const;
export const LEVERAGE_CHOICES = [1, 2, 3, 4, 5] as const;
export const TP_SL_STYLES = ["conservative", "balanced", "aggressive"] as const;

export type SizeChoice = (typeof SIZE_CHOICES)[number];
export type TpSlStyle = (typeof TP_SL_STYLES)[number];

export interface StyleMultipliers {
  readonly tpMultiplier: number;
  readonly slMultiplier: number;
}

export interface RlActionSettings {
  /** "kelly": keep the mathematician's leverage; "action": the agent chooses 1..5×. */
  readonly leverageSource: "kelly" | "action";
  /** "mathematician": keep its TP/SL; "action": the agent chooses a style. */
  readonly tpSlSource: "mathematician" | "action";
  /**
   * What a style does to the mathematician's (already clamped) TP and SL distances; the
   * result is not clamped again, since leaving the band is the point of a style.
   * conservative: take profit earlier and cut losses sooner (TP × 0.8, SL × 0.8);
   * balanced: unchanged; aggressive: let it run with more room (TP × 1.25, SL × 1.2).
   */
  readonly styles: Readonly<Record<TpSlStyle, StyleMultipliers>>;
}

export const DEFAULT_RL_ACTION_SETTINGS: RlActionSettings = Object.freeze({
  leverageSource: "kelly",
  tpSlSource: "mathematician",
  styles: Object.freeze({
    conservative: Object.freeze({ tpMultiplier: 0.8, slMultiplier: 0.8 }),
    balanced: Object.freeze({ tpMultiplier: 1, slMultiplier: 1 }),
    aggressive: Object.freeze({ tpMultiplier: 1.25, slMultiplier: 1.2 }),
  }),
});

/** The shape of the action space; stored with a Q-table so a table of another shape is refused. */
export interface ActionLayout {
  readonly sizes: readonly SizeChoice[];
  /** null when the dimension is disabled. */
  readonly leverages: readonly number[] | null;
  readonly styles: readonly TpSlStyle[] | null;
  readonly count: number;
}

export interface RlAction {
  readonly size: SizeChoice;
  /** null = the mathematician's leverage. */
  readonly leverage: number | null;
  /** null = the mathematician's TP/SL. */
  readonly style: TpSlStyle | null;
}

export function actionLayoutOf(settings: RlActionSettings = DEFAULT_RL_ACTION_SETTINGS): ActionLayout {
  const leverages = settings.leverageSource === "action" ? [...LEVERAGE_CHOICES] : null;
  const styles = settings.tpSlSource === "action" ? [...TP_SL_STYLES] : null;
  return {
    sizes: [...SIZE_CHOICES],
    leverages,
    styles,
    count: SIZE_CHOICES.length * (leverages?.length ?? 1) * (styles?.length ?? 1),
  };
}

export function decodeAction(layout: ActionLayout, actionId: number): RlAction {
  if (!Number.isInteger(actionId) || actionId < 0 || actionId >= layout.count) {
    throw new RangeError(`action id must be an integer in 0..${layout.count - 1}, got ${actionId}`);
  }
  const styleCount = layout.styles?.length ?? 1;
  const leverageCount = layout.leverages?.length ?? 1;
  const style = layout.styles === null ? null : layout.styles[actionId % styleCount];
  const rest = Math.floor(actionId / styleCount);
  const leverage = layout.leverages === null ? null : layout.leverages[rest % leverageCount];
  return { size: layout.sizes[Math.floor(rest / leverageCount)], leverage, style };
}

export function encodeAction(layout: ActionLayout, action: RlAction): number {
  const size = layout.sizes.indexOf(action.size);
  const leverage = indexIn(layout.leverages, action.leverage);
  const style = indexIn(layout.styles, action.style);
  if (size < 0 || leverage < 0 || style < 0) throw new RangeError(`action ${JSON.stringify(action)} is not in this layout`);
  return (size * (layout.leverages?.length ?? 1) + leverage) * (layout.styles?.length ?? 1) + style;
}

/** Index of a value in an enabled dimension; a disabled dimension (null) accepts only null, as index 0. */
function indexIn<T>(choices: readonly T[] | null, value: T | null): number {
  if (choices === null) return value === null ? 0 : -1;
  return value === null ? -1 : choices.indexOf(value);
}

/** `size=0.25 leverage=3x style=aggressive` (disabled dimensions omitted), for reports. */
export function describeAction(layout: ActionLayout, actionId: number): string {
  const action = decodeAction(layout, actionId);
  const parts = [`size=${action.size}`];
  if (action.leverage !== null) parts.push(`leverage=${action.leverage}x`);
  if (action.style !== null) parts.push(`style=${action.style}`);
  return parts.join(" ");
}

/**
 * The mathematician's decision with the agent's action applied. A fraction's margin never
 * goes below the minimum position (the smallest action is the minimum itself); a chosen
 * leverage is still bounded by the Kelly safety cap.
 */
export function applyAction(
  decision: MathematicianDecision,
  action: RlAction,
  settings: RlActionSettings = DEFAULT_RL_ACTION_SETTINGS,
  mathematician: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
): MathematicianDecision {
  const minimumUsd = mathematician.minPositionUsd;
  const marginUsd = action.size === "minimum" ? minimumUsd : Math.max(minimumUsd, decision.marginUsd * action.size);
  const leverage = action.leverage === null ? decision.leverage : Math.min(action.leverage, mathematician.kelly.safetyCap);
  const style = action.style === null ? null : settings.styles[action.style];
  const tpPct = style === null ? decision.tpPct : decision.tpPct * style.tpMultiplier;
  const slPct = style === null ? decision.slPct : decision.slPct * style.slMultiplier;
  const leverageBasis = action.leverage === null ? decision.leverageBasis : "rl-action";
  return decisionOf(marginUsd, leverage, tpPct, slPct, decision.confidence, leverageBasis, mathematician);
}

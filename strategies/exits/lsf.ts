import type { ExitPlan, TrailingStopPlan } from "../../engine/index.js";

/**
 * The **lsf** exit policy: the Adaptive Leverage Engine of seed `004` §3 (SPEC §5). Three TP
 * stages and a stop loss scaled by the Leverage Sensitivity Factor
 * `LSF = 1 / (1 + ln(L + 1))`, with a harvest scheme chosen by leverage. Levels are fractions
 * of the entry fill price (0.01 = 1 %). The SL widens with leverage — the seed's comment says
 * the opposite, its formula says this, and the spec keeps the formula.
 */

export interface LsfExitSettings {
  /** baseTp, default 0.01 (1 %). */
  readonly baseTakeProfitPct: number;
  /** baseSl, default 0.005 (0.5 %). */
  readonly baseStopLossPct: number;
  /** SL floor after all scaling, default 0.0015 (the seed also names 0.001; the larger wins). */
  readonly minStopLossPct: number;
  /** SL ceiling after all scaling, default 0.02. */
  readonly maxStopLossPct: number;
  /** Floor of every TP after all scaling, default 0.003. */
  readonly minTakeProfitPct: number;
  /** Off (null) unless configured. */
  readonly trailing: TrailingStopPlan | null;
  /** Off (null) unless configured. */
  readonly breakevenOffsetPct: number | null;
  readonly maxHoldingBars: number | null;
}

export const DEFAULT_LSF_SETTINGS: LsfExitSettings = {
  baseTakeProfitPct: 0.01,
  baseStopLossPct: 0.005,
  minStopLossPct: 0.0015,
  maxStopLossPct: 0.02,
  minTakeProfitPct: 0.003,
  trailing: null,
  breakevenOffsetPct: null,
  maxHoldingBars: null,
};

/** What the policy reads at the decision. */
export interface LsfEntryContext {
  /** The position's leverage L (>= 1). */
  readonly leverage: number;
  /** +1 long, −1 short. */
  readonly side: 1 | -1;
  /**
   * The last funding rate settled before the decision, as a plain fraction per 8 h
   * (0.0001 = 0.01 %; positive = longs pay shorts); null or NaN = no funding data.
   */
  readonly lastFundingRate: number | null;
  /** ATR(14)/close at the decision bar (fraction); NaN while ATR warms up, taken as 0. */
  readonly volatilityFactor: number;
  /** Divergence from a reference exchange (fraction); 0 without a reference series. */
  readonly exchangeDivergence: number;
}

export interface LsfLevels {
  readonly leverageSensitivity: number;
  /** Funding in percent per 8 h, positive = the position receives it. */
  readonly fundingDeltaPct: number;
  /** tp1, tp2, tp3 after scaling and the floor; non-decreasing. */
  readonly takeProfitPcts: readonly [number, number, number];
  readonly stopLossPct: number;
  /** Fractions of the original quantity closed at tp1..tp3; they sum to exactly 1. */
  readonly harvestFractions: readonly [number, number, number];
}

export function lsfPlan(context: LsfEntryContext, settings: LsfExitSettings = DEFAULT_LSF_SETTINGS): ExitPlan {
  const levels = computeLsfLevels(context, settings);
  return {
    source: "lsf",
    stopLossPct: levels.stopLossPct,
    stages: levels.takeProfitPcts.map((movePct, k) => ({ movePct, fraction: levels.harvestFractions[k] })),
    trailing: settings.trailing,
    breakevenOffsetPct: settings.breakevenOffsetPct,
    maxHoldingBars: settings.maxHoldingBars,
    fallback: false,
  };
}

export function computeLsfLevels(context: LsfEntryContext, settings: LsfExitSettings = DEFAULT_LSF_SETTINGS): LsfLevels {
  const lsf = leverageSensitivityFactor(context.leverage);
  const fundingDelta = fundingDeltaPct(context.side, context.lastFundingRate);
  const volatilityFactor = Number.isFinite(context.volatilityFactor) ? context.volatilityFactor : 0;
  const divergence = Number.isFinite(context.exchangeDivergence) ? context.exchangeDivergence : 0;

  const takeProfitScale = 1 + fundingDelta * 0.8;
  const stopLossScale = 1 + divergence * 0.4 + volatilityFactor * 0.2;
  const base = settings.baseTakeProfitPct;
  const takeProfit = (multiple: number) => Math.max(settings.minTakeProfitPct, base * multiple * takeProfitScale);
  const stopLoss = settings.baseStopLossPct * (1 + (1 - lsf) * 0.8) * stopLossScale;

  return {
    leverageSensitivity: lsf,
    fundingDeltaPct: fundingDelta,
    // The TP floor is monotone, so the stages stay non-decreasing (tp2 − tp1 = base·(0.6 − LSF/2) > 0).
    takeProfitPcts: [takeProfit(0.6 + lsf), takeProfit(1.2 + lsf / 2), takeProfit(1.8 + lsf / 4)],
    stopLossPct: Math.min(settings.maxStopLossPct, Math.max(settings.minStopLossPct, stopLoss)),
    harvestFractions: lsfHarvestFractions(context.leverage),
  };
}

/** LSF = 1 / (1 + ln(L + 1)): 0.5906 at 1×, 0.2943 at 10×, smaller as leverage grows. */
export function leverageSensitivityFactor(leverage: number): number {
  return 1 / (1 + Math.log(leverage + 1));
}

/**
 * The funding term in percent per 8 h, signed so that positive means the position receives
 * funding: a positive rate is paid by longs, so delta = −side × rate × 100. No data → 0.
 * (Taken as a plain fraction the term `fundingDelta × 0.8` would be inert, SPEC §5.)
 */
export function fundingDeltaPct(side: 1 | -1, lastFundingRate: number | null): number {
  if (lastFundingRate === null || !Number.isFinite(lastFundingRate)) return 0;
  return -side * lastFundingRate * 100;
}

/**
 * Harvest by leverage: L ≤ 10 → 30/30/40 %, 10 < L ≤ 30 → 40/40/20 %, L > 30 → 50/30/20 %.
 * The last share is 1 − the others so the three sum to exactly 1 in float and the last stage
 * closes everything.
 */
export function lsfHarvestFractions(leverage: number): readonly [number, number, number] {
  const [first, second] = leverage <= 10 ? [0.3, 0.3] : leverage <= 30 ? [0.4, 0.4] : [0.5, 0.3];
  return [first, second, 1 - (first + second)];
}

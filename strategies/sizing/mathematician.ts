import type { DecisionContext } from "../../engine/index.js";
import { DEFAULT_KELLY_SETTINGS, kellyLeverage, type KellyBasis, type KellySettings } from "./kelly.js";
import type { PerformanceStats } from "./performance.js";

/**
 * The Trading Mathematician (SPEC §4.1; seed 004 FORMEL 1–4): margin from the balance, SL
 * from the ATR, TP from the daily volatility, both nudged by trend and history and clamped,
 * leverage by Kelly. All fractions are plain ratios (0.03 = 3 %); money in USDT.
 *
 * Missing market inputs (NaN during indicator warm-up) — a documented choice:
 * - `atrPct` NaN: the ATR term of the SL is 0, so without a losing history the SL is the
 *   floor after clamping (2.5 %); a closed losing history can still widen it.
 * - `dailyVolatility` NaN: neither volatility branch applies, so the middle TP (3.5 %).
 * - `trendStrength` NaN: treated as 0.5, a neutral trend (no trend adjustment).
 */

export interface AccountSnapshot {
  /** Wallet balance (isolated margin of open positions included). */
  readonly balanceUsd: number;
  readonly equityUsd: number;
  /** Initial margin locked by open positions; available = balance − this. */
  readonly marginUsedUsd: number;
  readonly openPositions: number;
  readonly maxPositions: number;
}

export interface MarketConditions {
  /** ATR(14) / close, a fraction; NaN in warm-up. */
  readonly atrPct: number;
  /** (24 h high − 24 h low) / 24 h low, a fraction; NaN in warm-up. */
  readonly dailyVolatility: number;
  /** ADX(14) / 100, 0..1; NaN in warm-up. */
  readonly trendStrength: number;
  /** Carried for parity with the seed; no §4.1 formula reads it. */
  readonly liquidityScore: number;
}

export interface MathematicianInput {
  readonly account: AccountSnapshot;
  readonly market: MarketConditions;
  /** From this run's already-closed trades of the symbol or the portfolio (see performance.ts). */
  readonly performance: PerformanceStats;
  /** Signal confidence 0..1 (NaN = none). */
  readonly confidence: number;
}

export type MathematicianMode = "standard" | "conservative";

export interface StopLossSettings {
  readonly atrMultiple: number;
  readonly strongTrendMultiplier: number;
  readonly weakTrendMultiplier: number;
  /** History replaces the SL when avgLossPct > sl × this ratio ... */
  readonly historyTriggerRatio: number;
  /** ... with avgLossPct × this fraction. */
  readonly historyFraction: number;
  readonly conservativeMultiplier: number;
  readonly minPct: number;
  readonly maxPct: number;
}

export interface TakeProfitSettings {
  readonly basePct: number;
  /** TP when dailyVolatility > highVolatilityAbove. */
  readonly highVolatilityPct: number;
  readonly highVolatilityAbove: number;
  /** TP when dailyVolatility < lowVolatilityBelow. */
  readonly lowVolatilityPct: number;
  readonly lowVolatilityBelow: number;
  readonly strongTrendMultiplier: number;
  /** History replaces the TP when avgWinPct < tp, with avgWinPct × this fraction. */
  readonly historyFraction: number;
  readonly minPct: number;
  readonly maxPct: number;
  /** Partial TP distance = tp × this ratio ... */
  readonly partialRatio: number;
  /** ... closing this fraction of the position. */
  readonly partialCloseFraction: number;
}

export interface MathematicianSettings {
  readonly mode: MathematicianMode;
  /** Margin as a fraction of balance (`RM_RISK_PER_TRADE_PCT`). */
  readonly riskPerTradePct: number;
  /** Share of the available margin used when it is below the target. */
  readonly availableMarginFraction: number;
  readonly minPositionUsd: number;
  readonly maxPositionUsd: number;
  /** trendStrength above this is a strong trend; below `weakTrendBelow` a weak one. */
  readonly strongTrendAbove: number;
  readonly weakTrendBelow: number;
  /** trendStrength assumed when it is missing (NaN). */
  readonly missingTrendStrength: number;
  readonly stopLoss: StopLossSettings;
  readonly takeProfit: TakeProfitSettings;
  readonly kelly: KellySettings;
}

export const DEFAULT_MATHEMATICIAN_SETTINGS: MathematicianSettings = Object.freeze({
  mode: "standard",
  riskPerTradePct: 0.8,
  availableMarginFraction: 0.95,
  minPositionUsd: 10,
  maxPositionUsd: 8000,
  strongTrendAbove: 0.7,
  weakTrendBelow: 0.3,
  missingTrendStrength: 0.5,
  stopLoss: Object.freeze({
    atrMultiple: 2.0,
    strongTrendMultiplier: 0.9,
    weakTrendMultiplier: 1.15,
    historyTriggerRatio: 1.3,
    historyFraction: 0.95,
    conservativeMultiplier: 1.2,
    minPct: 0.025,
    maxPct: 0.03,
  }),
  takeProfit: Object.freeze({
    basePct: 0.035,
    highVolatilityPct: 0.04,
    highVolatilityAbove: 0.05,
    lowVolatilityPct: 0.03,
    lowVolatilityBelow: 0.02,
    strongTrendMultiplier: 1.1,
    historyFraction: 0.9,
    minPct: 0.03,
    maxPct: 0.045,
    partialRatio: 0.5,
    partialCloseFraction: 0.5,
  }),
  kelly: DEFAULT_KELLY_SETTINGS,
});

/** Where a decision's leverage came from: Kelly's reasoning, or the RL agent's leverage action. */
export type LeverageBasis = KellyBasis | "rl-action";

export interface MathematicianDecision {
  readonly marginUsd: number;
  readonly leverage: number;
  /** margin × leverage. */
  readonly notionalUsd: number;
  readonly tpPct: number;
  readonly slPct: number;
  /** tp × partialRatio. */
  readonly partialTpPct: number;
  /** Fraction of the position the partial TP closes. */
  readonly partialCloseFraction: number;
  /** notional × tp: the profit if the full position reaches the TP. */
  readonly expectedProfitUsd: number;
  /** notional × sl: the loss at the stop. */
  readonly maxLossUsd: number;
  /** tp / sl. */
  readonly riskReward: number;
  readonly confidence: number;
  readonly leverageBasis: LeverageBasis;
}

/** FORMEL 1: balance × risk; 95 % of the available margin if that is less; clamped to [min, max]. */
export function marginUsdFor(account: AccountSnapshot, settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS): number {
  const targetUsd = account.balanceUsd * settings.riskPerTradePct;
  const availableUsd = account.balanceUsd - account.marginUsedUsd;
  const marginUsd = availableUsd < targetUsd ? availableUsd * settings.availableMarginFraction : targetUsd;
  return clamp(marginUsd, settings.minPositionUsd, settings.maxPositionUsd);
}

/** FORMEL 2: ATR × 2, trend, losing history, conservative mode, clamp. */
export function stopLossPctFor(
  market: MarketConditions, performance: PerformanceStats, settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
): number {
  const rules = settings.stopLoss;
  const trend = trendStrengthOf(market, settings);
  let slPct = market.atrPct === market.atrPct ? market.atrPct * rules.atrMultiple : 0;
  if (trend > settings.strongTrendAbove) slPct *= rules.strongTrendMultiplier;
  else if (trend < settings.weakTrendBelow) slPct *= rules.weakTrendMultiplier;
  if (performance.closedLosingTrades > 0 && performance.avgLossPct > slPct * rules.historyTriggerRatio) {
    slPct = performance.avgLossPct * rules.historyFraction;
  }
  if (settings.mode === "conservative") slPct *= rules.conservativeMultiplier;
  return clamp(slPct, rules.minPct, rules.maxPct);
}

/** FORMEL 3: volatility band, trend, winning history, clamp. */
export function takeProfitPctFor(
  market: MarketConditions, performance: PerformanceStats, settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
): number {
  const rules = settings.takeProfit;
  let tpPct = rules.basePct;
  if (market.dailyVolatility > rules.highVolatilityAbove) tpPct = rules.highVolatilityPct;
  else if (market.dailyVolatility < rules.lowVolatilityBelow) tpPct = rules.lowVolatilityPct;
  if (trendStrengthOf(market, settings) > settings.strongTrendAbove) tpPct *= rules.strongTrendMultiplier;
  if (performance.closedWinningTrades > 0 && performance.avgWinPct < tpPct) tpPct = performance.avgWinPct * rules.historyFraction;
  return clamp(tpPct, rules.minPct, rules.maxPct);
}

/** The whole of SPEC §4.1 for one signal. */
export function sizeWithMathematician(
  input: MathematicianInput, settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
): MathematicianDecision {
  const marginUsd = marginUsdFor(input.account, settings);
  const slPct = stopLossPctFor(input.market, input.performance, settings);
  const tpPct = takeProfitPctFor(input.market, input.performance, settings);
  const kelly = kellyLeverage({
    closedTrades: input.performance.totalTrades,
    winRate: input.performance.winRate,
    avgWinPct: input.performance.avgWinPct,
    avgLossPct: input.performance.avgLossPct,
    confidence: input.confidence,
  }, settings.kelly);
  return decisionOf(marginUsd, kelly.leverage, tpPct, slPct, input.confidence, kelly.basis, settings);
}

/**
 * Assembles a decision and its derived money figures; the RL agent uses it to rebuild a
 * decision after its action changed margin, leverage or levels.
 */
export function decisionOf(
  marginUsd: number, leverage: number, tpPct: number, slPct: number, confidence: number,
  leverageBasis: LeverageBasis, settings: MathematicianSettings = DEFAULT_MATHEMATICIAN_SETTINGS,
): MathematicianDecision {
  const notionalUsd = marginUsd * leverage;
  return {
    marginUsd,
    leverage,
    notionalUsd,
    tpPct,
    slPct,
    partialTpPct: tpPct * settings.takeProfit.partialRatio,
    partialCloseFraction: settings.takeProfit.partialCloseFraction,
    expectedProfitUsd: notionalUsd * tpPct,
    maxLossUsd: notionalUsd * slPct,
    riskReward: tpPct / slPct,
    confidence,
    leverageBasis,
  };
}

/** The account part of the input from the engine's decision context. */
export function accountSnapshotOf(context: DecisionContext): AccountSnapshot {
  return {
    balanceUsd: context.balance,
    equityUsd: context.equity,
    marginUsedUsd: context.marginUsed,
    openPositions: context.openPositions,
    maxPositions: context.maxPositions,
  };
}

function trendStrengthOf(market: MarketConditions, settings: MathematicianSettings): number {
  return market.trendStrength === market.trendStrength ? market.trendStrength : settings.missingTrendStrength;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

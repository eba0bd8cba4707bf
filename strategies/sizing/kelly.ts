/**
 * Kelly leverage of the Trading Mathematician (SPEC §4.1 "Leverage (Kelly)"; seed 004,
 * FORMEL 4). Returns are the performance module's per-trade fractions (net PnL / notional).
 */

export interface KellySettings {
  /** Upper bound on the leverage (`RM_MAX_LEVERAGE`, default 25); the configured value always wins over the seed's 75. */
  readonly safetyCap: number;
  /** Below this many closed trades the history is too short for Kelly (default 10). */
  readonly minClosedTrades: number;
  /** Leverage used with limited history (default 10×), still bounded by `safetyCap`. */
  readonly limitedHistoryLeverage: number;
  /** Win rate clamp (defaults 0.01 and 0.99), so one-sided histories keep a finite Kelly. */
  readonly minWinRate: number;
  readonly maxWinRate: number;
  /** Floor of the average win and loss fractions (default 0.001 = 0.1 %). */
  readonly minAvgMovePct: number;
  /** Lowest leverage returned (default 1×). */
  readonly minLeverage: number;
}

export const DEFAULT_KELLY_SETTINGS: KellySettings = Object.freeze({
  safetyCap: 25,
  minClosedTrades: 10,
  limitedHistoryLeverage: 10,
  minWinRate: 0.01,
  maxWinRate: 0.99,
  minAvgMovePct: 0.001,
  minLeverage: 1,
});

export interface KellyInput {
  /** Closed trades in the history the stats come from (symbol or portfolio). */
  readonly closedTrades: number;
  /** 0..1. */
  readonly winRate: number;
  /** Mean winning return, a fraction. */
  readonly avgWinPct: number;
  /** Mean losing return as a positive fraction. */
  readonly avgLossPct: number;
  /**
   * Signal confidence 0..1, the Kelly multiplier. Clamped to [0, 1]; a missing (NaN)
   * confidence counts as 0, which gives the minimum leverage — no evidence, no leverage.
   */
  readonly confidence: number;
}

export type KellyBasis = "limited-history" | "no-edge" | "kelly" | "capped";

export interface KellyLeverage {
  /** Leverage, in [minLeverage, safetyCap] (or minLeverage if the cap is below it). */
  readonly leverage: number;
  /** Why: too little history, no edge, the confidence-scaled Kelly, or Kelly above the cap. */
  readonly basis: KellyBasis;
  /** edge / variance before the confidence scaling; NaN with limited history. */
  readonly kellyFraction: number;
}

/**
 * Fewer than `minClosedTrades` → `min(limitedHistoryLeverage, safetyCap)`. Otherwise
 * `w` clamped to [0.01, 0.99], average win and loss floored at 0.001,
 * `edge = w·avgWin − (1−w)·avgLoss`, `variance = w·avgWin² + (1−w)·avgLoss²`;
 * edge ≤ 0 (or NaN) → `minLeverage` (1×); else `min(edge / variance × confidence, safetyCap)`, at least 1×.
 */
export function kellyLeverage(input: KellyInput, settings: KellySettings = DEFAULT_KELLY_SETTINGS): KellyLeverage {
  const atLeastMinimum = (leverage: number) => Math.max(settings.minLeverage, leverage);
  if (!(input.closedTrades >= settings.minClosedTrades)) {
    return {
      leverage: atLeastMinimum(Math.min(settings.limitedHistoryLeverage, settings.safetyCap)),
      basis: "limited-history",
      kellyFraction: NaN,
    };
  }
  const winRate = clamp(input.winRate, settings.minWinRate, settings.maxWinRate);
  const avgWin = Math.max(settings.minAvgMovePct, input.avgWinPct);
  const avgLoss = Math.max(settings.minAvgMovePct, input.avgLossPct);
  const edge = winRate * avgWin - (1 - winRate) * avgLoss;
  const variance = winRate * avgWin * avgWin + (1 - winRate) * avgLoss * avgLoss;
  const kellyFraction = edge / variance;
  if (!(edge > 0)) return { leverage: settings.minLeverage, basis: "no-edge", kellyFraction };
  const confidence = input.confidence === input.confidence ? clamp(input.confidence, 0, 1) : 0;
  const scaled = kellyFraction * confidence;
  if (scaled > settings.safetyCap) return { leverage: atLeastMinimum(settings.safetyCap), basis: "capped", kellyFraction };
  return { leverage: atLeastMinimum(scaled), basis: "kelly", kellyFraction };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

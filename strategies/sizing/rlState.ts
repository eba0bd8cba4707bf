/**
 * State of the RL sizing agent (SPEC §4.2): market regime (5) × confidence bucket (5) ×
 * portfolio exposure (4) × recent performance (3) = 300 states, encoded as one integer
 * `((regime × 5 + confidence) × 4 + exposure) × 3 + performance` in 0..299.
 */

export const REGIMES = ["HIGH_VOL_TRENDING", "LOW_VOL_TRENDING", "HIGH_VOL_RANGING", "LOW_VOL_RANGING", "CHOPPY"] as const;
export const CONFIDENCE_BUCKETS = ["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW"] as const;
export const EXPOSURE_BUCKETS = ["LIGHT", "MODERATE", "HEAVY", "MAX"] as const;
export const PERFORMANCE_BUCKETS = ["LOSING", "FLAT", "WINNING"] as const;

export type Regime = (typeof REGIMES)[number];
export type ConfidenceBucket = (typeof CONFIDENCE_BUCKETS)[number];
export type ExposureBucket = (typeof EXPOSURE_BUCKETS)[number];
export type PerformanceBucket = (typeof PERFORMANCE_BUCKETS)[number];

export const STATE_COUNT = REGIMES.length * CONFIDENCE_BUCKETS.length * EXPOSURE_BUCKETS.length * PERFORMANCE_BUCKETS.length;

export interface RlStateParts {
  readonly regime: Regime;
  readonly confidence: ConfidenceBucket;
  readonly exposure: ExposureBucket;
  readonly performance: PerformanceBucket;
}

/**
 * Thresholds of the state (SPEC §4.2: regime and performance configurable; confidence and
 * exposure bands are the spec's own, fixed).
 *
 * Regime: trending when `trendStrength ≥ trendingAtLeast` (ADX 25, the classic trend line);
 * high volatility when the chosen measure is `≥ highVolatilityAtLeast`. The default measure
 * is `dailyVolatility` ≥ 0.05 — the same line as the mathematician's high-volatility TP, and
 * unlike `atrPct` it does not depend on the bar timeframe. CHOPPY = not trending, trend
 * below `choppyTrendBelow` (ADX < 15: no direction at all) and high volatility — a
 * whipsaw. Everything else not trending is RANGING. A missing (NaN) volatility counts as
 * low, a missing trend as ranging (neither trending nor choppy).
 *
 * Recent performance: the mean per-trade return (net PnL / entry notional) of the last
 * `recentWindow` closed trades; above `+flatBand` WINNING, below `−flatBand` LOSING, else
 * (and with no closed trades) FLAT.
 */
export interface RlStateSettings {
  readonly trendingAtLeast: number;
  readonly choppyTrendBelow: number;
  readonly volatilityMeasure: "dailyVolatility" | "atrPct";
  readonly highVolatilityAtLeast: number;
  readonly recentWindow: number;
  readonly flatBand: number;
}

export const DEFAULT_RL_STATE_SETTINGS: RlStateSettings = Object.freeze({
  trendingAtLeast: 0.25,
  choppyTrendBelow: 0.15,
  volatilityMeasure: "dailyVolatility",
  highVolatilityAtLeast: 0.05,
  recentWindow: 10,
  flatBand: 0.002,
});

/** What the state is built from at a decision. */
export interface RlStateInput {
  readonly atrPct: number;
  readonly dailyVolatility: number;
  readonly trendStrength: number;
  readonly confidence: number;
  readonly marginUsedUsd: number;
  readonly equityUsd: number;
  /** Mean return of the recent closed trades; NaN without any. */
  readonly recentMeanReturnPct: number;
}

export function regimeOf(
  market: { readonly atrPct: number; readonly dailyVolatility: number; readonly trendStrength: number },
  settings: RlStateSettings = DEFAULT_RL_STATE_SETTINGS,
): Regime {
  const volatility = settings.volatilityMeasure === "dailyVolatility" ? market.dailyVolatility : market.atrPct;
  const highVolatility = volatility >= settings.highVolatilityAtLeast;
  const trend = market.trendStrength;
  if (trend >= settings.trendingAtLeast) return highVolatility ? "HIGH_VOL_TRENDING" : "LOW_VOL_TRENDING";
  if (trend < settings.choppyTrendBelow && highVolatility) return "CHOPPY";
  return highVolatility ? "HIGH_VOL_RANGING" : "LOW_VOL_RANGING";
}

/** ≥ 0.85, [0.70, 0.85), [0.55, 0.70), [0.45, 0.55), below (or NaN). */
export function confidenceBucketOf(confidence: number): ConfidenceBucket {
  if (confidence >= 0.85) return "VERY_HIGH";
  if (confidence >= 0.7) return "HIGH";
  if (confidence >= 0.55) return "MEDIUM";
  if (confidence >= 0.45) return "LOW";
  return "VERY_LOW";
}

/** Exposure = margin used / equity: < 30 %, < 60 %, < 80 %, else (and with equity ≤ 0) MAX. */
export function exposureBucketOf(marginUsedUsd: number, equityUsd: number): ExposureBucket {
  const exposure = equityUsd > 0 ? marginUsedUsd / equityUsd : Infinity;
  if (exposure < 0.3) return "LIGHT";
  if (exposure < 0.6) return "MODERATE";
  if (exposure < 0.8) return "HEAVY";
  return "MAX";
}

export function performanceBucketOf(recentMeanReturnPct: number, settings: RlStateSettings = DEFAULT_RL_STATE_SETTINGS): PerformanceBucket {
  if (recentMeanReturnPct > settings.flatBand) return "WINNING";
  if (recentMeanReturnPct < -settings.flatBand) return "LOSING";
  return "FLAT";
}

export function statePartsOf(input: RlStateInput, settings: RlStateSettings = DEFAULT_RL_STATE_SETTINGS): RlStateParts {
  return {
    regime: regimeOf(input, settings),
    confidence: confidenceBucketOf(input.confidence),
    exposure: exposureBucketOf(input.marginUsedUsd, input.equityUsd),
    performance: performanceBucketOf(input.recentMeanReturnPct, settings),
  };
}

export function encodeState(parts: RlStateParts): number {
  const regime = REGIMES.indexOf(parts.regime);
  const confidence = CONFIDENCE_BUCKETS.indexOf(parts.confidence);
  const exposure = EXPOSURE_BUCKETS.indexOf(parts.exposure);
  const performance = PERFORMANCE_BUCKETS.indexOf(parts.performance);
  if (regime < 0 || confidence < 0 || exposure < 0 || performance < 0) throw new RangeError(`not a state: ${JSON.stringify(parts)}`);
  return ((regime * CONFIDENCE_BUCKETS.length + confidence) * EXPOSURE_BUCKETS.length + exposure) * PERFORMANCE_BUCKETS.length + performance;
}

export function decodeState(stateId: number): RlStateParts {
  if (!Number.isInteger(stateId) || stateId < 0 || stateId >= STATE_COUNT) throw new RangeError(`state id must be an integer in 0..${STATE_COUNT - 1}, got ${stateId}`);
  let rest = stateId;
  const performance = PERFORMANCE_BUCKETS[rest % PERFORMANCE_BUCKETS.length];
  rest = Math.floor(rest / PERFORMANCE_BUCKETS.length);
  const exposure = EXPOSURE_BUCKETS[rest % EXPOSURE_BUCKETS.length];
  rest = Math.floor(rest / EXPOSURE_BUCKETS.length);
  const confidence = CONFIDENCE_BUCKETS[rest % CONFIDENCE_BUCKETS.length];
  const regime = REGIMES[Math.floor(rest / CONFIDENCE_BUCKETS.length)];
  return { regime, confidence, exposure, performance };
}

export function stateIdOf(input: RlStateInput, settings: RlStateSettings = DEFAULT_RL_STATE_SETTINGS): number {
  return encodeState(statePartsOf(input, settings));
}

/** `HIGH_VOL_TRENDING/VERY_HIGH/LIGHT/WINNING`, for reports. */
export function describeState(stateId: number): string {
  const parts = decodeState(stateId);
  return `${parts.regime}/${parts.confidence}/${parts.exposure}/${parts.performance}`;
}

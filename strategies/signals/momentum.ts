import type { BarSeries } from "../../engine/index.js";
import { atrColumn, rocColumn } from "../indicators.js";
import { requireInteger, requirePositive, denseSignals, writeSignal, type SignalTarget } from "./signalColumns.js";

export interface MomentumSettings {
  /** Bars over which the rate of change is measured. */
  readonly period: number;
  /** ATR period for the volatility scale. */
  readonly atrPeriod: number;
  /** The threshold in units of volatility: a move of `thresholdAtr × ATR/close` triggers. */
  readonly thresholdAtr: number;
}

export const DEFAULT_MOMENTUM_SETTINGS: MomentumSettings = {
  period: 10,
  atrPeriod: 14,
  thresholdAtr: 2,
};

/**
 * Volatility-scaled momentum (SPEC §3, built-in). With `roc = close[i] / close[i − period] − 1`
 * and `volatility = ATR(atrPeriod)[i] / close[i]` (both plain ratios), the normalised
 * momentum is `m = roc / volatility` (the move in ATRs). BUY on the bar where `m` crosses up
 * through `+thresholdAtr` (`m[i−1] < k ≤ m[i]`), SELL where it crosses down through
 * `−thresholdAtr`; a bar after a warm-up NaN has no previous value and cannot cross.
 *
 * Strength = `min(1, |roc| / (thresholdAtr × volatility) − 1)`: 0 when the move just reaches
 * the threshold, 1 at twice the threshold; `confidence = 0.5 + 0.5 × strength`, which is
 * `min(1, 0.5 × |roc| / (k × volatility))`, and `score = ±strength`. Every term at bar i uses
 * bars 0..i only.
 */
export function emitMomentum(series: BarSeries, settings: MomentumSettings, target: SignalTarget): void {
  requireInteger("momentum", "period", settings.period, 1);
  requireInteger("momentum", "atrPeriod", settings.atrPeriod, 1);
  requirePositive("momentum", "thresholdAtr", settings.thresholdAtr);
  const threshold = settings.thresholdAtr;
  const roc = rocColumn(series, settings.period);
  const atr = atrColumn(series, settings.atrPeriod);
  let previous = NaN;
  for (let i = 0; i < series.length; i++) {
    const volatility = atr[i] / series.close[i];
    const current = volatility > 0 ? roc[i] / volatility : NaN;
    if (previous === previous && current === current) {
      if (previous < threshold && current >= threshold) writeSignal(target, i, 1, current / threshold - 1);
      else if (previous > -threshold && current <= -threshold) writeSignal(target, i, -1, -current / threshold - 1);
    }
    previous = current;
  }
}

/** The same signals as columns of every bar. */
export const momentumSignals = denseSignals(emitMomentum);

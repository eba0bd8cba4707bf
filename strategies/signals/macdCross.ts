import { ConfigError, type BarSeries } from "../../engine/index.js";
import { atrColumn, macdColumns } from "../indicators.js";
import { requireInteger, requirePositive, denseSignals, writeSignal, type SignalTarget } from "./signalColumns.js";

export interface MacdCrossSettings {
  readonly fastPeriod: number;
  readonly slowPeriod: number;
  /** EMA period of the signal line. */
  readonly signalPeriod: number;
  /** ATR period for the strength scale. */
  readonly atrPeriod: number;
  /** Histogram size, in ATRs, at which a cross counts as full strength. */
  readonly fullStrengthAtr: number;
}

export const DEFAULT_MACD_CROSS_SETTINGS: MacdCrossSettings = {
  fastPeriod: 12,
  slowPeriod: 26,
  signalPeriod: 9,
  atrPeriod: 14,
  fullStrengthAtr: 0.05,
};

/**
 * MACD / signal-line cross (SPEC §3, built-in). MACD = EMA(fast) − EMA(slow) of the close,
 * signal = EMA(signalPeriod) of the MACD, histogram = MACD − signal. BUY on the bar where
 * the histogram turns positive after being ≤ 0 (the MACD line crosses above its signal
 * line), SELL where it turns negative after being ≥ 0 — the same convention as `ema-cross`.
 *
 * Strength = `min(1, |histogram| / (fullStrengthAtr × ATR))` at the crossing bar: how far
 * the lines have already parted, in units of a typical bar's range. A histogram is small
 * at the cross (it was ≤ 0 one bar earlier), so the default full-strength point is 0.05 ATR;
 * on synthetic hourly data (`data/synth.ts`) the median cross then lands near strength 0.5.
 * `confidence = 0.5 + 0.5 × strength`, `score = ±strength`. Every term at bar i uses bars
 * 0..i only (exponential averages are causal).
 */
export function emitMacdCross(series: BarSeries, settings: MacdCrossSettings, target: SignalTarget): void {
  checkMacdCrossSettings(settings);
  const { histogram } = macdColumns(series, settings.fastPeriod, settings.slowPeriod, settings.signalPeriod);
  const atr = atrColumn(series, settings.atrPeriod);
  for (let i = 1; i < series.length; i++) {
    const previous = histogram[i - 1];
    const current = histogram[i];
    if (!(previous === previous && current === current && atr[i] > 0)) continue;
    const strength = Math.abs(current) / (settings.fullStrengthAtr * atr[i]);
    if (previous <= 0 && current > 0) writeSignal(target, i, 1, strength);
    else if (previous >= 0 && current < 0) writeSignal(target, i, -1, strength);
  }
}

/** The same signals as columns of every bar. */
export const macdCrossSignals = denseSignals(emitMacdCross);

function checkMacdCrossSettings(settings: MacdCrossSettings): void {
  requireInteger("macd-cross", "fastPeriod", settings.fastPeriod, 1);
  requireInteger("macd-cross", "slowPeriod", settings.slowPeriod, 2);
  requireInteger("macd-cross", "signalPeriod", settings.signalPeriod, 1);
  requireInteger("macd-cross", "atrPeriod", settings.atrPeriod, 1);
  requirePositive("macd-cross", "fullStrengthAtr", settings.fullStrengthAtr);
  if (settings.fastPeriod >= settings.slowPeriod) {
    throw new ConfigError(
      `macd-cross: fastPeriod (${settings.fastPeriod}) must be below slowPeriod (${settings.slowPeriod})`,
      "signals.fastPeriod", "for example fastPeriod 12 and slowPeriod 26",
    );
  }
}

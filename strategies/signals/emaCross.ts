import type { BarSeries, SignalColumns } from "../../engine/index.js";
import { atrColumn, emaColumn } from "../indicators.js";

export interface EmaCrossSettings {
  readonly fastPeriod: number;
  readonly slowPeriod: number;
  /** ATR period used to scale the signal's strength. */
  readonly atrPeriod: number;
}

/** The defaults of the config schema's `ema-cross` section. */
export const DEFAULT_EMA_CROSS_SETTINGS: EmaCrossSettings = {
  fastPeriod: 12,
  slowPeriod: 26,
  atrPeriod: 14,
};

/**
 * EMA cross (SPEC §3, built-in): BUY on the bar where the fast EMA closes above the slow
 * one after being at or below it, SELL on the reverse.
 *
 * Confidence from strength: `strength = |fastEma − slowEma| / ATR` at the crossing bar, so
 * a decisive cross (the gap already a good part of a typical bar's range) scores higher;
 * `confidence = 0.5 + 0.5 × min(1, strength)` (0.5..1) and `score = side × min(1, strength)`.
 * Every value at bar i uses bars 0..i only.
 */
export function emaCrossSignals(series: BarSeries, settings: EmaCrossSettings): SignalColumns {
  const n = series.length;
  const fast = emaColumn(series, settings.fastPeriod);
  const slow = emaColumn(series, settings.slowPeriod);
  const atr = atrColumn(series, settings.atrPeriod);
  const action = new Int8Array(n);
  const confidence = new Float64Array(n).fill(NaN);
  const score = new Float64Array(n).fill(NaN);
  for (let i = 1; i < n; i++) {
    const previous = fast[i - 1] - slow[i - 1];
    const current = fast[i] - slow[i];
    if (!(previous === previous && current === current && atr[i] > 0)) continue;
    let side = 0;
    if (previous <= 0 && current > 0) side = 1;
    else if (previous >= 0 && current < 0) side = -1;
    if (side === 0) continue;
    const strength = Math.min(1, Math.abs(current) / atr[i]);
    action[i] = side;
    confidence[i] = 0.5 + 0.5 * strength;
    score[i] = side * strength;
  }
  return { action, confidence, score, sizeMultiplier: new Float64Array(n).fill(NaN) };
}

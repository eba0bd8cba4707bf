import { ConfigError, type BarSeries } from "../../engine/index.js";
import { rsiColumn } from "../indicators.js";
import { requireInteger, requirePositive, denseSignals, writeSignal, type SignalTarget } from "./signalColumns.js";

export interface RsiReversionSettings {
  /** RSI period in bars (Wilder smoothing, `technicalindicators.RSI`). */
  readonly period: number;
  /** RSI level (0..100) below which the market counts as oversold. */
  readonly oversold: number;
  /** RSI level (0..100) above which the market counts as overbought. */
  readonly overbought: number;
  /** RSI points beyond the level at which the excursion counts as full strength. */
  readonly fullDepth: number;
}

export const DEFAULT_RSI_REVERSION_SETTINGS: RsiReversionSettings = {
  period: 14,
  oversold: 30,
  overbought: 70,
  fullDepth: 20,
};

/**
 * RSI mean reversion (SPEC §3, built-in). An *excursion* is a run of consecutive bars with
 * RSI < oversold (or > overbought). BUY on the bar where the RSI crosses back up through
 * the oversold level (`rsi[i−1] < oversold ≤ rsi[i]`), SELL on the bar where it crosses
 * back down through the overbought level (`rsi[i−1] > overbought ≥ rsi[i]`).
 *
 * Strength is how deep the excursion went: `min(1, (oversold − lowest RSI of the excursion)
 * / fullDepth)` for a BUY, `min(1, (highest RSI − overbought) / fullDepth)` for a SELL;
 * `confidence = 0.5 + 0.5 × strength`, `score = ±strength` (`writeSignal`). With the
 * defaults, an RSI that dipped to 20 gives confidence 0.75, one that reached 10 or below 1.
 * The RSI at bar i uses closes 0..i, and the excursion only bars before i, so the signal
 * at i sees bars 0..i only. The library rounds the RSI to two decimals.
 */
export function emitRsiReversion(series: BarSeries, settings: RsiReversionSettings, target: SignalTarget): void {
  checkRsiReversionSettings(settings);
  const { oversold, overbought, fullDepth } = settings;
  const rsi = rsiColumn(series, settings.period);
  // The most extreme RSI of the excursion in progress: lowest while below `oversold`,
  // highest while above `overbought`; NaN when the RSI is between the levels.
  let lowest = NaN;
  let highest = NaN;
  for (let i = 0; i < series.length; i++) {
    const value = rsi[i];
    if (value !== value) {
      lowest = NaN;
      highest = NaN;
      continue;
    }
    if (lowest === lowest && value >= oversold) writeSignal(target, i, 1, (oversold - lowest) / fullDepth);
    else if (highest === highest && value <= overbought) writeSignal(target, i, -1, (highest - overbought) / fullDepth);
    lowest = value < oversold ? (lowest === lowest ? Math.min(lowest, value) : value) : NaN;
    highest = value > overbought ? (highest === highest ? Math.max(highest, value) : value) : NaN;
  }
}

/** The same signals as columns of every bar. */
export const rsiReversionSignals = denseSignals(emitRsiReversion);

function checkRsiReversionSettings(settings: RsiReversionSettings): void {
  requireInteger("rsi-reversion", "period", settings.period, 1);
  requirePositive("rsi-reversion", "fullDepth", settings.fullDepth);
  const { oversold, overbought } = settings;
  if (!(oversold > 0 && oversold < overbought && overbought < 100)) {
    throw new ConfigError(
      `rsi-reversion: the levels must satisfy 0 < oversold < overbought < 100, got oversold ${oversold}, overbought ${overbought}`,
      "signals.oversold", "for example oversold 30 and overbought 70",
    );
  }
}

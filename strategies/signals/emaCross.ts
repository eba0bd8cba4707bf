import type { BarSeries } from "../../engine/index.js";
import { RunningAverage, trueRangeAt } from "../indicators.js";
import { denseSignals, writeSignal, type SignalTarget } from "./signalColumns.js";

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
export function emitEmaCross(series: BarSeries, settings: EmaCrossSettings, target: SignalTarget): void {
  // The EMA and ATR columns' values one bar at a time (indicators.ts's RunningAverage: the same
  // doubles), so the source holds no column of its own: on minute bars those were tens of MB.
  const { close } = series;
  const fast = new RunningAverage(settings.fastPeriod, 2 / (settings.fastPeriod + 1));
  const slow = new RunningAverage(settings.slowPeriod, 2 / (settings.slowPeriod + 1));
  const atr = new RunningAverage(settings.atrPeriod, 1 / settings.atrPeriod);
  let previous = series.length === 0 ? NaN : fast.next(close[0]) - slow.next(close[0]);
  for (let i = 1; i < series.length; i++) {
    const current = fast.next(close[i]) - slow.next(close[i]);
    const range = atr.next(trueRangeAt(series, i));
    if (previous === previous && current === current && range > 0) {
      // strength = |gap| / ATR in (0, 1] here: writeSignal's clamp leaves it as it is.
      if (previous <= 0 && current > 0) writeSignal(target, i, 1, Math.min(1, Math.abs(current) / range));
      else if (previous >= 0 && current < 0) writeSignal(target, i, -1, Math.min(1, Math.abs(current) / range));
    }
    previous = current;
  }
}

/** The same signals as columns of every bar. */
export const emaCrossSignals = denseSignals(emitEmaCross);

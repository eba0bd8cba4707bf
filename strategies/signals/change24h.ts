import { ConfigError, type BarSeries } from "../../engine/index.js";
import { requirePositive, denseSignals, writeSignal, type SignalTarget } from "./signalColumns.js";

const DAY_MS = 86_400_000;

/**
 * `on-enter`: one signal on the bar where the change enters the BUY (or SELL) zone, so the
 * source behaves as an event. `every-bar`: a signal on every bar inside the zone, as the
 * seed's bot did on each 60 s cycle (leaving repeated entries to the anti-duplicate and
 * cooldown gates).
 */
export type Change24hEmit = "on-enter" | "every-bar";

export interface Change24hSettings {
  /** The x of the rule, as a plain ratio: 0.02 = 2 %. */
  readonly thresholdPct: number;
  readonly emit: Change24hEmit;
  /** Look-back of the change in ms; 24 h unless testing. */
  readonly windowMs: number;
}

export const DEFAULT_CHANGE_24H_SETTINGS: Change24hSettings = {
  thresholdPct: 0.02,
  emit: "on-enter",
  windowMs: DAY_MS,
};

/**
 * The seed's 24 h-change fallback (SPEC §3): BUY if the 24 h change ≥ +x, SELL if ≤ −x,
 * else HOLD.
 *
 * The change at bar i is `close[i] / close[j] − 1`, where bar j is the last bar whose close
 * time is at or before 24 h before bar i's close: `time[j] + tf ≤ time[i] + tf − 24 h`, i.e.
 * the last j with `time[j] ≤ time[i] − 24 h` — the last price known 24 h before the
 * decision (hourly bars: j = i − 24; daily bars: j = i − 1; across a data gap, the last
 * close before the gap). NaN (no signal) until the data reaches back 24 h.
 *
 * Strength = `min(1, |change| / (2x))`, so `confidence = 0.5 + 0.5 × strength =
 * min(1, 0.5 + |change| / (4x))`: 0.75 at exactly x, 1 from 2x; `score = ±strength`.
 * With `emit: "on-enter"` the signal fires on the first bar of a run of bars inside the zone
 * (a bar whose change is known and in the zone while the previous bar's was not, or was
 * unknown); `every-bar` fires on each bar of the run. Uses bars 0..i only.
 */
export function emitChange24h(series: BarSeries, settings: Change24hSettings, target: SignalTarget): void {
  checkChange24hSettings(settings);
  const change = change24hColumn(series, settings.windowMs);
  const x = settings.thresholdPct;
  let previousZone = 0;
  for (let i = 0; i < series.length; i++) {
    const value = change[i];
    const zone = value >= x ? 1 : value <= -x ? -1 : 0;
    if (zone !== 0 && (settings.emit === "every-bar" || zone !== previousZone)) {
      writeSignal(target, i, zone, Math.abs(value) / (2 * x));
    }
    previousZone = zone;
  }
}

/** The same signals as columns of every bar. */
export const change24hSignals = denseSignals(emitChange24h);

/**
 * The change over `windowMs` ending at each bar's close, as a plain ratio (0.02 = +2 %),
 * NaN while no bar lies `windowMs` back. One forward pointer keeps it O(n).
 */
export function change24hColumn(series: BarSeries, windowMs: number): Float64Array {
  const { time, close, length } = series;
  const out = new Float64Array(length).fill(NaN);
  let reference = -1;
  for (let i = 0; i < length; i++) {
    const latestMs = time[i] - windowMs;
    while (reference + 1 < i && time[reference + 1] <= latestMs) reference++;
    if (reference >= 0) out[i] = close[i] / close[reference] - 1;
  }
  return out;
}

function checkChange24hSettings(settings: Change24hSettings): void {
  requirePositive("change-24h", "thresholdPct", settings.thresholdPct);
  requirePositive("change-24h", "windowMs", settings.windowMs);
  if (settings.emit !== "on-enter" && settings.emit !== "every-bar") {
    throw new ConfigError(`change-24h: emit must be "on-enter" or "every-bar", got ${JSON.stringify(settings.emit)}`, "signals.emit");
  }
}

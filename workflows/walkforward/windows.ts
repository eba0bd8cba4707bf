import { ConfigError } from "../../engine/index.js";

/**
 * Walk-forward windows (README "Walk-forward"): pure arithmetic over the data's time span.
 * Every bound is a UTC instant in ms; a bar belongs to a part when its open time t satisfies
 * from ≤ t < to, as `data.from`/`data.to` read it.
 */

/** A length given as `90d`, `12h`, `2w` or `500bars` (bars of the run's timeframe). */
export type Span = { readonly kind: "ms"; readonly ms: number; readonly text: string } | { readonly kind: "bars"; readonly bars: number; readonly text: string };

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const SPAN = /^(\d+(?:\.\d+)?)(h|d|w|b|bars)$/;

/** Parses `--train`, `--test`, `--step`, `--warmup` values; throws a ConfigError naming the flag. */
export function parseSpan(value: unknown, flag: string): Span {
  if (Array.isArray(value)) throw new ConfigError(`is given ${value.length} times (${value.join(", ")}); give it once`, flag);
  const text = String(value).trim();
  const match = SPAN.exec(text);
  if (match === null) throw new ConfigError(`"${text}" is not a length: give a number with a unit, e.g. 90d, 12h, 2w or 500bars`, flag);
  const amount = Number(match[1]);
  if (!(amount > 0)) throw new ConfigError(`"${text}" must be longer than 0`, flag);
  if (match[2] === "b" || match[2] === "bars") {
    if (!Number.isInteger(amount)) throw new ConfigError(`"${text}" is not a whole number of bars`, flag);
    return { kind: "bars", bars: amount, text };
  }
  return { kind: "ms", ms: amount * UNIT_MS[match[2]], text };
}

export function spanMs(span: Span, timeframeMs: number): number {
  return span.kind === "ms" ? span.ms : span.bars * timeframeMs;
}

export interface WindowSettings {
  readonly train: Span;
  readonly test: Span;
  /** How far each window moves on; default the test length (test windows back to back). */
  readonly step?: Span;
  /** Anchored: every training part starts at the data's start and grows by a step; rolling (default): it has a fixed length and moves. */
  readonly anchored: boolean;
}

export interface WalkWindow {
  /** 1-based. */
  readonly index: number;
  readonly trainFromMs: number;
  readonly trainToMs: number;
  /** The test part starts where the training part ends. */
  readonly testFromMs: number;
  readonly testToMs: number;
}

/**
 * The windows over data whose first bar opens at `startMs` and whose last bar closes at
 * `endMs`: window k (from 0) trains on [start + k·step, start + k·step + train) — anchored:
 * [start, start + train + k·step) — and tests on the following `test`. Only whole test parts
 * are kept. Errors (ConfigError, exit 2): a step shorter than the test (test parts would
 * overlap, and an overlapping out-of-sample curve cannot be stitched), or no whole window in
 * the data.
 */
export function walkWindows(settings: WindowSettings, startMs: number, endMs: number, timeframeMs: number): WalkWindow[] {
  const train = spanMs(settings.train, timeframeMs);
  const test = spanMs(settings.test, timeframeMs);
  const step = settings.step === undefined ? test : spanMs(settings.step, timeframeMs);
  if (train < timeframeMs) throw new ConfigError(`"${settings.train.text}" is shorter than one bar (${timeframeMs / 60_000} min)`, "--train");
  if (test < timeframeMs) throw new ConfigError(`"${settings.test.text}" is shorter than one bar (${timeframeMs / 60_000} min)`, "--test");
  if (step < test) throw new ConfigError(`"${settings.step?.text}" is shorter than --test ${settings.test.text}: the test windows would overlap`, "--step", "use a step at least as long as the test window");
  const days = (ms: number): string => `${+(ms / 86_400_000).toFixed(2)} days`;
  if (train + test > endMs - startMs) {
    throw new ConfigError(`--train ${settings.train.text} plus --test ${settings.test.text} (${days(train + test)}) is longer than the data (${days(endMs - startMs)})`, "--test", "shorten --train or --test, or give more data");
  }
  const windows: WalkWindow[] = [];
  for (let k = 0; ; k++) {
    const trainFromMs = settings.anchored ? startMs : startMs + k * step;
    const trainToMs = startMs + train + k * step;
    const testToMs = trainToMs + test;
    if (testToMs > endMs) break;
    windows.push({ index: k + 1, trainFromMs, trainToMs, testFromMs: trainToMs, testToMs });
  }
  return windows;
}

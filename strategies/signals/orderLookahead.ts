import { ConfigError, type BarCloseStrategy, type BarSeries, type RunResult, type StrategyContext } from "../../engine/index.js";
import { chooseCuts, truncateSeries, type LookaheadOptions } from "./lookahead.js";

/**
 * One thing a version-2 strategy did, or one fill it got, at a bar: the order stream the
 * look-ahead check compares. `text` is a canonical rendering (method and JSON arguments, or
 * reason, side, price and quantity of a fill).
 */
export interface StreamEvent {
  readonly barIndex: number;
  readonly text: string;
}

/** A bar at which the order stream changed when the bars after the cut were removed. */
export interface StreamViolation {
  readonly cutIndex: number;
  readonly barIndex: number;
  readonly timeMs: number;
  /** What the run over the full series did there (null: nothing). */
  readonly full: string | null;
  /** What the run over bars 0..cutIndex did there (null: nothing). */
  readonly truncated: string | null;
}

export interface StreamLookaheadReport {
  readonly cutsChecked: number;
  readonly cutIndexes: readonly number[];
  /** Cuts at which the stream up to the cut differed. */
  readonly violationCount: number;
  /** The first difference of each violating cut, at most `maxViolations`. */
  readonly violations: readonly StreamViolation[];
}

/** The `ctx` methods whose calls make up a strategy's order stream. */
const ACTIONS = ["submit", "cancel", "close", "setStopLoss", "setTakeProfit", "setTrailing"] as const;

/**
 * Checks a version-2 strategy for look-ahead: what it does at bar i (its `ctx` calls) and
 * the fills it gets in bars ≤ i must not change when the bars after i are removed. `run`
 * replays a (truncated) series and returns its order stream; the run over the full series
 * is compared with the run over bars 0..c for each cut c, on every event up to bar c. The
 * END fill of a truncated run (the data ends there) is not part of the stream.
 */
export function checkStreamLookahead(
  run: (series: BarSeries) => readonly StreamEvent[], series: BarSeries, options: LookaheadOptions = {},
): StreamLookaheadReport {
  const check = streamCheck(series, options, run(series));
  for (const cutIndex of check.cutIndexes) check.compare(cutIndex, run(truncateSeries(series, cutIndex)));
  return check.report();
}

/**
 * `checkStreamLookahead` for a run that must be awaited: a version-2 module with an async
 * `prepare`, which runs again on every cut (with every stream cut at the same close) before
 * the synchronous replay, so a `prepare` that reads the future changes the stream.
 */
export async function checkStreamLookaheadAsync(
  run: (series: BarSeries) => Promise<readonly StreamEvent[]>, series: BarSeries, options: LookaheadOptions = {},
): Promise<StreamLookaheadReport> {
  const check = streamCheck(series, options, await run(series));
  for (const cutIndex of check.cutIndexes) check.compare(cutIndex, await run(truncateSeries(series, cutIndex)));
  return check.report();
}

/** The cuts of a stream check and the comparison of each cut's stream with the full one. */
function streamCheck(series: BarSeries, options: LookaheadOptions, full: readonly StreamEvent[]) {
  const cuts = options.cuts ?? 50;
  const minIndex = options.minIndex ?? 0;
  const maxViolations = options.maxViolations ?? 1000;
  if (!(Number.isInteger(cuts) && cuts >= 1)) throw new ConfigError(`cuts must be a whole number ≥ 1, got ${cuts}`, "lookahead.cuts");
  const cutIndexes = chooseCuts(series.length, cuts, minIndex, options.seed ?? 1);
  const violations: StreamViolation[] = [];
  let violationCount = 0;
  return {
    cutIndexes,
    compare(cutIndex: number, truncated: readonly StreamEvent[]): void {
      const difference = firstDifference(full, truncated, cutIndex);
      if (difference === null) return;
      violationCount++;
      if (violations.length < maxViolations) violations.push({ cutIndex, timeMs: series.time[difference.barIndex], ...difference });
    },
    report: (): StreamLookaheadReport => ({ cutsChecked: cutIndexes.length, cutIndexes, violationCount, violations }),
  };
}

/** The first event at a bar ≤ `cut` where the two streams differ, or null. */
function firstDifference(a: readonly StreamEvent[], b: readonly StreamEvent[], cut: number) {
  const upTo = (events: readonly StreamEvent[]) => events.filter((event) => event.barIndex <= cut);
  const x = upTo(a);
  const y = upTo(b);
  for (let k = 0; k < Math.max(x.length, y.length); k++) {
    const p = x[k];
    const q = y[k];
    if (p !== undefined && q !== undefined && p.barIndex === q.barIndex && p.text === q.text) continue;
    const barIndex = Math.min(p?.barIndex ?? Infinity, q?.barIndex ?? Infinity);
    return {
      barIndex,
      full: p !== undefined && p.barIndex === barIndex ? p.text : null,
      truncated: q !== undefined && q.barIndex === barIndex ? q.text : null,
    };
  }
  return null;
}

/**
 * Wraps a strategy so that every action it takes through `ctx` is logged in `events` with
 * the bar it was taken at. Everything else on `ctx` is passed through untouched (reads
 * included), so the wrapped strategy behaves exactly as the unwrapped one.
 */
export function recordingStrategy(inner: BarCloseStrategy, events: StreamEvent[]): BarCloseStrategy {
  let bar = 0;
  let target: StrategyContext | null = null;
  const logged = new Map<string, (...args: unknown[]) => unknown>();
  for (const name of ACTIONS) {
    logged.set(name, (...args: unknown[]) => {
      events.push({ barIndex: bar, text: `${name}(${args.map((arg) => JSON.stringify(arg) ?? "undefined").join(", ")})` });
      return (target as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);
    });
  }
  let proxy: StrategyContext | null = null;
  return {
    onBarClose(s, i, ctx) {
      bar = i;
      target = ctx;
      // The engine's ctx is frozen, so a Proxy over it could not swap its methods (a Proxy
      // invariant): the proxy stands on an empty object and forwards to the ctx of this bar.
      proxy ??= new Proxy(Object.create(null) as StrategyContext, {
        get(_empty, key) {
          const action = typeof key === "string" ? logged.get(key) : undefined;
          if (action !== undefined) return action;
          const object = target as StrategyContext;
          const value: unknown = Reflect.get(object, key, object);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(object) : value;
        },
        has: (_empty, key) => key in (target as StrategyContext),
      });
      inner.onBarClose(s, i, proxy);
    },
  };
}

/** A run's fills as stream events at the bar each happened in (END fills left out). */
export function fillEvents(result: RunResult, series: BarSeries): StreamEvent[] {
  const events: StreamEvent[] = [];
  let bar = 0;
  for (const fill of result.fills) {
    if (fill.reason === "END") continue;
    while (bar + 1 < series.length && series.time[bar + 1] <= fill.timeMs) bar++;
    events.push({ barIndex: bar, text: `fill ${fill.reason} ${fill.orderSide > 0 ? "buy" : "sell"} ${fill.quantity} @ ${fill.price}` });
  }
  return events;
}

import type { BarSeries } from "../../engine/index.js";
import { alignClosed, resolveStream } from "./causalViews.js";

/** Bars of another stream with, per bar of the module's own symbol, the index of its last bar closed by then (−1: none yet). */
export interface AlignedBars {
  readonly series: BarSeries;
  readonly closedIndex: Int32Array;
}

/**
 * The third argument of `computeSignals` and `prepare` (README "Other symbols and higher
 * timeframes"). The whole-series form of the view's `other` and `timeframe`: the module gets
 * the other stream entire and must read bar `closedIndex[i]` or earlier for its bar i —
 * `exitlab lookahead` cuts every symbol of the run at the same close time and catches a read
 * past it.
 */
export interface ModuleContext {
  readonly symbol: string;
  /** Every symbol of the run, in data order. */
  readonly symbols: readonly string[];
  /** This symbol's scratch object: the same object is `view.state` for onBar (v1 and v2). */
  readonly state: Record<string, unknown>;
  /** Another symbol's bars; with `timeframe`, of that timeframe (a supplied informative file, else resampled). */
  other(symbol: string, timeframe?: string | number): AlignedBars;
  /** Higher bars of this symbol (or of `symbol`) built from the run's bars. */
  timeframe(timeframe: string | number, symbol?: string): AlignedBars;
}

export function createModuleContext(own: BarSeries, market: readonly BarSeries[], state: Record<string, unknown>): ModuleContext {
  const where = `${own.symbol} (module context)`;
  const cache = new Map<string, AlignedBars>();
  const aligned = (key: string, make: () => BarSeries): AlignedBars => {
    let found = cache.get(key);
    if (found === undefined) {
      const series = make();
      found = Object.freeze({ series: copyOf(series), closedIndex: alignClosed(own, series) });
      cache.set(key, found);
    }
    return found;
  };
  return Object.freeze({
    symbol: own.symbol,
    symbols: Object.freeze(market.map((series) => series.symbol)),
    state,
    other: (symbol: string, timeframe?: string | number) =>
      aligned(`${symbol}@${String(timeframe ?? "")}`, () => resolveStream(market, symbol, timeframe ?? null, where).series),
    timeframe: (timeframe: string | number, symbol?: string) =>
      aligned(`${symbol ?? own.symbol}@${String(timeframe)}`, () => resolveStream(market, symbol ?? own.symbol, timeframe, where).series),
  });
}

/**
 * A private copy: user code that writes into the arrays must not change the bars the replay
 * uses. Each column is copied when the module first reads it (most read one or two of the
 * six, and a copy of a 200,000-bar column costs ~1 ms), then lies on the object as a plain
 * property; assigning a column replaces it, as on any object.
 */
export function copyOf(series: BarSeries): BarSeries {
  const copy: Record<string, unknown> = { symbol: series.symbol, timeframeMs: series.timeframeMs, length: series.length };
  for (const key of BAR_COLUMNS) {
    let column: unknown;
    let settled = false;
    const settle = (value: unknown): unknown => {
      column = value;
      settled = true;
      try {
        Object.defineProperty(copy, key, { value, writable: true, enumerable: true, configurable: true });
      } catch {
        // The module froze or sealed the object: the accessor stays and returns this value.
      }
      return value;
    };
    Object.defineProperty(copy, key, {
      enumerable: true, configurable: true, get: () => (settled ? column : settle(series[key].slice())), set: settle,
    });
  }
  return copy as unknown as BarSeries;
}

const BAR_COLUMNS = ["time", "open", "high", "low", "close", "volume"] as const;

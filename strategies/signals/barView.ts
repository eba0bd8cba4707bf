import { StrategyError, type BarSeries } from "../../engine/index.js";
import { lastClosedIndex, resolveStream } from "./causalViews.js";

export type BarField = "time" | "open" | "high" | "low" | "close" | "volume";

const BAR_FIELDS: readonly BarField[] = ["time", "open", "high", "low", "close", "volume"];

/**
 * What an `onBar` strategy sees at the close of bar `index` (SPEC §1 step 6): bars
 * `0..index` of one symbol and nothing later. Each accessor takes an absolute bar index `k`
 * (default: the current bar); `k > index` is look-ahead and throws a StrategyError naming
 * the symbol and the bar. The data lives in closures, not properties, so the rest of the
 * series cannot be reached from the view. One view is reused for every bar of a symbol,
 * so it always shows the bar being decided.
 */
export interface BarView {
  readonly symbol: string;
  /** Bar length in ms. */
  readonly timeframeMs: number;
  /** The bar that just closed; bars 0..index are visible. */
  readonly index: number;
  /** A scratch object kept across the bars of this symbol (one per run and symbol). */
  readonly state: Record<string, unknown>;
  /** Open time of bar k, epoch ms. */
  time(k?: number): number;
  open(k?: number): number;
  high(k?: number): number;
  low(k?: number): number;
  close(k?: number): number;
  volume(k?: number): number;
  /** The last `count` values of `field` up to and including the current bar, oldest first (a copy; shorter near the start). */
  history(field: BarField, count: number): Float64Array;
  /**
   * The bars of another symbol of the run that closed by this bar's close (README "Other
   * symbols and higher timeframes"); `index` is −1 while none has. The same view object is
   * moved on each call. With `timeframe`: that symbol's bars of that timeframe — a supplied
   * `data.informative` file when there is one, else built from the run's bars.
   */
  other(symbol: string, timeframe?: string | number): BarView;
  /** This symbol's higher-timeframe bars (`"4h"`, `"1d"` …): `other(view.symbol, timeframe)`, closed ones only. */
  timeframe(timeframe: string | number): BarView;
}

/** What a view can reach besides its own series. */
export interface BarCursorOptions {
  /** Every symbol of the run (for `other`); default: the series alone. */
  readonly market?: readonly BarSeries[];
  /** How errors name the series (default its symbol). */
  readonly label?: string;
  /** Shared with derived views, so a look-ahead read through them fails the strategy too. */
  readonly sink?: { error: StrategyError | null };
  /** The object shown as `view.state` (a module's `prepare` may have filled it); default a fresh one. */
  readonly state?: Record<string, unknown>;
}

/** The runner's handle on a view: moves it along the series and reports look-ahead attempts. */
export interface BarCursor {
  readonly view: BarView;
  /** The series the view walks. */
  readonly series: BarSeries;
  moveTo(index: number): void;
  /**
   * The first look-ahead read since the last call, if any. A strategy that catches the
   * error and carries on is still failed by the runner: the attempt is a bug either way.
   */
  takeLookAhead(): StrategyError | null;
}

export function timeIso(timeMs: number): string {
  return Number.isFinite(timeMs) ? new Date(timeMs).toISOString() : String(timeMs);
}

export function createBarCursor(series: BarSeries, options: BarCursorOptions = {}): BarCursor {
  let current = -1;
  const sink = options.sink ?? { error: null };
  const label = options.label ?? series.symbol;
  const where = () => `${label} bar ${current} (${timeIso(series.time[current])})`;
  // Derived views, made on first use, by symbol and timeframe.
  const links = new Map<string, BarCursor>();
  const closeMs = () => series.time[current] + series.timeframeMs;

  const read = (field: BarField, k: number | undefined): number => {
    const column = series[field];
    if (current < 0) {
      throw new StrategyError(`${field}() read on ${label}: no bar of it has closed yet`, label, "check view.index >= 0 before reading a derived view");
    }
    if (k === undefined) return column[current];
    if (Number.isInteger(k) && k >= 0 && k <= current) return column[k];
    if (Number.isInteger(k) && k > current) {
      const error = new StrategyError(
        `look-ahead: ${field}(${k}) read at ${where()}; a strategy sees bars 0..${current} only`,
        series.symbol, `read bars up to view.index (${current}); the next bar is not known at this close`,
      );
      sink.error ??= error;
      throw error;
    }
    throw new StrategyError(
      `${field}(${String(k)}) read at ${where()}: no such bar`, series.symbol, `pass a whole bar index between 0 and view.index (${current})`,
    );
  };

  const history = (field: BarField, count: number): Float64Array => {
    if (!BAR_FIELDS.includes(field)) {
      throw new StrategyError(`history(${JSON.stringify(field)}) at ${where()}: unknown field`, series.symbol, `use one of ${BAR_FIELDS.join(", ")}`);
    }
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new StrategyError(`history(${field}, ${String(count)}) at ${where()}: count must be a whole number ≥ 0`, series.symbol);
    }
    return series[field].slice(Math.max(0, current - count + 1), current + 1);
  };

  const other = (symbol: string, timeframe?: string | number): BarView => {
    if (timeframe === undefined && symbol === series.symbol && options.label === undefined) return view;
    const key = `${symbol}@${String(timeframe ?? "")}`;
    let cursor = links.get(key);
    if (cursor === undefined) {
      const stream = resolveStream(options.market ?? [series], symbol, timeframe ?? null, where());
      cursor = createBarCursor(stream.series, { market: options.market, sink, label: stream.label });
      links.set(key, cursor);
    }
    cursor.moveTo(lastClosedIndex(cursor.series, closeMs()));
    return cursor.view;
  };

  const timeframe = (name: string | number): BarView => other(series.symbol, name);

  const view: BarView = Object.freeze({
    symbol: series.symbol,
    timeframeMs: series.timeframeMs,
    get index() {
      return current;
    },
    state: options.state ?? {},
    time: (k?: number) => read("time", k),
    open: (k?: number) => read("open", k),
    high: (k?: number) => read("high", k),
    low: (k?: number) => read("low", k),
    close: (k?: number) => read("close", k),
    volume: (k?: number) => read("volume", k),
    history,
    other,
    timeframe,
  });

  return {
    view,
    series,
    moveTo(index: number) {
      current = index;
    },
    takeLookAhead() {
      const error = sink.error;
      sink.error = null;
      return error;
    },
  };
}

import { StrategyError, type BarSeries } from "../../engine/index.js";

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
}

/** The runner's handle on a view: moves it along the series and reports look-ahead attempts. */
export interface BarCursor {
  readonly view: BarView;
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

export function createBarCursor(series: BarSeries): BarCursor {
  let current = -1;
  let lookAhead: StrategyError | null = null;
  const where = () => `${series.symbol} bar ${current} (${timeIso(series.time[current])})`;

  const read = (field: BarField, k: number | undefined): number => {
    const column = series[field];
    if (k === undefined) return column[current];
    if (Number.isInteger(k) && k >= 0 && k <= current) return column[k];
    if (Number.isInteger(k) && k > current) {
      const error = new StrategyError(
        `look-ahead: ${field}(${k}) read at ${where()}; a strategy sees bars 0..${current} only`,
        series.symbol, `read bars up to view.index (${current}); the next bar is not known at this close`,
      );
      lookAhead ??= error;
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

  const view: BarView = Object.freeze({
    symbol: series.symbol,
    timeframeMs: series.timeframeMs,
    get index() {
      return current;
    },
    state: {},
    time: (k?: number) => read("time", k),
    open: (k?: number) => read("open", k),
    high: (k?: number) => read("high", k),
    low: (k?: number) => read("low", k),
    close: (k?: number) => read("close", k),
    volume: (k?: number) => read("volume", k),
    history,
  });

  return {
    view,
    moveTo(index: number) {
      current = index;
    },
    takeLookAhead() {
      const error = lookAhead;
      lookAhead = null;
      return error;
    },
  };
}

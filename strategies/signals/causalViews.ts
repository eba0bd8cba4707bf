import { StrategyError, closestName, type BarSeries } from "../../engine/index.js";
import { TIMEFRAME_MS } from "../../data/dataWindow.js";
import { resampleBars } from "../../data/resampleBars.js";

/**
 * The causal merge of bar streams (README "Assumptions": other symbols and higher
 * timeframes). A bar covers [time, time + timeframe) and is known at its close. At the close
 * C of a strategy's current bar, a bar of any other stream is visible when its own close is
 * ≤ C. Streams with different gaps merge by close time only: a symbol with no bar closing
 * in the window shows its last closed bar (however old), never an interpolated or partial one.
 */

/** Index of the last bar of `series` closed by `closeMs` (time + timeframe ≤ closeMs); −1 if none. */
export function lastClosedIndex(series: BarSeries, closeMs: number): number {
  const limit = closeMs - series.timeframeMs;
  let lo = 0;
  let hi = series.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (series.time[mid] <= limit) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * For every bar of `own`, the index of the last bar of `other` closed by its close (−1: none
 * yet). One linear merge of the two sorted streams; the column form `computeSignals` uses.
 */
export function alignClosed(own: BarSeries, other: BarSeries): Int32Array {
  const out = new Int32Array(own.length);
  let k = -1;
  for (let i = 0; i < own.length; i++) {
    const close = own.time[i] + own.timeframeMs;
    while (k + 1 < other.length && other.time[k + 1] + other.timeframeMs <= close) k++;
    out[i] = k;
  }
  return out;
}

/** A timeframe name (`"4h"`) or length in ms, checked to be a whole multiple of the bars' own above them. */
export function higherTimeframeMs(series: BarSeries, timeframe: string | number): number {
  const ms = typeof timeframe === "number" ? timeframe : TIMEFRAME_MS[timeframe];
  if (ms === undefined || !(Number.isInteger(ms) && ms > 0)) {
    throw new StrategyError(
      `timeframe(${JSON.stringify(timeframe)}): unknown timeframe`, series.symbol, `use one of ${Object.keys(TIMEFRAME_MS).join(", ")} or a length in ms`,
    );
  }
  if (ms <= series.timeframeMs || ms % series.timeframeMs !== 0) {
    throw new StrategyError(
      `timeframe(${JSON.stringify(timeframe)}) on ${series.symbol}'s ${series.timeframeMs / 60_000}-minute bars: a higher timeframe must be a whole multiple above the bars' own`,
      series.symbol, "e.g. 4h or 1d on 1h bars",
    );
  }
  return ms;
}

/**
 * Higher bars built from the run's bars with the rules of `data.timeframe` (UTC-aligned
 * buckets; an incomplete first or last bucket, cut by the file's edge, is left out). Which of
 * them a strategy sees is decided by `lastClosedIndex`: a bucket only once its period ended.
 */
export function higherTimeframeBars(series: BarSeries, timeframeMs: number): BarSeries {
  return resampleBars(series, timeframeMs).series;
}

/**
 * The stream a view or context asks for: `symbol` at `timeframeMs` (null: the symbol's own
 * bars). A series of the market at exactly that timeframe is used as it is — a run's symbol or
 * a separately supplied (informative) file; otherwise the symbol's bars are resampled up.
 */
export function resolveStream(market: readonly BarSeries[], symbol: string, timeframe: string | number | null, where: string): { series: BarSeries; label: string } {
  const base = symbolSeries(market, symbol, where);
  if (timeframe === null) return { series: base, label: symbol };
  const ms = typeof timeframe === "number" ? timeframe : TIMEFRAME_MS[timeframe];
  const supplied = market.find((series) => series.symbol === symbol && series.timeframeMs === ms);
  const label = `${symbol} ${String(timeframe)}`;
  if (supplied !== undefined) return { series: supplied, label };
  return { series: higherTimeframeBars(base, higherTimeframeMs(base, timeframe)), label };
}

/** The series of `symbol` in `market` (the first: the run's bars come before supplied files), or a StrategyError with "did you mean". */
export function symbolSeries(market: readonly BarSeries[], symbol: string, where: string): BarSeries {
  const found = market.find((series) => series.symbol === symbol);
  if (found !== undefined) return found;
  const names = market.map((series) => series.symbol);
  const guess = closestName(symbol, names);
  throw new StrategyError(
    `${JSON.stringify(symbol)} is not a symbol of this run${guess === null ? "" : ` (did you mean "${guess}"?)`} — read at ${where}`,
    symbol, `the run's symbols: ${names.join(", ")}; add the symbol's file to --data`,
  );
}

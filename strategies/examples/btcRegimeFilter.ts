/**
 * A BTC regime filter on ETH entries (README "Other symbols and higher timeframes"): an
 * EMA cross on ETH, taken only when BTC — read through `view.other` — closes above its own
 * SMA (longs) or below it (shorts). BTC's bar is the last one closed by ETH's close; the
 * module trades only `tradeSymbol` and uses the regime symbol as a filter.
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/btcRegimeFilter.ts \
 *     --data data/samples/binance-perp-1h/ETHUSDT.csv --data data/samples/binance-perp-1h/BTCUSDT.csv
 */
import type { BarView } from "../signals/barView.js";
import type { SignalLike, SignalParams } from "../signals/userModule.js";

export const defaultParams = { tradeSymbol: "ETHUSDT", regimeSymbol: "BTCUSDT", fast: 12, slow: 26, regimeBars: 50 };

/** Exponential moving average of the closes 0..view.index, kept in `view.state` under `key` (one step per bar). */
export function emaStep(view: BarView, key: string, period: number): number {
  const alpha = 2 / (period + 1);
  const previous = view.state[key] as number | undefined;
  const value = previous === undefined ? view.close() : previous + alpha * (view.close() - previous);
  view.state[key] = value;
  return value;
}

/** Mean of the last `count` closes of a view (NaN until it has that many). */
export function smaOf(view: BarView, count: number): number {
  if (view.index + 1 < count) return NaN;
  const closes = view.history("close", count);
  let sum = 0;
  for (const close of closes) sum += close;
  return sum / count;
}

/** +1 above the SMA, −1 below, 0 unknown (not enough closed bars yet). */
export function regimeOf(view: BarView, count: number): number {
  if (view.index < 0) return 0;
  const average = smaOf(view, count);
  if (average !== average) return 0;
  return view.close() > average ? 1 : view.close() < average ? -1 : 0;
}

export function onBar(view: BarView, params: SignalParams): SignalLike | null {
  if (view.symbol !== params.tradeSymbol) return null;
  const fast = emaStep(view, "fast", Number(params.fast));
  const slow = emaStep(view, "slow", Number(params.slow));
  const above = fast > slow;
  const wasAbove = view.state.above as boolean | undefined;
  view.state.above = above;
  if (wasAbove === undefined || wasAbove === above) return null;
  const regime = regimeOf(view.other(String(params.regimeSymbol)), Number(params.regimeBars));
  if (above && regime > 0) return { action: "BUY", confidence: 0.8 };
  if (!above && regime < 0) return { action: "SELL", confidence: 0.8 };
  return null;
}

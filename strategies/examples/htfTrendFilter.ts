/**
 * A 4h-trend filter on 1h entries (README "Other symbols and higher timeframes"): an EMA
 * cross on the 1h bars, taken only in the direction of the 4h trend — the last *closed* 4h
 * bar above (long) or below (short) the SMA of the closed 4h closes. `view.timeframe("4h")`
 * builds the 4h bars from the run's own bars and never shows one still forming.
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/htfTrendFilter.ts --data data/samples/binance-perp-1h/ETHUSDT.csv
 */
import type { BarView } from "../signals/barView.js";
import type { SignalLike, SignalParams } from "../signals/userModule.js";
import { emaStep, regimeOf } from "./btcRegimeFilter.js";

export const defaultParams = { timeframe: "4h", fast: 12, slow: 26, trendBars: 20 };

export function onBar(view: BarView, params: SignalParams): SignalLike | null {
  const fast = emaStep(view, "fast", Number(params.fast));
  const slow = emaStep(view, "slow", Number(params.slow));
  const above = fast > slow;
  const wasAbove = view.state.above as boolean | undefined;
  view.state.above = above;
  if (wasAbove === undefined || wasAbove === above) return null;
  const trend = regimeOf(view.timeframe(String(params.timeframe)), Number(params.trendBars));
  if (above && trend > 0) return { action: "BUY", confidence: 0.7 };
  if (!above && trend < 0) return { action: "SELL", confidence: 0.7 };
  return null;
}

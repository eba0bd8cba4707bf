// @ts-check
/**
 * Example strategy module using `onBar` (see strategies/signals/userModule.ts): a Donchian
 * channel breakout. At each bar close the view shows bars 0..index only, so this cannot
 * look ahead. BUY on the bar whose close first rises above the highest high of the
 * previous `lookback` bars, SELL on the bar whose close first falls below their lowest low.
 * Confidence 0.5 + 0.5 × min(1, distance beyond the channel / (fullStrength × channel width)).
 *
 *   const loaded = await loadUserSignalModule("strategies/signals/examples/breakout.mjs");
 */

/** @type {{ lookback: number, fullStrength: number }} */
export const defaultParams = { lookback: 20, fullStrength: 0.1 };

/**
 * @param {import("../barView.js").BarView} view
 * @param {Readonly<Record<string, unknown>>} params
 * @returns {import("../userSignals.js").SignalLike | null}
 */
export function onBar(view, params) {
  const lookback = Number(params.lookback);
  const fullStrength = Number(params.fullStrength);
  if (view.index < lookback) return null;
  // The previous `lookback` bars: history() ends at the current bar, so drop it.
  const highs = view.history("high", lookback + 1).subarray(0, lookback);
  const lows = view.history("low", lookback + 1).subarray(0, lookback);
  const channelHigh = Math.max(...highs);
  const channelLow = Math.min(...lows);
  const width = channelHigh - channelLow;
  const close = view.close();
  const side = close > channelHigh ? 1 : close < channelLow ? -1 : 0;
  // Signal only on the bar the close leaves the channel, not on every bar outside it.
  const previousSide = view.state.side ?? 0;
  view.state.side = side;
  if (side === 0 || side === previousSide || !(width > 0)) return null;
  const distance = side === 1 ? close - channelHigh : channelLow - close;
  const strength = Math.min(1, distance / (fullStrength * width));
  return { action: side === 1 ? "BUY" : "SELL", confidence: 0.5 + 0.5 * strength, score: side * strength };
}

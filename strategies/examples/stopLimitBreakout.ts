/**
 * A breakout entry with a stop-limit order: when flat, rest a buy stop at the highest high of
 * the last `lookback` bars with a limit `slippageCap` above it (no fill if the market runs
 * away), good for `lookback` bars; stop loss at the lowest low, take profit at twice the risk.
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/stopLimitBreakout.ts --data data/samples/binance-perp-1h/ETHUSDT.csv
 */
import type { StrategyContext } from "../../engine/index.js";
import type { BarView } from "../signals/barView.js";

export const strategyVersion = 2;
export const defaultParams = { lookback: 24, slippageCap: 0.002, fraction: 0.5 };

export function onBar(view: BarView, ctx: StrategyContext): void {
  const lookback = Number(ctx.params.lookback);
  if (view.index < lookback || ctx.position !== null || ctx.orders.length > 0) return;
  const highs = view.history("high", lookback);
  const lows = view.history("low", lookback);
  const top = Math.max(...highs);
  const bottom = Math.min(...lows);
  ctx.submit({
    side: "buy", type: "stop-limit", stopPrice: top, limitPrice: top * (1 + Number(ctx.params.slippageCap)),
    timeInForce: { bars: lookback }, size: { kind: "fraction", fraction: Number(ctx.params.fraction) },
    exits: { stopLoss: { price: bottom }, takeProfit: { price: top + 2 * (top - bottom) } },
  });
}

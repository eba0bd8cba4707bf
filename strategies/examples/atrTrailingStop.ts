/**
 * A 3×ATR trailing stop the strategy moves itself at every close (backtesting.py's
 * `TrailingStrategy`): long on an SMA cross up, the stop at `close − 3 × ATR(14)` and only
 * ever raised; the position exits when the path reaches the stop (reason SL).
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/atrTrailingStop.ts --data data/samples/binance-perp-1h/ETHUSDT.csv
 */
import type { StrategyContext } from "../../engine/index.js";
import type { BarView } from "../signals/barView.js";
import { crossOf } from "./smaCrossAllIn.js";

export const strategyVersion = 2;
export const defaultParams = { fast: 10, slow: 30, atrPeriod: 14, atrMultiple: 3, fraction: 0.5 };

/** Simple average of the true range over the last `period` bars (NaN until enough bars). */
export function averageTrueRange(view: BarView, period: number): number {
  if (view.index < period) return NaN;
  let sum = 0;
  for (let k = view.index - period + 1; k <= view.index; k++) {
    const previous = view.close(k - 1);
    sum += Math.max(view.high(k) - view.low(k), Math.abs(view.high(k) - previous), Math.abs(view.low(k) - previous));
  }
  return sum / period;
}

export function onBar(view: BarView, ctx: StrategyContext): void {
  const distance = Number(ctx.params.atrMultiple) * averageTrueRange(view, Number(ctx.params.atrPeriod));
  const position = ctx.position;
  if (position !== null) {
    const level = view.close() - distance;
    if (level === level && (position.stopLoss === null || level > position.stopLoss)) ctx.setStopLoss(level);
    return;
  }
  if (ctx.orders.length === 0 && crossOf(view, Number(ctx.params.fast), Number(ctx.params.slow)) === "buy" && distance === distance) {
    ctx.submit({ side: "buy", size: { kind: "fraction", fraction: Number(ctx.params.fraction) }, exits: { stopLoss: { price: view.close() - distance } } });
  }
}

/**
 * SMA cross, all-in at the fill, always in the market (reversal) — backtesting.py's `SmaCross`
 * example with `size` all-in. At a close where SMA(fast) crosses above SMA(slow): close a short
 * and buy with everything the available balance buys at the next open, fees included
 * (whole `step`s); the reverse on a cross below. No stop or take-profit (`exits: {}`).
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/smaCrossAllIn.ts --data data/samples/binance-perp-1h/ETHUSDT.csv
 */
import type { StrategyContext } from "../../engine/index.js";
import type { BarView } from "../signals/barView.js";

export const strategyVersion = 2;
export const defaultParams = { fast: 10, slow: 30, step: 0.001 };

/** Mean of the last `n` closes ending `back` bars before the current one. */
export function sma(closes: Float64Array, n: number, back: number): number {
  let sum = 0;
  for (let k = closes.length - n - back; k < closes.length - back; k++) sum += closes[k];
  return sum / n;
}

/** "buy" where SMA(fast) crosses above SMA(slow) at this close, "sell" below, else null. */
export function crossOf(view: BarView, fast: number, slow: number): "buy" | "sell" | null {
  if (view.index < slow) return null;
  const closes = view.history("close", slow + 1);
  const before = sma(closes, fast, 1) - sma(closes, slow, 1);
  const now = sma(closes, fast, 0) - sma(closes, slow, 0);
  return before <= 0 && now > 0 ? "buy" : before >= 0 && now < 0 ? "sell" : null;
}

export function onBar(view: BarView, ctx: StrategyContext): void {
  const side = crossOf(view, Number(ctx.params.fast), Number(ctx.params.slow));
  if (side === null) return;
  const position = ctx.position;
  if (position !== null && (position.side === "long") === (side === "buy")) return;
  if (position !== null) ctx.close();
  ctx.submit({ side, size: { kind: "all-in", step: Number(ctx.params.step) }, exits: {} });
}

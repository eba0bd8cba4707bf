/**
 * The SMA cross of `smaCrossAllIn.ts` with a stop loss and a take profit anchored at the
 * signal bar's close (backtrader's habit: `close × (1 ∓ pct)` computed when the order is
 * placed), all-in at the fill, reversing on the opposite cross.
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/smaCrossSignalAnchored.ts --data data/samples/binance-perp-1h/ETHUSDT.csv
 */
import type { StrategyContext } from "../../engine/index.js";
import type { BarView } from "../signals/barView.js";
import { crossOf } from "./smaCrossAllIn.js";

export const strategyVersion = 2;
export const defaultParams = { fast: 10, slow: 30, step: 0.001, stopLossPct: 0.02, takeProfitPct: 0.04 };

export function onBar(view: BarView, ctx: StrategyContext): void {
  const side = crossOf(view, Number(ctx.params.fast), Number(ctx.params.slow));
  if (side === null) return;
  const position = ctx.position;
  if (position !== null && (position.side === "long") === (side === "buy")) return;
  if (position !== null) ctx.close();
  ctx.submit({
    side,
    size: { kind: "all-in", step: Number(ctx.params.step) },
    exits: {
      stopLoss: { pct: Number(ctx.params.stopLossPct), anchor: "signal" },
      takeProfit: { pct: Number(ctx.params.takeProfitPct), anchor: "signal" },
    },
  });
}

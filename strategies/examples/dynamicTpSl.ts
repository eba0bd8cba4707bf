/**
 * The seeds' dynamic TP/SL adjustment (seed 004 §6A: "adjust TP/SL from the open position's
 * P&L"): long on an SMA cross up with SL 2 % and TP 6 % from the fill; as the open P&L grows
 * the strategy moves the stop — to breakeven (the entry) once the close is `breakevenAtPct`
 * above the entry, then trailing `trailPct` below each new close once it is `trailAtPct` above.
 * The stop only moves up.
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/dynamicTpSl.ts --data data/samples/binance-perp-1h/ETHUSDT.csv
 */
import type { StrategyContext } from "../../engine/index.js";
import type { BarView } from "../signals/barView.js";
import { crossOf } from "./smaCrossAllIn.js";

export const strategyVersion = 2;
export const defaultParams = { fast: 10, slow: 30, fraction: 0.5, breakevenAtPct: 0.01, trailAtPct: 0.02, trailPct: 0.01 };

/** The stop the seed's rule wants for a long at this close, or null for "leave it". */
export function dynamicStop(entry: number, close: number, breakevenAtPct: number, trailAtPct: number, trailPct: number): number | null {
  const gain = (close - entry) / entry;
  if (gain >= trailAtPct) return Math.max(entry, close * (1 - trailPct));
  if (gain >= breakevenAtPct) return entry;
  return null;
}

export function onBar(view: BarView, ctx: StrategyContext): void {
  const p = ctx.params;
  const position = ctx.position;
  if (position !== null) {
    const wanted = dynamicStop(position.entryPrice, view.close(), Number(p.breakevenAtPct), Number(p.trailAtPct), Number(p.trailPct));
    if (wanted !== null && (position.stopLoss === null || wanted > position.stopLoss)) ctx.setStopLoss(wanted);
    return;
  }
  if (ctx.orders.length === 0 && crossOf(view, Number(p.fast), Number(p.slow)) === "buy") {
    ctx.submit({
      side: "buy", size: { kind: "fraction", fraction: Number(p.fraction) },
      exits: { stopLoss: { pct: 0.02, anchor: "fill" }, takeProfit: { pct: 0.06, anchor: "fill" } },
    });
  }
}

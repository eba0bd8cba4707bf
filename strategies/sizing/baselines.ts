import type { DecisionContext, SizingDecision } from "../../engine/index.js";

/**
 * Baseline sizing (SPEC §4.3). The amount is decided at the signal; the exchange turns it
 * into a quantity at the fill price, with the entry fee reserved and rounded down to the lot.
 * A signal's `sizeMultiplier` (NaN = 1) scales the amount.
 */
export type BaselineSizing =
  | { readonly kind: "fixed-fraction"; /** Fraction of equity used as margin, e.g. 0.1. */ readonly fraction: number; readonly leverage: number }
  | { readonly kind: "fixed-notional"; /** Position notional in USDT. */ readonly notionalUsd: number; readonly leverage: number }
  | { readonly kind: "fixed-quantity"; /** Base-asset quantity. */ readonly quantity: number; readonly leverage: number };

export function sizeBaseline(settings: BaselineSizing, context: DecisionContext): SizingDecision | null {
  const multiplier = context.sizeMultiplier === context.sizeMultiplier ? context.sizeMultiplier : 1;
  if (!(multiplier > 0)) return null;
  switch (settings.kind) {
    case "fixed-fraction":
      return { marginUsd: settings.fraction * context.equity * multiplier, leverage: settings.leverage };
    case "fixed-notional":
      return { marginUsd: (settings.notionalUsd * multiplier) / settings.leverage, leverage: settings.leverage };
    case "fixed-quantity":
      return { marginUsd: 0, leverage: settings.leverage, quantity: settings.quantity * multiplier };
  }
}

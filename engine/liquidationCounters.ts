import type { MarkPrices } from "./markPrices.js";
import type { PaperExchange } from "./paperExchange.js";
import type { LiquidationCounters } from "./types.js";

/**
 * summary.json `counters.liquidation` (README "Assumptions": liquidation): on every perpetual run
 * with liquidation on, the price liquidation was checked on (`mark` with mark-price bars, else
 * `last`) and the maintenance model (`brackets` with a leverage-bracket file, else `constant`:
 * SPEC §6.3 with `maintenanceMarginRate`); null on spot and with `liquidation: off`.
 */
export function liquidationCounters(ex: PaperExchange, mark: MarkPrices | null): LiquidationCounters | null {
  if (ex.spot || ex.liquidationOff) return null;
  let refused = 0;
  for (const refusal of ex.refusals) if (refusal.reason === "LEVERAGE_ABOVE_BRACKET" || refusal.reason === "NOTIONAL_ABOVE_BRACKETS") refused++;
  return {
    price: mark === null ? "last" : "mark",
    maintenance: ex.bracketTables === null ? "constant" : "brackets",
    markBarsUncovered: mark === null ? 0 : mark.uncoveredBars,
    leverageRefused: refused,
    leverageCappedToBracket: ex.leverageCappedToBracket,
  };
}

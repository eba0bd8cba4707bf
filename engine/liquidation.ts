/**
 * Isolated-margin liquidation (SPEC §6.3) as pure functions. Every place that needs a
 * liquidation price or a leverage limit derived from it calls these.
 *
 * Units: prices in quote currency, `mmr` (maintenance margin rate) and stop distances as
 * fractions (0.005 = 0.5 %), leverage as a multiple (≥ 1).
 */
import { bracketLiquidationPrice, type BracketTable } from "./brackets.js";

/**
 * Liquidation price of a position opened at `entry`: long `entry × (1 − 1/L + mmr)`,
 * short `entry × (1 + 1/L − mmr)`. Fixed at entry; partial exits do not move it, funding does
 * (see `walletLiquidationPrice`).
 */
export function liquidationPrice(entry: number, side: number, leverage: number, mmr: number): number {
  return entry * (1 - side * (1 / leverage - mmr));
}

/**
 * Liquidation price of an isolated position whose wallet holds `walletPerUnit` per unit of
 * quantity (margin plus net funding, over quantity): `entry − side × (walletPerUnit − mmr × entry)`.
 * With the wallet equal to the margin (`entry / L` per unit) it is `liquidationPrice`.
 */
export function walletLiquidationPrice(entry: number, side: number, walletPerUnit: number, mmr: number): number {
  return entry - side * (walletPerUnit - mmr * entry);
}

/**
 * Liquidation price of an isolated position of `quantity` whose wallet holds `wallet` (margin
 * plus net funding): with leverage brackets Binance's formula with WB = `wallet`
 * (`bracketLiquidationPrice`; NaN when no positive price liquidates it), else the constant-rate
 * `walletLiquidationPrice`.
 */
export function isolatedLiquidationPrice(
  table: BracketTable | null, entry: number, side: number, quantity: number, wallet: number, mmr: number,
): number {
  return table === null
    ? walletLiquidationPrice(entry, side, wallet / quantity, mmr)
    : bracketLiquidationPrice(table, entry, side, quantity, wallet);
}

/**
 * The leverage at which the liquidation price sits exactly `stopLossPct` from the entry:
 * `1 / (stopLossPct + mmr)`. Any leverage strictly below it keeps a stop that far from the
 * entry inside the liquidation distance.
 */
export function leverageLimitForStop(stopLossPct: number, mmr: number): number {
  return 1 / (stopLossPct + mmr);
}

/**
 * The highest leverage whose liquidation lies strictly beyond a stop `stopLossPct` from the
 * entry, or null when `leverage` already does (no cap needed) or no leverage ≥ 1 can
 * (the stop is farther than 1 − mmr). The value is just below the limit (relative 1e-9), at least 1.
 */
export function cappedLeverageForStop(leverage: number, stopLossPct: number, mmr: number): number | null {
  const limit = leverageLimitForStop(stopLossPct, mmr);
  if (leverage >= limit && limit > 1) return Math.max(1, limit * (1 - 1e-9));
  return null;
}

/** True when a stop at `stop` lies at or beyond the liquidation price (it cannot fire first). */
export function stopBeyondLiquidation(stop: number, liquidation: number, side: number): boolean {
  return side * stop <= side * liquidation;
}

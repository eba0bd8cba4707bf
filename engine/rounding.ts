/**
 * The one module that owns rounding (STYLE §6): lot size, tick size and the tolerance used
 * when comparing quantities that were built by adding and subtracting floats.
 */

/** Relative tolerance below which a remaining quantity counts as zero. */
export const QUANTITY_EPSILON = 1e-12;

/**
 * Floors a quantity to a whole number of lot steps (step 0 = no rounding). The small
 * nudge keeps 0.3 / 0.1 (= 2.9999999999999996) from flooring to 2 steps.
 */
export function floorToStep(value: number, step: number): number {
  if (step <= 0) return value;
  const steps = Math.floor(value / step + 1e-9);
  return steps * step;
}

/** Rounds a price level to the nearest tick (tick 0 = no rounding). */
export function roundToTick(price: number, tick: number): number {
  // A price below one tick cannot be put on the tick grid (it would round to 0 or jump to a
  // whole tick): it is left as it is rather than turned into a price the market never had.
  if (tick <= 0 || price < tick) return price;
  return Math.round(price / tick) * tick;
}

/**
 * Rounds a market-order price to the tick against the trader: a buy rounds up, a sell
 * rounds down, so rounding never flatters a result.
 */
export function roundAgainstTrader(price: number, tick: number, orderSide: 1 | -1): number {
  if (tick <= 0 || price < tick) return price;
  const steps = price / tick;
  return (orderSide > 0 ? Math.ceil(steps - 1e-9) : Math.floor(steps + 1e-9)) * tick;
}

/** True when `remaining` is negligible next to `original`. */
export function isNegligibleQuantity(remaining: number, original: number): boolean {
  return remaining <= original * QUANTITY_EPSILON;
}

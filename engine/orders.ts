/**
 * Order-matching rules of the paper exchange (SPEC §6 extended by the order interface) as
 * pure functions over prices. An order is compared in its own direction `u = side × price`
 * (side +1 buy, −1 sell), so one rule serves both sides:
 *
 * - a **limit** order fills when the price comes to it: `u ≤ side × limit` (a buy at or below
 *   its limit) — at its limit along the path, or at the open when the bar opens through it
 *   (a better price);
 * - a **stop** order triggers when the price passes it: `u ≥ side × stop` (a buy at or above
 *   its stop) and fills as a market order at its trigger, or at the open on a gap (a worse price);
 * - a **stop-limit** order becomes a limit order at its limit price when its stop triggers.
 *
 * Prices in quote currency; NaN means "no such level".
 */

export const ORDER_MARKET = 0;
export const ORDER_LIMIT = 1;
export const ORDER_STOP = 2;
export const ORDER_STOP_LIMIT = 3;

export type OrderKindCode = typeof ORDER_MARKET | typeof ORDER_LIMIT | typeof ORDER_STOP | typeof ORDER_STOP_LIMIT;

/** True when a limit order of `side` at `limit` is marketable at `price`. */
export function limitReached(side: number, limit: number, price: number): boolean {
  return side * price <= side * limit;
}

/** True when a stop of `side` at `stop` has been triggered by `price`. */
export function stopTriggered(side: number, stop: number, price: number): boolean {
  return side * price >= side * stop;
}

/** What an order does at a point or on a segment of the path. */
export const ACT_NONE = 0;
/** A market fill (a stop order's trigger): taker. */
export const ACT_FILL_TAKER = 1;
/** A limit fill (a limit order, or a stop-limit once triggered): maker. */
export const ACT_FILL_MAKER = 2;
/** A stop-limit's stop triggered; it is a limit order from here on. */
export const ACT_TRIGGER = 3;

/**
 * What an order does at the bar's open: `ACT_FILL_*` at the open price (a gap when the open is
 * beyond the level), `ACT_TRIGGER` when a stop-limit triggers there but its limit is not
 * marketable, else `ACT_NONE`. A stop-limit that triggers at the open and whose limit is
 * marketable there fills at the open (`ACT_FILL_MAKER`).
 */
export function actionAtOpen(kind: number, side: number, limit: number, stop: number, triggered: boolean, open: number): number {
  if (kind === ORDER_LIMIT || (kind === ORDER_STOP_LIMIT && triggered)) return limitReached(side, limit, open) ? ACT_FILL_MAKER : ACT_NONE;
  if (kind === ORDER_STOP) return stopTriggered(side, stop, open) ? ACT_FILL_TAKER : ACT_NONE;
  if (kind === ORDER_STOP_LIMIT) {
    if (!stopTriggered(side, stop, open)) return ACT_NONE;
    return limitReached(side, limit, open) ? ACT_FILL_MAKER : ACT_TRIGGER;
  }
  return ACT_NONE;
}

/**
 * The level at which an order acts on a monotone path segment from `from` (exclusive: what
 * happens at `from` was decided there) to `to` (inclusive), or NaN when it does not act on
 * it. A limit acts where the price comes down (buy) / up (sell) to it; a stop where the price
 * rises (buy) / falls (sell) through it.
 */
export function levelOnSegment(kind: number, side: number, limit: number, stop: number, triggered: boolean, from: number, to: number): number {
  const level = kind === ORDER_LIMIT || (kind === ORDER_STOP_LIMIT && triggered) ? limit : kind === ORDER_MARKET ? NaN : stop;
  if (level !== level) return NaN;
  const isLimit = kind === ORDER_LIMIT || (kind === ORDER_STOP_LIMIT && triggered);
  // In the order's direction: a limit is reached moving down in u, a stop moving up.
  const uFrom = side * from;
  const uTo = side * to;
  const u = side * level;
  if (isLimit) return uFrom > u && uTo <= u ? level : NaN;
  return uFrom < u && uTo >= u ? level : NaN;
}

/** What an order does when it acts at its level on a segment (see `levelOnSegment`). */
export function actionOnSegment(kind: number, triggered: boolean): number {
  if (kind === ORDER_LIMIT || (kind === ORDER_STOP_LIMIT && triggered)) return ACT_FILL_MAKER;
  return kind === ORDER_STOP ? ACT_FILL_TAKER : ACT_TRIGGER;
}

/**
 * After a stop-limit triggers at `price` (its stop level), whether its limit is marketable
 * right there: it then fills at that price; otherwise it rests as a limit.
 */
export function fillsOnTrigger(side: number, limit: number, price: number): boolean {
  return limitReached(side, limit, price);
}

/**
 * Whole units (or lot steps) that `available` cash buys at `price` with leverage `leverage`
 * and fee rate `feeRate`, the fee included: `floor(available / (price × (1/L + fee)) / step) × step`.
 * The "all-in" size of backtesting.py's `size=0.9999` or backtrader's `AllInSizer`, fees reserved.
 */
export function allInQuantity(available: number, price: number, leverage: number, feeRate: number, step: number): number {
  const raw = available / (price * (1 / leverage + feeRate));
  if (!(raw > 0)) return 0;
  const steps = Math.floor(raw / step + 1e-9);
  // 2046 × 0.001 is 2.0460000000000003; 2046 / 1000 is 2.046.
  const inverse = 1 / step;
  return Number.isInteger(inverse) ? steps / inverse : steps * step;
}

/**
 * A canonical hash of a run's trade list, for the `regress` workflow: the same trades give the
 * same hash, and a change to any trade — one more or fewer, another exit time, price, size,
 * reason or leg count — gives another.
 *
 * Canonical form (version 1): one line per trade, the JSON array
 *   [symbol, side, entryTimeMs, exitTimeMs, entryPrice, exitPrice, quantity, exitReason, legs]
 * with prices and quantities rounded to 10 significant digits (so the last-ulp differences of
 * `Math.log` / `Math.pow` between Node versions or CPUs do not count as a change, while any
 * real change does); the lines sorted (code-unit order, so the engine's output order does not
 * matter), preceded by a version line, joined by `\n`; sha256 of that text, lower-case hex.
 *
 * Deliberately left out: ids (counters, not content), and money derived from prices and sizes
 * (fees, funding, net PnL), which the regress metrics already watch and whose values near zero
 * would make the hash fragile.
 */
import { createHash } from "node:crypto";
import type { Trade } from "../../engine/types.js";

export const TRADE_FINGERPRINT_VERSION = "exitlab/trade-fingerprint/v1";

/** `value` to 10 significant digits as a number (no negative zero); null when not finite. */
export function roundToSignificant(value: number, digits = 10): number | null {
  if (!Number.isFinite(value)) return null;
  const rounded = Number(value.toPrecision(digits));
  return rounded === 0 ? 0 : rounded;
}

/** The canonical line of one trade. */
export function canonicalTradeLine(trade: Trade): string {
  return JSON.stringify([
    trade.symbol,
    trade.side,
    Number.isFinite(trade.entryTimeMs) ? trade.entryTimeMs : null,
    Number.isFinite(trade.exitTimeMs) ? trade.exitTimeMs : null,
    roundToSignificant(trade.entryPrice),
    roundToSignificant(trade.exitPrice),
    roundToSignificant(trade.quantity),
    trade.exitReason,
    trade.legs,
  ]);
}

/** sha256 (lower-case hex, 64 characters) of the canonical form of `trades`. */
export function tradeFingerprint(trades: readonly Trade[]): string {
  const lines = trades.map(canonicalTradeLine).sort();
  return createHash("sha256").update([TRADE_FINGERPRINT_VERSION, ...lines].join("\n"), "utf8").digest("hex");
}

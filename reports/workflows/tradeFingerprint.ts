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
import { reasonName, type TradeLedger } from "../../engine/index.js";
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
  return canonicalLine(trade.symbol, trade.side, trade.entryTimeMs, trade.exitTimeMs, trade.entryPrice, trade.exitPrice,
    trade.quantity, trade.exitReason, trade.legs);
}

function canonicalLine(
  symbol: string, side: number, entryTimeMs: number, exitTimeMs: number, entryPrice: number, exitPrice: number,
  quantity: number, exitReason: string, legs: number,
): string {
  return JSON.stringify([
    symbol,
    side,
    Number.isFinite(entryTimeMs) ? entryTimeMs : null,
    Number.isFinite(exitTimeMs) ? exitTimeMs : null,
    roundToSignificant(entryPrice),
    roundToSignificant(exitPrice),
    roundToSignificant(quantity),
    exitReason,
    legs,
  ]);
}

/** sha256 (lower-case hex, 64 characters) of the canonical form of `trades`. */
export function tradeFingerprint(trades: readonly Trade[]): string {
  return hashLines(trades.map(canonicalTradeLine));
}

/** `tradeFingerprint` of a run's trades read from the engine's ledger (no trade objects made); the same hash. */
export function ledgerTradeFingerprint(ledger: TradeLedger): string {
  const lines = new Array<string>(ledger.length);
  for (let i = 0; i < ledger.length; i++) {
    lines[i] = canonicalLine(ledger.symbolOf(i), ledger.side[i], ledger.entryTimeMs[i], ledger.exitTimeMs[i], ledger.entryPrice[i],
      ledger.exitPrice[i], ledger.quantity[i], reasonName(ledger.reason[i]), ledger.legs[i]);
  }
  return hashLines(lines);
}

function hashLines(lines: string[]): string {
  lines.sort();
  return createHash("sha256").update([TRADE_FINGERPRINT_VERSION, ...lines].join("\n"), "utf8").digest("hex");
}

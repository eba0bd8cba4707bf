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
import { roundSignificant } from "../html/significant.js";

export const TRADE_FINGERPRINT_VERSION = "exitlab/trade-fingerprint/v1";

/**
 * `value` to 10 significant digits as a number (no negative zero); null when not finite. Through
 * `roundSignificant`, which gives exactly `Number(value.toPrecision(digits))` (tests/reports/significant.test.ts)
 * without making a string: a sweep cell of 50,000 trades spent ~100 ms of its ~400 in the
 * fingerprint, most of it in `toPrecision`. (A rounding that overflows, as 1.7976931348623157e308
 * does, gives Infinity, which the line writes as null, as before.)
 */
export function roundToSignificant(value: number, digits = 10): number | null {
  if (!Number.isFinite(value)) return null;
  const rounded = roundSignificant(value, digits);
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

/** Lines hashed per this many: the same bytes as hashing their whole join, without a string (and its UTF-8 copy) of megabytes. */
const LINES_PER_UPDATE = 1024;

function hashLines(lines: string[]): string {
  lines.sort();
  const hash = createHash("sha256").update(TRADE_FINGERPRINT_VERSION, "utf8");
  for (let from = 0; from < lines.length; from += LINES_PER_UPDATE) {
    hash.update(`\n${lines.slice(from, from + LINES_PER_UPDATE).join("\n")}`, "utf8");
  }
  return hash.digest("hex");
}

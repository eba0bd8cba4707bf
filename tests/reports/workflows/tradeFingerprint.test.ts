import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { xoroshiro128plus } from "pure-rand";
import { SeededRandom } from "../../../data/seededRandom.js";
import type { Trade } from "../../../engine/types.js";
import { canonicalTradeLine, roundToSignificant, TRADE_FINGERPRINT_VERSION, tradeFingerprint } from "../../../reports/workflows/tradeFingerprint.js";
import { tradeAt } from "./workflowFixtures.js";

const trades = [
  tradeAt(0, { id: 1, exitPrice: 104.25, quantity: 0.123456789 }),
  tradeAt(3, { id: 2, symbol: "ETHUSDT", side: -1, exitReason: "TRAIL", legs: 2 }),
];

describe("trade fingerprint", () => {
  it("is a 64-character sha256 in lower-case hex", () => {
    expect(tradeFingerprint(trades)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is the same for the same trades, whatever their order and ids", () => {
    const shuffled = [{ ...trades[1], id: 7 }, { ...trades[0], id: 8 }];
    expect(tradeFingerprint(shuffled)).toBe(tradeFingerprint(trades));
  });

  it("changes with any field it covers", () => {
    const original = tradeFingerprint(trades);
    const changes = [
      { symbol: "SOLUSDT" }, { side: -1 as const }, { entryTimeMs: trades[0].entryTimeMs + 1 }, { exitTimeMs: trades[0].exitTimeMs + 1 },
      { entryPrice: 100.0001 }, { exitPrice: 104.2501 }, { quantity: 0.1234567891 * 1.00001 }, { exitReason: "SL" }, { legs: 3 },
    ];
    for (const change of changes) {
      expect(tradeFingerprint([{ ...trades[0], ...change }, trades[1]]), JSON.stringify(change)).not.toBe(original);
    }
  });

  it("changes when a trade is added or removed", () => {
    expect(tradeFingerprint(trades.slice(1))).not.toBe(tradeFingerprint(trades));
    expect(tradeFingerprint([])).not.toBe(tradeFingerprint(trades));
  });

  it("ignores differences below the 10th significant digit", () => {
    const jittered = [{ ...trades[0], exitPrice: 104.25 * (1 + 1e-14) }, trades[1]];
    expect(tradeFingerprint(jittered)).toBe(tradeFingerprint(trades));
  });

  it("writes each trade as one canonical JSON line", () => {
    expect(canonicalTradeLine(trades[0])).toBe(
      `["BTCUSDT",1,${trades[0].entryTimeMs},${trades[0].exitTimeMs},100,104.25,0.123456789,"TP1",1]`,
    );
  });

  it("rounds to 10 significant digits without a negative zero", () => {
    expect(roundToSignificant(1 / 3)).toBe(0.3333333333);
    expect(roundToSignificant(-0)).toBe(0);
    expect(Object.is(roundToSignificant(-0), -0)).toBe(false);
    expect(roundToSignificant(Number.NaN)).toBeNull();
  });
});

/** The canonical form as first written (version 1): one JSON array per trade, `Number(x.toPrecision(10))`, the lines joined and hashed whole. */
function referenceFingerprint(list: readonly Trade[]): string {
  const rounded = (value: number): number | null => {
    if (!Number.isFinite(value)) return null;
    const result = Number(value.toPrecision(10));
    return result === 0 ? 0 : result;
  };
  const lines = list.map((trade) => JSON.stringify([
    trade.symbol, trade.side, Number.isFinite(trade.entryTimeMs) ? trade.entryTimeMs : null, Number.isFinite(trade.exitTimeMs) ? trade.exitTimeMs : null,
    rounded(trade.entryPrice), rounded(trade.exitPrice), rounded(trade.quantity), trade.exitReason, trade.legs,
  ]));
  lines.sort();
  return createHash("sha256").update([TRADE_FINGERPRINT_VERSION, ...lines].join("\n"), "utf8").digest("hex");
}

describe("trade fingerprint, the fast form", () => {
  it("gives the hash of the canonical form as first written, for thousands of random trades and the edge values", () => {
    const generator = new SeededRandom(xoroshiro128plus(19));
    const random = (): number => generator.uniform();
    const odd = [0, -0, Number.NaN, Infinity, -Infinity, 5e-324, 1e21, 1.7976931348623157e308, -1.7976931348623157e308, 1.7976931344e308, 0.1 + 0.2, 123456789.0123456, 1e-7, 2 ** 53 + 2];
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const list: Trade[] = [];
    for (let id = 0; id < 3000; id++) {
      const price = id % 7 === 0 ? pick(odd) : 10 ** (random() * 12 - 4) * (random() < 0.05 ? -1 : 1);
      list.push(tradeAt(id % 50, {
        id, symbol: pick(["BTCUSDT", "ETHUSDT", "Ärger\"USDT", "a\\b", "\u2028X"]), side: pick([1, -1] as const),
        entryPrice: price, exitPrice: id % 11 === 0 ? pick(odd) : price * (1 + (random() - 0.5) / 50), quantity: id % 13 === 0 ? pick(odd) : random() * 3,
        exitReason: pick(["TP1", "SL", "TRAIL", "SIGNAL", "LIQUIDATION"]), legs: 1 + Math.floor(random() * 3),
        entryTimeMs: id % 17 === 0 ? Number.NaN : 1.7e12 + Math.floor(random() * 1e9),
      }));
    }
    expect(tradeFingerprint(list)).toBe(referenceFingerprint(list));
    expect(tradeFingerprint(list.slice(0, 1))).toBe(referenceFingerprint(list.slice(0, 1)));
    expect(tradeFingerprint([])).toBe(referenceFingerprint([]));
    // Across the batches the hash is fed in: 1,023, 1,024 and 1,025 lines.
    for (const count of [1023, 1024, 1025, 2049]) expect(tradeFingerprint(list.slice(0, count))).toBe(referenceFingerprint(list.slice(0, count)));
  });
});

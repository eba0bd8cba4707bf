import { describe, expect, it } from "vitest";
import { canonicalTradeLine, roundToSignificant, tradeFingerprint } from "../../../reports/workflows/tradeFingerprint.js";
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

import { describe, expect, it } from "vitest";
import { pairTrades } from "../../../reports/workflows/pairTrades.js";
import { tradeAt } from "./workflowFixtures.js";

describe("pairing the trades of two runs by entry", () => {
  // The baseline exits quickly and re-enters BTC at hour 2; the other plan is still in its
  // first BTC position at hour 2, so it takes the next BTC entry at hour 3 instead.
  const base = [
    tradeAt(0, { id: 1, symbol: "BTCUSDT", side: 1, exitPrice: 101 }),
    tradeAt(1, { id: 2, symbol: "ETHUSDT", side: -1 }),
    tradeAt(2, { id: 3, symbol: "BTCUSDT", side: 1 }),
  ];
  const other = [
    // Listed by exit time, not entry time: pairing must not depend on the order given.
    tradeAt(1, { id: 2, symbol: "ETHUSDT", side: -1 }),
    tradeAt(0, { id: 1, symbol: "BTCUSDT", side: 1, exitPrice: 110, exitTimeMs: tradeAt(2).exitTimeMs }),
    tradeAt(3, { id: 3, symbol: "BTCUSDT", side: 1 }),
  ];
  const pairing = pairTrades(base, other);

  it("matches trades with the same symbol, entry time and side, whatever their exits", () => {
    expect(pairing.pairs.map((p) => [p.base.id, p.other.id])).toEqual([[1, 1], [2, 2]]);
    expect(pairing.pairs[0].other.exitPrice).toBe(110);
  });

  it("lists the pairs in entry order", () => {
    expect(pairing.pairs.map((p) => p.base.entryTimeMs)).toEqual([tradeAt(0).entryTimeMs, tradeAt(1).entryTimeMs]);
  });

  it("reports the entry only the baseline took and the one only the other run took", () => {
    expect(pairing.unmatchedBase.map((t) => t.entryTimeMs)).toEqual([tradeAt(2).entryTimeMs]);
    expect(pairing.unmatchedOther.map((t) => t.entryTimeMs)).toEqual([tradeAt(3).entryTimeMs]);
  });

  it("does not pair a long with a short entered at the same time on the same symbol", () => {
    const result = pairTrades([tradeAt(0, { side: 1 })], [tradeAt(0, { side: -1 })]);
    expect(result.pairs).toHaveLength(0);
    expect(result.unmatchedBase).toHaveLength(1);
    expect(result.unmatchedOther).toHaveLength(1);
  });

  it("does not pair the same entry time on different symbols", () => {
    const result = pairTrades([tradeAt(0, { symbol: "BTCUSDT" })], [tradeAt(0, { symbol: "ETHUSDT" })]);
    expect(result.pairs).toHaveLength(0);
  });

  it("pairs repeated entry identities first with first, second with second", () => {
    const result = pairTrades(
      [tradeAt(0, { id: 1 }), tradeAt(0, { id: 2 })],
      [tradeAt(0, { id: 11 }), tradeAt(0, { id: 12 }), tradeAt(0, { id: 13 })],
    );
    expect(result.pairs.map((p) => [p.base.id, p.other.id])).toEqual([[1, 11], [2, 12]]);
    expect(result.unmatchedOther.map((t) => t.id)).toEqual([13]);
  });

  it("gives nothing to pair when one run has no trades", () => {
    const result = pairTrades([], base);
    expect(result.pairs).toHaveLength(0);
    expect(result.unmatchedOther).toHaveLength(3);
  });
});

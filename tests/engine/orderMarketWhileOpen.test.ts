import { describe, expect, it } from "vitest";
import { HOUR, T0, barsOf } from "../fixtures/bars.js";
import { atBars, runOrders } from "../fixtures/orders.js";
import { expectReconciled } from "../fixtures/reconcile.js";

// Opens 100, 101, 102, 103, 104; no fees unless given.
const bars = barsOf("X", [[100, 100, 100, 100], [101, 101, 101, 101], [102, 102, 102, 102], [103, 103, 103, 103], [104, 104, 104, 104]]);
const one = { kind: "quantity", quantity: 1 } as const;
const two = { kind: "quantity", quantity: 2 } as const;
const fees = { takerFeeRate: 0.001, makerFeeRate: 0.0002 };

describe("a market entry submitted while a position is open never rests", () => {
  it("reverses the position when it is on the other side: the close, then the entry, at the same next open", () => {
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: one, exits: {} }); },
      1: (ctx) => { ctx.submit({ side: "sell", size: two, exits: {} }); },
    }), { exchange: fees });
    // Long 1 at 101 (bar 1's open); at bar 2's open (102) it closes (+1) and a short of 2 opens there.
    expect(result.fills.map((fill) => [fill.reason, fill.orderSide, fill.quantity, fill.price, fill.timeMs])).toEqual([
      ["ENTRY", 1, 1, 101, T0 + HOUR],
      ["CLOSE", -1, 1, 102, T0 + 2 * HOUR],
      ["ENTRY", -1, 2, 102, T0 + 2 * HOUR],
      ["END", 1, 2, 104, T0 + 4 * HOUR],
    ]);
    expect(result.trades.map((trade) => trade.netPnlUsd)).toEqual([
      expect.closeTo(1 - 0.101 - 0.102, 12),
      expect.closeTo(-4 - 0.204 - 0.208, 12),
    ]);
    expect(result.counters.orders).toMatchObject({ submitted: 2, filled: 2, reversals: 1, refused: 0, unfilledAtEnd: 0 });
    expectReconciled(result);
  });

  it("reverses at the signal close with fillTiming signal-close", () => {
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: one, exits: {} }); },
      2: (ctx) => { ctx.submit({ side: "sell", size: one, exits: {} }); },
    }), { execution: { fillTiming: "signal-close" } });
    expect(result.fills.map((fill) => [fill.reason, fill.price, fill.timeMs])).toEqual([
      ["ENTRY", 100, T0], ["CLOSE", 102, T0 + 2 * HOUR], ["ENTRY", 102, T0 + 2 * HOUR], ["END", 104, T0 + 4 * HOUR],
    ]);
    expect(result.counters.orders?.reversals).toBe(1);
  });

  it("is refused as POSITION_OPEN on the side already held (one position per symbol), and the position is untouched", () => {
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: one, exits: {} }); },
      1: (ctx) => { ctx.submit({ side: "buy", size: one, exits: {} }); },
    }));
    expect(result.refusals).toEqual([{ symbol: "X", timeMs: T0 + 2 * HOUR, reason: "POSITION_OPEN", marginUsd: Number.NaN }]);
    expect(result.fills.map((fill) => [fill.reason, fill.quantity, fill.price])).toEqual([["ENTRY", 1, 101], ["END", 1, 104]]);
    expect(result.counters.orders).toMatchObject({ submitted: 2, filled: 1, refused: 1, unfilledAtEnd: 0 });
  });

  it("fills from flat when the strategy closes in the same bar: the close first, then the entry on either side", () => {
    for (const side of ["buy", "sell"] as const) {
      const result = runOrders(bars, atBars({
        0: (ctx) => { ctx.submit({ side: "buy", size: one, exits: {} }); },
        1: (ctx) => { ctx.close(); ctx.submit({ side, size: one, exits: {} }); },
      }));
      expect(result.fills.map((fill) => [fill.reason, fill.orderSide, fill.price])).toEqual([
        ["ENTRY", 1, 101], ["CLOSE", -1, 102], ["ENTRY", side === "buy" ? 1 : -1, 102], ["END", side === "buy" ? -1 : 1, 104],
      ]);
      expect(result.counters.orders).toMatchObject({ filled: 2, reversals: 0, refused: 0 });
    }
  });

  it("acts on the position as the earlier orders of the same bar left it", () => {
    // Two buys at the same close: the first opens, the second finds the long open and is refused.
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: one, exits: {} }); ctx.submit({ side: "buy", size: one, exits: {} }); },
    }));
    expect(result.fills.map((fill) => fill.reason)).toEqual(["ENTRY", "END"]);
    expect(result.refusals.map((refusal) => refusal.reason)).toEqual(["POSITION_OPEN"]);
  });
});

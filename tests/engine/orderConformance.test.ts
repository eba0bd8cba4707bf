import { describe, expect, it } from "vitest";
import { HOUR, T0, barsOf } from "../fixtures/bars.js";
import { atBars, runOrders } from "../fixtures/orders.js";
import { expectReconciled } from "../fixtures/reconcile.js";
import type { OrderRequest } from "../../engine/index.js";

// Hand-made bars. Bar 1 closes above its open, so the default path is open → low → high → close:
// 100 → 97 → 102 → 101. Bar 2 closes below its open: 101 → 101.5 → 98 → 99.
const rows: [number, number, number, number][] = [
  [100, 101, 99, 100],
  [100, 102, 97, 101],
  [101, 101.5, 98, 99],
  [99, 100, 98.5, 99.5],
  [99.5, 100.5, 99, 100],
];
const bars = barsOf("X", rows);
const one = { kind: "quantity", quantity: 1 } as const;
const fees = { takerFeeRate: 0.001, makerFeeRate: 0.0002 };
const entryOf = (result: ReturnType<typeof runOrders>) => result.fills.find((fill) => fill.reason === "ENTRY");
const submitAt0 = (request: OrderRequest) => atBars({ 0: (ctx) => { ctx.submit(request); } });

describe("entry orders fill where the path reaches them, with the fee of their liquidity", () => {
  const cases: { name: string; request: OrderRequest; price: number; bar: number; liquidity: "maker" | "taker"; gap: boolean }[] = [
    { name: "a market buy at the next open", request: { side: "buy", size: one, exits: {} }, price: 100, bar: 1, liquidity: "taker", gap: false },
    { name: "a market sell at the next open", request: { side: "sell", size: one, exits: {} }, price: 100, bar: 1, liquidity: "taker", gap: false },
    { name: "a limit buy at its limit on the way down", request: { side: "buy", type: "limit", limitPrice: 98, size: one, exits: {} }, price: 98, bar: 1, liquidity: "maker", gap: false },
    { name: "a limit buy at the open when the bar opens below it (better price)", request: { side: "buy", type: "limit", limitPrice: 100.5, size: one, exits: {} }, price: 100, bar: 1, liquidity: "maker", gap: true },
    { name: "a limit sell at its limit on the way up", request: { side: "sell", type: "limit", limitPrice: 101.5, size: one, exits: {} }, price: 101.5, bar: 1, liquidity: "maker", gap: false },
    { name: "a limit sell at the open when the bar opens above it", request: { side: "sell", type: "limit", limitPrice: 99.5, size: one, exits: {} }, price: 100, bar: 1, liquidity: "maker", gap: true },
    { name: "a stop buy at its trigger on the way up", request: { side: "buy", type: "stop", stopPrice: 101.5, size: one, exits: {} }, price: 101.5, bar: 1, liquidity: "taker", gap: false },
    { name: "a stop buy at the open when the bar gaps above it (worse price)", request: { side: "buy", type: "stop", stopPrice: 99.5, size: one, exits: {} }, price: 100, bar: 1, liquidity: "taker", gap: true },
    { name: "a stop sell at its trigger on the way down", request: { side: "sell", type: "stop", stopPrice: 98, size: one, exits: {} }, price: 98, bar: 1, liquidity: "taker", gap: false },
    { name: "a stop sell at the open when the bar gaps below it", request: { side: "sell", type: "stop", stopPrice: 100.5, size: one, exits: {} }, price: 100, bar: 1, liquidity: "taker", gap: true },
    { name: "a stop-limit buy whose limit is marketable at the trigger, at the trigger", request: { side: "buy", type: "stop-limit", stopPrice: 101, limitPrice: 101.5, size: one, exits: {} }, price: 101, bar: 1, liquidity: "maker", gap: false },
    // Triggered at 101.5 on bar 1's way up, then rests as a limit at 99, reached on bar 2's fall.
    { name: "a stop-limit buy with its limit below the stop, as a limit after the trigger", request: { side: "buy", type: "stop-limit", stopPrice: 101.5, limitPrice: 99, size: one, exits: {} }, price: 99, bar: 2, liquidity: "maker", gap: false },
    { name: "a stop-limit sell with its limit above the stop, as a limit after the trigger", request: { side: "sell", type: "stop-limit", stopPrice: 97.5, limitPrice: 101.2, size: one, exits: {} }, price: 101.2, bar: 1, liquidity: "maker", gap: false },
  ];
  for (const c of cases) {
    it(`fills ${c.name}`, () => {
      const result = runOrders(bars, submitAt0(c.request), { exchange: fees });
      const entry = entryOf(result);
      expect(entry).toBeDefined();
      expect(entry?.price).toBeCloseTo(c.price, 12);
      expect(entry?.timeMs).toBe(T0 + c.bar * HOUR);
      expect(entry?.liquidity).toBe(c.liquidity);
      expect(entry?.gap).toBe(c.gap);
      expect(entry?.feeUsd).toBeCloseTo(c.price * (c.liquidity === "maker" ? 0.0002 : 0.001), 12);
      expect(result.counters.orders?.filled).toBe(1);
      expectReconciled(result);
    });
  }

  it("applies slippage to stop fills and none to limit fills", () => {
    const stop = runOrders(bars, submitAt0({ side: "buy", type: "stop", stopPrice: 101.5, size: one, exits: {} }), { exchange: { slippageBps: 10 } });
    expect(entryOf(stop)?.price).toBeCloseTo(101.5 * 1.001, 12);
    const limit = runOrders(bars, submitAt0({ side: "buy", type: "limit", limitPrice: 98, size: one, exits: {} }), { exchange: { slippageBps: 10 } });
    expect(entryOf(limit)?.price).toBe(98);
  });
});

describe("an entry filled inside a bar is managed along the rest of that bar's path", () => {
  const limitWithTp: OrderRequest = { side: "buy", type: "limit", limitPrice: 98, size: one, exits: { takeProfit: { price: 101.5 } } };

  it("takes profit in the entry bar when the path rises after the fill (default: low first)", () => {
    const result = runOrders(bars, submitAt0(limitWithTp));
    expect(result.fills.map((fill) => [fill.reason, fill.price, fill.timeMs])).toEqual([["ENTRY", 98, T0 + HOUR], ["TP1", 101.5, T0 + HOUR]]);
  });

  it("does not when the path rises first (optimistic for a long: high first), and flags the entry bar path-dependent", () => {
    const result = runOrders(bars, submitAt0(limitWithTp), { intrabarMode: "optimistic" });
    expect(result.fills[0].reason).toBe("ENTRY");
    expect(result.fills[0].timeMs).toBe(T0 + HOUR);
    expect(result.fills[1]?.timeMs).not.toBe(T0 + HOUR);
    expect(result.fills[0].pathDependent).toBe(true);
    expect(result.counters.orders?.pathDependentEntries).toBe(1);
  });

  it("pessimistic for a long is low first: the same fills as the default path here", () => {
    const result = runOrders(bars, submitAt0(limitWithTp), { intrabarMode: "pessimistic" });
    expect(result.fills.slice(0, 2).map((fill) => fill.reason)).toEqual(["ENTRY", "TP1"]);
  });

  it("uses detail bars when given: the entry and its exit carry their detail bar's time", () => {
    const quarter = HOUR / 4;
    // Bar 1 in four 15-minute bars: 100 → 102 first, then down to 97, close 101 (the opposite of the assumed path).
    const detail = barsOf("X", [[100, 102, 100, 102], [102, 102, 99, 99], [99, 99, 97, 98], [98, 101, 98, 101]], T0 + HOUR, quarter);
    const result = runOrders(bars, submitAt0(limitWithTp), { detail });
    expect(result.fills[0].timeMs).toBe(T0 + HOUR + 2 * quarter);
    expect(result.fills[0].price).toBe(98);
    expect(result.counters.detailBarsUsed).toBeGreaterThan(0);
  });
});

describe("time in force, cancellation and refusals are events counted in the summary", () => {
  it("expires a limit order after the close of its N-th bar", () => {
    const result = runOrders(bars, submitAt0({ side: "buy", type: "limit", limitPrice: 90, timeInForce: { bars: 2 }, size: one, exits: {} }));
    expect(result.fills).toEqual([]);
    expect(result.refusals).toEqual([{ symbol: "X", timeMs: T0 + 2 * HOUR, reason: "EXPIRED", marginUsd: Number.NaN }]);
    expect(result.counters.orders?.expired).toBe(1);
  });

  it("cancels pending orders and reports orders still pending at the end", () => {
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", type: "limit", limitPrice: 90, size: one, exits: {} }); ctx.submit({ side: "buy", type: "limit", limitPrice: 91, size: one, exits: {} }); },
      1: (ctx) => { expect(ctx.orders).toHaveLength(2); ctx.cancel(ctx.orders[0].id); },
    }));
    expect(result.counters.orders).toMatchObject({ submitted: 2, cancelled: 1, unfilledAtEnd: 1 });
  });

  it("refuses an entry the available balance cannot pay for", () => {
    const result = runOrders(bars, submitAt0({ side: "buy", size: { kind: "quantity", quantity: 20 }, exits: {} }), { initialBalance: 1000 });
    expect(result.refusals[0].reason).toBe("INSUFFICIENT_MARGIN");
    expect(result.counters.orders?.refused).toBe(1);
  });
});

describe("managing the position from the strategy", () => {
  it("closes part of the position at the next open, reason CLOSE", () => {
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: { kind: "quantity", quantity: 4 }, exits: {} }); },
      1: (ctx) => ctx.close(0.25),
    }));
    const close = result.fills[1];
    expect([close.reason, close.quantity, close.price, close.timeMs]).toEqual(["CLOSE", 1, 101, T0 + 2 * HOUR]);
    expect(result.fills[2]).toMatchObject({ reason: "END", quantity: 3 });
    expectReconciled(result);
  });

  it("a stop moved at a bar's close takes effect from the next bar, and moving it against the position is counted", () => {
    // Long from bar 1's open at 100. At bar 1's close the stop goes to 98.5: bar 2 (low 98) hits it,
    // though bar 1's own low (97) was below it. At bar 2 ... it is moved down (against the position).
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: one, exits: { stopLoss: { price: 90 } } }); },
      1: (ctx) => { expect(ctx.position?.stopLoss).toBe(90); ctx.setStopLoss(98.5); },
    }));
    expect(result.fills[1]).toMatchObject({ reason: "SL", price: 98.5, timeMs: T0 + 2 * HOUR });
    const loosened = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: one, exits: { stopLoss: { price: 96 } } }); },
      1: (ctx) => ctx.setStopLoss(95),
    }));
    expect(loosened.counters.orders?.stopsMovedAgainstPosition).toBe(1);
    expect(loosened.warnings.join(" ")).toMatch(/against the position/);
  });

  it("anchors a stop at the signal close or at the fill", () => {
    const gapUp = barsOf("X", [[100, 101, 99, 100], [104, 105, 103, 104], [104, 105, 103, 104]]);
    const signal = runOrders(gapUp, submitAt0({ side: "buy", size: one, exits: { stopLoss: { pct: 0.02, anchor: "signal" } } }));
    expect(signal.fills[1]).toMatchObject({ reason: "END" });
    expect(signal.openAtEnd[0].stopPrice).toBe(98);
    const fill = runOrders(gapUp, submitAt0({ side: "buy", size: one, exits: { stopLoss: { pct: 0.02, anchor: "fill" } } }));
    expect(fill.openAtEnd[0].stopPrice).toBeCloseTo(101.92, 12);
  });
});

describe("run options", () => {
  it("fills market orders at the signal bar's close with fillTiming signal-close (trade on close)", () => {
    const result = runOrders(bars, submitAt0({ side: "buy", size: one, exits: {} }), { execution: { fillTiming: "signal-close" } });
    expect(entryOf(result)).toMatchObject({ price: 100, timeMs: T0 });
  });

  it("sizes all-in at the fill: whole units the available balance buys, the fee included", () => {
    // 1000 USDT at 100 with a 0.1 % fee: 1000 / 100.1 = 9.99 → 9 units.
    const result = runOrders(bars, submitAt0({ side: "buy", size: { kind: "all-in" }, exits: {} }), { initialBalance: 1000, exchange: fees });
    expect(entryOf(result)?.quantity).toBe(9);
  });

  it("takes a fraction of equity at the fill with sizingReference fill", () => {
    // Two entries on two bars would need two symbols; here: a limit that fills at 98 sizes 50 % of 1000 at that price.
    const result = runOrders(bars, submitAt0({ side: "buy", type: "limit", limitPrice: 98, size: { kind: "fraction", fraction: 0.5 }, exits: {} }), {
      initialBalance: 1000, execution: { sizingReference: "fill" },
    });
    expect(entryOf(result)?.quantity).toBeCloseTo(500 / 98, 12);
  });

  it("trails on closes with trailingReference close, on the intrabar peak by default", () => {
    // Long from 100. Bar 1 spikes to 120 and closes 110; bar 2 opens at 111, dips to 110.5, closes 112.5.
    const spike = barsOf("X", [[100, 100, 100, 100], [100, 120, 100, 110], [111, 113, 110.5, 112.5], [112, 113, 104, 105]]);
    const trail: OrderRequest = { side: "buy", size: one, exits: { trailing: { distancePct: 0.05 } } };
    const peak = runOrders(spike, submitAt0(trail));
    // Bar 1's path is 100 → 100 → 120 → 110: the peak 120 puts the trail at 114, and the fall to 110 hits it in bar 1.
    expect(peak.fills[1]).toMatchObject({ reason: "TRAIL", price: 114, timeMs: T0 + HOUR, gap: false });
    const close = runOrders(spike, submitAt0(trail), { execution: { trailingReference: "close" } });
    // Best close 110 (bar 1) → 104.5, not hit by bar 2 (low 110.5); best close 112.5 → 106.875, hit on bar 3's fall.
    expect(close.fills[1]).toMatchObject({ reason: "TRAIL", timeMs: T0 + 3 * HOUR });
    expect(close.fills[1].price).toBeCloseTo(106.875, 12);
  });

  it("never liquidates with liquidation off, and says so", () => {
    const crash = barsOf("X", [[100, 100, 100, 100], [100, 100, 70, 75], [75, 76, 74, 75]]);
    const request: OrderRequest = { side: "buy", size: { kind: "notional", notionalUsd: 1000 }, leverage: 10, exits: {} };
    const on = runOrders(crash, submitAt0(request));
    expect(on.fills[1].reason).toBe("LIQUIDATION");
    const off = runOrders(crash, submitAt0(request), { execution: { liquidation: "off" } });
    expect(off.fills[1]).toMatchObject({ reason: "END", price: 75 });
    expect(off.warnings.join(" ")).toMatch(/liquidation is off/);
    expect(off.counters.execution?.liquidation).toBe("off");
    expectReconciled(off);
  });
});

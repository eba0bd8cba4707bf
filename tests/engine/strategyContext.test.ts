import { describe, expect, it } from "vitest";
import type { BarCloseStrategy, BarSeries, StrategyContext } from "../../engine/index.js";
import { Broker } from "../../engine/broker.js";
import { generateSynthBars } from "../../data/synth.js";
import { checkStreamLookahead, fillEvents, recordingStrategy, type StreamEvent } from "../../strategies/signals/orderLookahead.js";
import { runOrders } from "../fixtures/orders.js";

const SYNTH = generateSynthBars({ symbol: "SYN", bars: 300, seed: 13 });
const one = { kind: "quantity", quantity: 1 } as const;
const API = ["symbol", "params", "position", "orders", "equity", "availableBalance", "submit", "cancel", "close", "setStopLoss", "setTakeProfit", "setTrailing"];

/** The ctx objects a strategy is given over a run (with a position open at some bars). */
function contextsSeen(): StrategyContext[] {
  const seen: StrategyContext[] = [];
  runOrders(SYNTH, (i, ctx) => {
    seen.push(ctx);
    if (i === 5) ctx.submit({ side: "buy", size: one, exits: {} });
  });
  return seen;
}

describe("ctx: a version-2 strategy reaches nothing of the engine through it", () => {
  it("is one frozen object for the whole run, whose own keys are exactly the documented API", () => {
    const seen = contextsSeen();
    expect(new Set(seen).size).toBe(1);
    const ctx = seen[0];
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(Object.keys(ctx).sort()).toEqual([...API].sort());
    expect(Reflect.ownKeys(ctx).sort()).toEqual([...API].sort());
  });

  it("has no bars, exchange, broker prototype or counters to read or write", () => {
    const ctx = contextsSeen()[0] as unknown as Record<string, unknown>;
    for (const key of ["bars", "ex", "strategy", "walker", "resolver", "lastClose", "counters", "resting", "queued", "i", "s"]) {
      expect(key in ctx, key).toBe(false);
    }
    expect(ctx instanceof Broker).toBe(false);
    expect(Object.getPrototypeOf(ctx)).toBeNull();
    expect(() => { "use strict"; ctx.bars = []; }).toThrow(TypeError);
  });

  it("returns frozen position and order snapshots made of plain values", () => {
    let position: unknown = null;
    let orders: unknown = null;
    runOrders(SYNTH, (i, ctx) => {
      if (i === 5) ctx.submit({ side: "buy", size: one, exits: { stopLoss: { pct: 0.05, anchor: "fill" }, takeProfit: { pct: 0.05, anchor: "fill" } } });
      if (i === 8 && ctx.position !== null) {
        position = ctx.position;
        ctx.submit({ side: "sell", size: one, type: "limit", limitPrice: SYNTH.close[i] * 2, exits: {} });
        orders = ctx.orders;
      }
    });
    expect(position).not.toBeNull();
    for (const snapshot of [position, ...(orders as unknown[])]) {
      expect(Object.isFrozen(snapshot)).toBe(true);
      for (const value of Object.values(snapshot as object)) {
        const plain = value === null || typeof value !== "object" || (Array.isArray(value) && Object.isFrozen(value) && value.every((x) => typeof x === "number"));
        expect(plain).toBe(true);
      }
    }
    expect((orders as unknown[]).length).toBe(1);
  });
});

describe("checkStreamLookahead through ctx: a planted leak in what ctx shows is caught", () => {
  /** A test-only runner wrapper that hands the strategy a ctx leaking the next bar's close as `peek`. */
  function leakyCtx(series: BarSeries) {
    return (strategy: BarCloseStrategy): BarCloseStrategy => ({
      onBarClose(s, i, ctx) {
        const leaky = Object.create(ctx, { peek: { value: i + 1 < series.length ? series.close[i + 1] : NaN } }) as StrategyContext;
        strategy.onBarClose(s, i, leaky);
      },
    });
  }

  /** Buys when ctx says the next close is higher, closes when lower: reads nothing but ctx. */
  function trusting(i: number, ctx: StrategyContext, series: BarSeries): void {
    const peek = (ctx as StrategyContext & { peek: number }).peek;
    if (ctx.position === null && peek > series.close[i]) ctx.submit({ side: "buy", size: one, exits: {} });
    else if (ctx.position !== null && peek < series.close[i]) ctx.close();
  }

  const streamThrough = (leak: boolean) => (series: BarSeries): StreamEvent[] => {
    const actions: StreamEvent[] = [];
    const result = runOrders(series, (i, ctx) => trusting(i, ctx, series), {
      wrap: (strategy) => recordingStrategy(leak ? leakyCtx(series)(strategy) : strategy, actions),
    });
    return [...fillEvents(result, series), ...actions].sort((x, y) => x.barIndex - y.barIndex);
  };

  it("flags the strategy when the ctx it is given leaks the next close", () => {
    const report = checkStreamLookahead(streamThrough(true), SYNTH, { cuts: 1000 });
    expect(report.violationCount).toBeGreaterThan(50);
  });

  it("passes the same strategy given the engine's own ctx, which has nothing to leak", () => {
    const report = checkStreamLookahead(streamThrough(false), SYNTH, { cuts: 1000 });
    expect(report.violationCount).toBe(0);
  });
});

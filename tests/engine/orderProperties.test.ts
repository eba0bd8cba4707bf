import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrderRequest, StrategyContext } from "../../engine/index.js";
import { runBacktest } from "../../engine/replay.js";
import { NO_FEES, OPEN_GATES, barsOf, plan } from "../fixtures/bars.js";
import { runOrders } from "../fixtures/orders.js";
import { expectReconciled } from "../fixtures/reconcile.js";

const RUNS = 300;
type Row = [number, number, number, number];

const barRows = fc
  .array(fc.record({ move: fc.double({ min: -0.06, max: 0.06, noNaN: true }), jump: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
    up: fc.double({ min: 0, max: 0.04, noNaN: true }), down: fc.double({ min: 0, max: 0.04, noNaN: true }) }), { minLength: 3, maxLength: 30 })
  .map((steps) => {
    const rows: Row[] = [];
    let last = 100;
    for (const step of steps) {
      const open = last * (1 + step.jump);
      const close = open * (1 + step.move);
      rows.push([open, Math.max(open, close) * (1 + step.up), Math.min(open, close) * (1 - step.down), close]);
      last = close;
    }
    return rows;
  });

/** One action per bar, drawn at random: submit any order type, close (part), move levels, cancel, or nothing. */
const action = fc.oneof(
  fc.record({
    op: fc.constant("submit" as const), side: fc.constantFrom("buy" as const, "sell" as const),
    type: fc.constantFrom("market" as const, "limit" as const, "stop" as const, "stop-limit" as const),
    offset: fc.double({ min: -0.05, max: 0.05, noNaN: true }), offset2: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    size: fc.constantFrom("all-in", "quantity", "fraction", "notional"), leverage: fc.constantFrom(1, 3, 10),
    sl: fc.option(fc.double({ min: 0.005, max: 0.1, noNaN: true })), tp: fc.option(fc.double({ min: 0.005, max: 0.1, noNaN: true })),
    trail: fc.option(fc.double({ min: 0.005, max: 0.1, noNaN: true })), bars: fc.option(fc.integer({ min: 1, max: 4 })),
  }),
  fc.record({ op: fc.constant("close" as const), fraction: fc.constantFrom(0.25, 0.5, 1) }),
  fc.record({ op: fc.constant("stop" as const), offset: fc.double({ min: -0.1, max: 0.1, noNaN: true }) }),
  fc.record({ op: fc.constant("cancel" as const) }),
  fc.constant({ op: "none" as const }),
);

type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

function apply(a: Action, close: number, ctx: StrategyContext): void {
  if (a.op === "submit") {
    const request: OrderRequest = {
      side: a.side, type: a.type,
      ...(a.type === "limit" || a.type === "stop-limit" ? { limitPrice: close * (1 + a.offset) } : {}),
      ...(a.type === "stop" || a.type === "stop-limit" ? { stopPrice: close * (1 + a.offset2) } : {}),
      ...(a.type !== "market" && a.bars !== null ? { timeInForce: { bars: a.bars } } : {}),
      size: a.size === "all-in" ? { kind: "all-in", step: 0.01 } : a.size === "quantity" ? { kind: "quantity", quantity: 3 }
        : a.size === "fraction" ? { kind: "fraction", fraction: 0.3 } : { kind: "notional", notionalUsd: 500 },
      leverage: a.leverage,
      exits: {
        ...(a.sl !== null ? { stopLoss: { pct: a.sl, anchor: "fill" as const } } : {}),
        ...(a.tp !== null ? { takeProfit: [{ level: { pct: a.tp, anchor: "signal" as const }, fraction: 0.5 }, { level: { pct: a.tp * 2, anchor: "fill" as const }, fraction: 0.5 }] } : {}),
        ...(a.trail !== null ? { trailing: { distancePct: a.trail } } : {}),
      },
    };
    ctx.submit(request);
  } else if (a.op === "close") ctx.close(a.fraction);
  else if (a.op === "stop" && ctx.position !== null) ctx.setStopLoss(close * (1 + a.offset));
  else if (a.op === "cancel") ctx.cancel();
}

describe("order streams (properties)", () => {
  it("conserve money to 1e-9 whatever orders a strategy sends, in every path mode and with fees", () => {
    fc.assert(fc.property(barRows, fc.array(action, { minLength: 30, maxLength: 30 }), fc.constantFrom("default", "pessimistic", "optimistic" as const),
      fc.constantFrom("next-open", "signal-close" as const), (rows, actions, mode, fillTiming) => {
        const series = barsOf("X", rows);
        const result = runOrders(series, (i, ctx) => apply(actions[i], series.close[i], ctx), {
          intrabarMode: mode as "default", initialBalance: 10_000, exchange: { takerFeeRate: 0.0005, makerFeeRate: 0.0002, slippageBps: 5 },
          execution: { fillTiming: fillTiming as "next-open" },
        });
        expectReconciled(result);
      }), { numRuns: RUNS });
  });

  it("a strategy that never submits anything gives the same outputs as no strategy", () => {
    fc.assert(fc.property(barRows, (rows) => {
      const series = barsOf("X", rows);
      const silent = runOrders(series, () => {});
      const none = runBacktest({
        data: { bars: [series], funding: new Map(), fingerprint: [] }, signals: { bySymbol: new Map(), stats: {} },
        exchange: NO_FEES, gates: OPEN_GATES, intrabarMode: "default", initialBalance: 100_000, maxLeverage: 100,
        sizeEntry: () => null, planExit: () => plan(),
      });
      expect(silent.fills).toEqual(none.fills);
      expect(silent.trades).toEqual(none.trades);
      expect(silent.account).toEqual(none.account);
      expect(Array.from(silent.equity.equity)).toEqual(Array.from(none.equity.equity));
    }), { numRuns: 100 });
  });
});

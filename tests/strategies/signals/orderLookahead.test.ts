import { describe, expect, it } from "vitest";
import type { BarSeries, StrategyContext } from "../../../engine/index.js";
import { generateSynthBars } from "../../../data/synth.js";
import { checkStreamLookahead, fillEvents, recordingStrategy, type StreamEvent } from "../../../strategies/signals/orderLookahead.js";
import { runOrders } from "../../fixtures/orders.js";

const SYNTH = generateSynthBars({ symbol: "SYN", bars: 300, seed: 13 });
const one = { kind: "quantity", quantity: 1 } as const;

/** Runs `decide(series, i, ctx)` at every close of `series` and returns its order stream (actions, then fills, by bar). */
function streamOf(decide: (series: BarSeries, i: number, ctx: StrategyContext) => void) {
  return (series: BarSeries): StreamEvent[] => {
    const actions: StreamEvent[] = [];
    const result = runOrders(series, (i, ctx) => decide(series, i, ctx), { wrap: (strategy) => recordingStrategy(strategy, actions) });
    return [...fillEvents(result, series), ...actions].sort((x, y) => x.barIndex - y.barIndex);
  };
}

/** Long while the last close rose, flat otherwise; a 2 % stop anchored at the fill. */
function causal(series: BarSeries, i: number, ctx: StrategyContext): void {
  const rising = i > 0 && series.close[i] > series.close[i - 1];
  if (rising && ctx.position === null) ctx.submit({ side: "buy", size: one, exits: { stopLoss: { pct: 0.02, anchor: "fill" } } });
  if (!rising && ctx.position !== null) ctx.close();
}

describe("checkStreamLookahead: a version-2 strategy's order stream must not change when later bars are added", () => {
  it("passes a strategy that reads only bars up to the decision, at every bar", () => {
    const report = checkStreamLookahead(streamOf(causal), SYNTH, { cuts: 1000 });
    expect(report.cutsChecked).toBe(SYNTH.length - 1);
    expect(report.violationCount).toBe(0);
  });

  it("catches a strategy that buys when the next close is higher, at the cut bar itself", () => {
    const leak = (series: BarSeries, i: number, ctx: StrategyContext) => {
      if (ctx.position === null && series.close[i + 1] > series.close[i]) ctx.submit({ side: "buy", size: one, exits: {} });
      else if (ctx.position !== null && series.close[i + 1] < series.close[i]) ctx.close();
    };
    const report = checkStreamLookahead(streamOf(leak), SYNTH, { cuts: 1000 });
    expect(report.violationCount).toBeGreaterThan(50);
    for (const violation of report.violations) {
      expect(violation.barIndex).toBe(violation.cutIndex);
      expect(violation.timeMs).toBe(SYNTH.time[violation.barIndex]);
      expect(violation.full).toMatch(/^(submit\(\{"side":"buy"|close\(\))/);
      expect(violation.truncated).toBeNull();
    }
  });

  it("catches a leak that shows only in the levels of an order (a take-profit at the next bar's high)", () => {
    const leak = (series: BarSeries, i: number, ctx: StrategyContext) => {
      if (ctx.position === null && i % 10 === 0) ctx.submit({ side: "buy", size: one, exits: { takeProfit: { price: series.high[i + 1] ?? series.close[i] * 1.05 } } });
    };
    const report = checkStreamLookahead(streamOf(leak), SYNTH, { cuts: 1000 });
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.violations[0].full).not.toBe(report.violations[0].truncated);
  });
});

describe("recordingStrategy", () => {
  it("logs every ctx action with its bar and leaves the run unchanged", () => {
    const plain = runOrders(SYNTH, (i, ctx) => causal(SYNTH, i, ctx));
    const actions: StreamEvent[] = [];
    const recorded = runOrders(SYNTH, (i, ctx) => causal(SYNTH, i, ctx), { wrap: (strategy) => recordingStrategy(strategy, actions) });
    expect(recorded.fills).toEqual(plain.fills);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions[0].text).toBe('submit({"side":"buy","size":{"kind":"quantity","quantity":1},"exits":{"stopLoss":{"pct":0.02,"anchor":"fill"}}})');
    expect(actions.filter((event) => event.text === "close()").length).toBe(plain.trades.filter((trade) => trade.exitReason === "CLOSE").length);
  });
});

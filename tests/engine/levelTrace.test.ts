import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../data/index.js";
import { LEVEL_STOP, LEVEL_TRAIL, LevelTrace } from "../../engine/levelTrace.js";
import { runConfiguredBacktest } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";
import { SAMPLE_DATA } from "../e2e/sampleRun.js";
import { HOUR, T0, barsOf } from "../fixtures/bars.js";
import { atBars, runOrders } from "../fixtures/orders.js";

describe("the level trace", () => {
  it("keeps every row in order past its initial capacity, grouped by trade", () => {
    const trace = new LevelTrace();
    for (let i = 0; i < 1000; i++) trace.record(i % 3, i * 60_000, i % 2 === 0 ? LEVEL_STOP : LEVEL_TRAIL, 0, 100 + i);
    expect(trace.length).toBe(1000);
    const byTrade = trace.byTrade();
    expect([...byTrade.keys()]).toEqual([0, 1, 2]);
    expect(byTrade.get(1)?.price.slice(0, 3)).toEqual([101, 104, 107]);
    expect(byTrade.get(1)?.kind.slice(0, 2)).toEqual(["trail", "stop"]);
  });

  it("is absent unless the run asks for it, and records each trade's stop from its entry when asked", async () => {
    const config = configSchema.parse({ data: { paths: [SAMPLE_DATA] }, exits: { kind: "ai" } });
    const data = await loadMarketData({ paths: config.data.paths });
    expect(runConfiguredBacktest(config, data).result.levelTrace).toBeUndefined();
    const { result } = runConfiguredBacktest(config, data, {}, null, undefined, undefined, true);
    const byTrade = result.levelTrace?.byTrade();
    expect(byTrade?.size).toBe(result.trades.length);
    for (const trade of result.trades) {
      const levels = byTrade?.get(trade.id);
      expect(levels?.time[0]).toBe(trade.entryTimeMs);
      expect(levels?.kind[0]).toBe("stop");
      expect(levels?.price[0]).toBe(trade.stopLossPrice ?? NaN);
      // A trailing exit fills at the last trail level the trace holds.
      if (trade.exitReason === "TRAIL") {
        const trails = levels?.price.filter((_, i) => levels.kind[i] === "trail") ?? [];
        expect(trails.length).toBeGreaterThan(0);
        const exit = result.fills.filter((fill) => fill.tradeId === trade.id && fill.reason === "TRAIL")[0];
        if (!exit.gap) expect(trails[trails.length - 1]).toBe(exit.price);
      }
    }
  }, 60_000);

  it("records the stop and take-profit a version-2 strategy moves, in force from the next bar", () => {
    // Long from bar 1's open (100), stop 90; at bar 1's close the strategy moves the stop to 98.5 and
    // sets a take-profit at 110; bar 2 (low 98) hits the moved stop.
    const bars = barsOf("X", [[100, 101, 99, 100], [100, 102, 97, 101], [101, 101.5, 98, 99], [99, 100, 98.5, 99.5]]);
    const result = runOrders(bars, atBars({
      0: (ctx) => { ctx.submit({ side: "buy", size: { kind: "quantity", quantity: 1 }, exits: { stopLoss: { price: 90 } } }); },
      1: (ctx) => { ctx.setStopLoss(98.5); ctx.setTakeProfit(110); },
    }), { traceLevels: true });
    const levels = result.levelTrace?.byTrade().get(result.trades[0].id);
    expect(levels?.kind).toEqual(["stop", "stop", "takeProfit"]);
    expect(levels?.price).toEqual([90, 98.5, 110]);
    expect(levels?.time).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 2 * HOUR]);
    expect(result.fills[1]).toMatchObject({ reason: "SL", price: 98.5 });
    expect(runOrders(bars, atBars({ 0: (ctx) => { ctx.submit({ side: "buy", size: { kind: "quantity", quantity: 1 } }); } })).levelTrace).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../data/index.js";
import { LEVEL_STOP, LEVEL_TRAIL, LevelTrace } from "../../engine/levelTrace.js";
import { runConfiguredBacktest } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";
import { SAMPLE_DATA } from "../e2e/sampleRun.js";

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
});

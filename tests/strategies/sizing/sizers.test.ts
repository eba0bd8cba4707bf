import { describe, expect, it } from "vitest";
import type { DecisionContext } from "../../../engine/index.js";
import { runBacktest } from "../../../engine/replay.js";
import type { Trade } from "../../../engine/types.js";
import type { MarketConditions } from "../../../strategies/sizing/mathematician.js";
import { DEFAULT_RL_AGENT_SETTINGS, RlSizingAgent } from "../../../strategies/sizing/rlAgent.js";
import { createMathematicianSizer, createRlSizer, mathematicianDecisionOf } from "../../../strategies/sizing/sizers.js";
import { barsOf, NO_FEES, OPEN_GATES, plan, signalsAt } from "../../fixtures/bars.js";
import { closedTrade } from "./trades.js";

const MARKET: MarketConditions = { atrPct: 0.1, dailyVolatility: 0.06, trendStrength: 0.5, liquidityScore: 1 };
const marketAt = () => MARKET;

function contextWith(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    symbol: "BTCUSDT", symbolIndex: 0, series: barsOf("BTCUSDT", [[100, 101, 99, 100]]), barIndex: 0, decisionTimeMs: 0,
    side: 1, confidence: 0.48, score: NaN, sizeMultiplier: NaN, equity: 10_000, balance: 10_000, availableBalance: 10_000,
    marginUsed: 0, openPositions: 0, maxPositions: 10, closedTrades: [], ...overrides,
  };
}

describe("mathematician sizer for the engine", () => {
  it("gives the §10 margin and leverage and carries the full decision for the exit plan", () => {
    const sizing = createMathematicianSizer(marketAt).sizeEntry(contextWith());
    expect(sizing).toMatchObject({ marginUsd: 8000, leverage: 10 });
    expect(mathematicianDecisionOf(sizing!)?.tpPct).toBeCloseTo(0.04, 12);
    expect(mathematicianDecisionOf({ marginUsd: 1, leverage: 1 })).toBeNull();
  });
  it("scales the margin by the signal's size multiplier and drops a non-positive one", () => {
    const sizer = createMathematicianSizer(marketAt);
    expect(sizer.sizeEntry(contextWith({ sizeMultiplier: 0.5 }))?.marginUsd).toBe(4000);
    expect(sizer.sizeEntry(contextWith({ sizeMultiplier: 0 }))).toBeNull();
  });
  it("reads the history of the signal's symbol, or of the portfolio", () => {
    const losers: Trade[] = Array.from({ length: 12 }, () => closedTrade(-1, { symbol: "ETHUSDT" }));
    expect(createMathematicianSizer(marketAt).sizeEntry(contextWith({ closedTrades: losers }))?.leverage).toBe(10);
    expect(createMathematicianSizer(marketAt, undefined, "portfolio").sizeEntry(contextWith({ closedTrades: losers }))?.leverage).toBe(1);
  });
});

describe("RL sizer in a backtest", () => {
  it("links each trade to its decision and feeds every outcome back to the agent", () => {
    const series = barsOf("BTCUSDT", [
      [100, 101, 99, 100], [100, 104, 99, 103], [103, 104, 100, 101], [101, 102, 96, 97], [97, 99, 96, 98], [98, 99, 97, 98],
    ]);
    const agent = new RlSizingAgent({ ...DEFAULT_RL_AGENT_SETTINGS, explorationRate: 0 }, 5);
    const sizer = createRlSizer(agent, marketAt);
    const result = runBacktest({
      data: { bars: [series], funding: new Map(), fingerprint: [] },
      signals: { bySymbol: new Map([[series.symbol, signalsAt(series.length, { 0: 1, 2: 1, 4: 1 }, 0.48)]]), stats: {} },
      exchange: NO_FEES, gates: OPEN_GATES, intrabarMode: "default", initialBalance: 10_000, maxLeverage: 25,
      sizeEntry: sizer.sizeEntry,
      planExit: () => plan({ maxHoldingBars: 1 }),
    });
    expect(result.trades.map((trade) => trade.decisionId)).toEqual([1, 2, 3]);
    sizer.recordClosedTrades(result.trades);
    expect(agent.pendingDecisions).toBe(0);
    let updates = 0;
    for (let state = 0; state < 300; state++) for (let action = 0; action < agent.layout.count; action++) updates += agent.updateCount(state, action);
    expect(updates).toBe(3);
  });
});

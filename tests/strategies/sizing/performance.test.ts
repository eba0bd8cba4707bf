import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Trade } from "../../../engine/types.js";
import {
  NO_PERFORMANCE, PerformanceTracker, performanceOf, recentMeanReturnPctOf, tradeReturnPct,
} from "../../../strategies/sizing/performance.js";
import { closedTrade } from "./trades.js";

const TRADES: readonly Trade[] = [
  closedTrade(5), // +5 %
  closedTrade(-2), // −2 %
  closedTrade(3, { quantity: 2 }), // +1.5 % of a 200 notional
  closedTrade(0), // neither win nor loss
  closedTrade(10, { symbol: "ETHUSDT" }),
];

describe("performanceOf", () => {
  it("measures a trade's return as net PnL over its notional at entry", () => {
    expect(tradeReturnPct(TRADES[2])).toBeCloseTo(0.015, 12);
  });

  it("summarises the closed trades of one symbol", () => {
    const stats = performanceOf(TRADES, "BTCUSDT");
    const returns = [0.05, -0.02, 0.015, 0];
    const mean = returns.reduce((a, b) => a + b) / 4;
    const deviation = Math.sqrt(returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / 3);
    expect(stats.totalTrades).toBe(4);
    expect(stats.closedWinningTrades).toBe(2);
    expect(stats.closedLosingTrades).toBe(1);
    expect(stats.winRate).toBe(0.5);
    expect(stats.avgWinPct).toBeCloseTo(0.0325, 12);
    expect(stats.avgLossPct).toBeCloseTo(0.02, 12);
    expect(stats.profitFactor).toBeCloseTo(4, 12);
    expect(stats.sharpe).toBeCloseTo(mean / deviation, 12);
  });

  it("summarises the whole portfolio when the symbol is null", () => {
    const stats = performanceOf(TRADES, null);
    expect(stats.totalTrades).toBe(5);
    expect(stats.closedWinningTrades).toBe(3);
    expect(stats.profitFactor).toBeCloseTo(9, 12);
  });

  it("is all zeros without trades, and has an infinite profit factor with wins only", () => {
    expect(performanceOf([], null)).toEqual(NO_PERFORMANCE);
    expect(performanceOf(TRADES, "SOLUSDT")).toEqual(NO_PERFORMANCE);
    expect(performanceOf(TRADES, "ETHUSDT")).toMatchObject({ profitFactor: Infinity, sharpe: 0, winRate: 1, avgLossPct: 0 });
  });

  it("averages the last N closed trades' returns, NaN without any", () => {
    expect(recentMeanReturnPctOf(TRADES, "BTCUSDT", 2)).toBeCloseTo(0.0075, 12);
    expect(recentMeanReturnPctOf(TRADES, null, 10)).toBeCloseTo((0.05 - 0.02 + 0.015 + 0 + 0.1) / 5, 12);
    expect(recentMeanReturnPctOf(TRADES, "SOLUSDT", 10)).toBeNaN();
  });
});

describe("PerformanceTracker", () => {
  const tradeArbitrary = fc.record({
    symbol: fc.constantFrom("BTCUSDT", "ETHUSDT", "SOLUSDT"),
    pnl: fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.constant(0)),
    quantity: fc.double({ min: 0.1, max: 10, noNaN: true }),
  });

  it("matches the batch functions after every appended trade", () => {
    fc.assert(fc.property(fc.array(tradeArbitrary, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (rows, window) => {
      const tracker = new PerformanceTracker(window);
      const trades: Trade[] = [];
      for (const row of rows) {
        trades.push(closedTrade(row.pnl, { symbol: row.symbol, quantity: row.quantity }));
        for (const symbol of [null, "BTCUSDT", "ETHUSDT", "SOLUSDT"]) {
          expect(tracker.performanceOf(trades, symbol)).toEqual(performanceOf(trades, symbol));
          expect(tracker.recentMeanReturnPctOf(trades, symbol)).toEqual(recentMeanReturnPctOf(trades, symbol, window));
        }
      }
    }), { numRuns: 1000 });
  });

  it("reads each trade once however often it is asked, over 20,000 trades", () => {
    const trades: Trade[] = [];
    let reads = 0;
    const counted = new Proxy(trades, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const tracker = new PerformanceTracker();
    for (let i = 0; i < 20_000; i++) {
      trades.push(closedTrade(i % 3 === 0 ? -1 : 2, { symbol: i % 2 === 0 ? "BTCUSDT" : "ETHUSDT" }));
      tracker.performanceOf(counted, "BTCUSDT");
      tracker.recentMeanReturnPctOf(counted, null);
    }
    expect(reads).toBe(20_000);
    expect(tracker.tradesSeen).toBe(20_000);
    expect(tracker.performanceOf(trades, null)).toEqual(performanceOf(trades, null));
  });

  it("starts over when given a shorter list (another run's)", () => {
    const tracker = new PerformanceTracker();
    tracker.update(TRADES);
    expect(tracker.performanceOf(TRADES.slice(0, 2), null)).toEqual(performanceOf(TRADES.slice(0, 2), null));
  });
});

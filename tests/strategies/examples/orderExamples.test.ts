import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../../data/loadMarketData.js";
import { runConfiguredBacktest } from "../../../strategies/buildRun.js";
import { configSchema } from "../../../strategies/config.js";
import { loadUserSignalModule } from "../../../strategies/signals/userModule.js";
import { dynamicStop } from "../../../strategies/examples/dynamicTpSl.js";
import { expectReconciled } from "../../fixtures/reconcile.js";

const ETH = "data/samples/binance-perp-1h/ETHUSDT.csv";

async function runExample(name: string, execution?: Record<string, string>) {
  const file = `strategies/examples/${name}.ts`;
  const config = configSchema.parse({ data: { paths: [ETH] }, signals: { kind: "module", module: file }, ...(execution ? { execution } : {}) });
  const data = await loadMarketData({ paths: config.data.paths });
  const module = await loadUserSignalModule(file);
  return { ...runConfiguredBacktest(config, data, { module }), bars: data.bars[0] };
}

/** SMA(n) of closes ending at bar i, computed here independently of the example. */
function smaAt(close: Float64Array, n: number, i: number): number {
  let sum = 0;
  for (let k = i - n + 1; k <= i; k++) sum += close[k];
  return sum / n;
}

describe("the shipped order examples, their trades checked independently", () => {
  it("SMA cross all-in: every cross reverses at the next open with the whole units the cash buys, fee included", async () => {
    const { result, bars } = await runExample("smaCrossAllIn");
    const crosses: number[] = [];
    for (let i = 30; i < bars.length; i++) {
      const before = smaAt(bars.close, 10, i - 1) - smaAt(bars.close, 30, i - 1);
      const now = smaAt(bars.close, 10, i) - smaAt(bars.close, 30, i);
      if ((before <= 0 && now > 0) || (before >= 0 && now < 0)) crosses.push(i);
    }
    const entries = result.fills.filter((fill) => fill.reason === "ENTRY");
    const signalBars = crosses.filter((i) => i + 1 < bars.length);
    expect(entries.map((fill) => fill.timeMs)).toEqual(signalBars.map((i) => bars.time[i + 1]));
    let balance = 10_000;
    for (const fill of result.fills) {
      if (fill.reason === "ENTRY") {
        expect(fill.price).toBe(bars.open[bars.time.indexOf(fill.timeMs)]);
        const units = Math.floor(balance / (fill.price * (1 + 0.0005)) / 0.001 + 1e-9) / 1000;
        expect(fill.quantity).toBeCloseTo(units, 12);
        expect(fill.liquidity).toBe("taker");
      }
      balance += fill.realizedPnlUsd - fill.feeUsd;
    }
    expect(result.fills.filter((fill) => fill.reason === "CLOSE").length).toBe(entries.length - 1);
    expectReconciled(result);
  });

  it("SL/TP anchored at the signal close: each stop exit fills at 98 % of the close before its entry (or the open on a gap)", async () => {
    const { result, bars } = await runExample("smaCrossSignalAnchored");
    const index = (t: number) => bars.time.indexOf(t);
    let checked = 0;
    for (const trade of result.trades) {
      if (trade.exitReason !== "SL") continue;
      const signalClose = bars.close[index(trade.entryTimeMs) - 1];
      const stop = signalClose * (1 - trade.side * 0.02);
      const exit = index(trade.exitTimeMs);
      const gapped = trade.side * bars.open[exit] < trade.side * stop;
      expect(trade.exitPrice).toBeCloseTo(gapped ? bars.open[exit] : stop, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expectReconciled(result);
  });

  it("the seed's dynamic TP/SL: breakeven after +1 %, then a 1 % trail on closes after +2 %", async () => {
    expect(dynamicStop(100, 100.5, 0.01, 0.02, 0.01)).toBeNull();
    expect(dynamicStop(100, 101.5, 0.01, 0.02, 0.01)).toBe(100);
    expect(dynamicStop(100, 103, 0.01, 0.02, 0.01)).toBeCloseTo(101.97, 12);
    const { result } = await runExample("dynamicTpSl");
    // A stop at or above the entry is a moved stop: those SL exits never lose more than the fees.
    const moved = result.trades.filter((trade) => trade.exitReason === "SL" && trade.exitPrice >= trade.entryPrice);
    expect(moved.length).toBeGreaterThan(0);
    for (const trade of moved) expect(trade.realizedPnlUsd).toBeGreaterThanOrEqual(0);
    expectReconciled(result);
  });

  it("the 3×ATR trailing stop and the stop-limit breakout run on the shipped data and reconcile", async () => {
    const trailing = await runExample("atrTrailingStop");
    expect(trailing.result.trades.every((trade) => trade.exitReason === "SL" || trade.exitReason === "END")).toBe(true);
    expectReconciled(trailing.result);
    const breakout = await runExample("stopLimitBreakout");
    const entries = breakout.result.fills.filter((fill) => fill.reason === "ENTRY");
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((fill) => fill.liquidity === "maker")).toBe(true);
    expect(breakout.result.counters.orders?.expired).toBeGreaterThan(0);
    expectReconciled(breakout.result);
  });
});

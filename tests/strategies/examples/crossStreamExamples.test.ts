import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../../data/loadMarketData.js";
import type { BarSeries } from "../../../engine/index.js";
import { runConfiguredBacktest } from "../../../strategies/buildRun.js";
import { configSchema } from "../../../strategies/config.js";
import { checkModuleLookahead } from "../../../strategies/signals/moduleLookahead.js";
import { loadSignalInputs } from "../../../workflows/backtest.js";
import { expectReconciled } from "../../fixtures/reconcile.js";
import { writeModules } from "../signals/moduleFiles.js";

const ETH = "data/samples/binance-perp-1h/ETHUSDT.csv";
const BTC = "data/samples/binance-perp-1h/BTCUSDT.csv";
const HOUR = 3_600_000;

async function prepared(module: string, paths: string[], params: Record<string, unknown> = {}) {
  const config = configSchema.parse({ data: { paths }, signals: { kind: "module", module, params } });
  const data = await loadMarketData({ paths: config.data.paths });
  const inputs = await loadSignalInputs(config, data);
  return { config, data, inputs, signalsOf: (symbol: string) => inputs.prepared?.signals?.bySymbol.get(symbol) };
}

/** Bars whose signal is not HOLD, with its action. */
function signalled(action: Int8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  action.forEach((value, index) => value !== 0 && out.push([index, value]));
  return out;
}

function smaBefore(series: BarSeries, lastIndex: number, count: number): number {
  let sum = 0;
  for (let k = lastIndex - count + 1; k <= lastIndex; k++) sum += series.close[k];
  return sum / count;
}

describe("the BTC-regime filter on ETH entries", () => {
  it("signals only ETH, and only in the direction of BTC's last closed bar against its 50-bar SMA", async () => {
    const run = await prepared("strategies/examples/btcRegimeFilter.ts", [ETH, BTC]);
    const [eth, btc] = ["ETHUSDT", "BTCUSDT"].map((symbol) => run.data.bars.find((series) => series.symbol === symbol) as BarSeries);
    expect(signalled(run.signalsOf("BTCUSDT")?.action as Int8Array)).toEqual([]);
    const signals = signalled(run.signalsOf("ETHUSDT")?.action as Int8Array);
    expect(signals.length).toBeGreaterThan(10);
    for (const [i, action] of signals) {
      const close = eth.time[i] + HOUR;
      let k = btc.length - 1;
      while (btc.time[k] + HOUR > close) k--;
      expect(Math.sign(btc.close[k] - smaBefore(btc, k, 50))).toBe(action);
    }
    const { result } = runConfiguredBacktest(run.config, run.data, run.inputs);
    expect(result.trades.length).toBeGreaterThan(0);
    expectReconciled(result);
  });
});

describe("the 4h-trend filter on 1h entries", () => {
  it("trades with the last closed 4h bar's trend, computed here from the 1h bars", async () => {
    const run = await prepared("strategies/examples/htfTrendFilter.ts", [ETH]);
    const eth = run.data.bars[0];
    const signals = signalled(run.signalsOf("ETHUSDT")?.action as Int8Array);
    expect(signals.length).toBeGreaterThan(10);
    const FOUR = 4 * HOUR;
    for (const [i, action] of signals) {
      // 4h closes: the close of the last 1h bar of every UTC 4h bucket that ended by bar i's close.
      const closes: number[] = [];
      for (let k = 0; k <= i; k++) {
        if ((eth.time[k] + HOUR) % FOUR === 0 && eth.time[k] - 3 * HOUR >= eth.time[0]) closes.push(eth.close[k]);
      }
      const last = closes.slice(-20);
      const average = last.reduce((sum, value) => sum + value, 0) / 20;
      expect(Math.sign(last[last.length - 1] - average)).toBe(action);
    }
  });
});

describe("the model in the loop", () => {
  it("gives the same signals on every run, and they pass the look-ahead check on both symbols", async () => {
    const first = await prepared("strategies/examples/modelInTheLoop.ts", [BTC, ETH]);
    const second = await prepared("strategies/examples/modelInTheLoop.ts", [BTC, ETH]);
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      const a = first.signalsOf(symbol);
      const b = second.signalsOf(symbol);
      expect(Array.from(a?.action ?? [])).toEqual(Array.from(b?.action ?? []));
      expect(Array.from(a?.confidence ?? [])).toEqual(Array.from(b?.confidence ?? []));
      expect(signalled(a?.action as Int8Array).length).toBeGreaterThan(100);
      const module = first.inputs.module as NonNullable<typeof first.inputs.module>;
      const report = await checkModuleLookahead(module, first.data.bars, symbol, {}, { cuts: 8, seed: 1 });
      expect(report.violationCount).toBe(0);
    }
  });
});

describe("a version-2 module with prepare and another symbol", () => {
  it("sees what prepare left in view.state and BTC's last closed bar while placing orders", async () => {
    const files = writeModules({
      "v2.mjs": `
        export const strategyVersion = 2;
        export const defaultParams = { fraction: 0.1 };
        export async function prepare(series, params, context) { context.state.threshold = 0; }
        export function onBar(view, ctx) {
          if (view.symbol !== "ETHUSDT" || ctx.position !== null || view.index < 2) return;
          const btc = view.other("BTCUSDT");
          if (btc.index >= 1 && btc.close() - btc.close(btc.index - 1) > view.state.threshold) ctx.submit({ side: "buy", size: { kind: "fraction", fraction: ctx.params.fraction }, exits: { stopLoss: { pct: 0.02, anchor: "fill" }, takeProfit: { pct: 0.02, anchor: "fill" } } });
        }`,
    });
    const run = await prepared(files["v2.mjs"], [ETH, BTC], { fraction: 0.1 });
    expect(run.inputs.prepared?.states.get("ETHUSDT")).toEqual({ threshold: 0 });
    const { result } = runConfiguredBacktest(run.config, run.data, run.inputs);
    expect(result.trades.length).toBeGreaterThan(10);
    expect(result.trades.every((trade) => trade.symbol === "ETHUSDT")).toBe(true);
    expectReconciled(result);
  });
});

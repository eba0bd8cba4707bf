import { describe, expect, it } from "vitest";
import type { BarSeries } from "../../../engine/index.js";
import { generateSynthBars } from "../../../data/synth.js";
import type { ModuleContext } from "../../../strategies/signals/moduleContext.js";
import { checkModuleLookahead } from "../../../strategies/signals/moduleLookahead.js";
import { userModuleSignalSetAsync } from "../../../strategies/signals/moduleRun.js";
import { runUserModule, type SignalParams } from "../../../strategies/signals/userModule.js";
import type { BarView } from "../../../strategies/signals/barView.js";
import { barsAtHours, loadedOf, scoreColumns } from "./crossStream.js";
import { thrownBy } from "./series.js";

const ETH = generateSynthBars({ symbol: "ETHUSDT", bars: 120, seed: 3 });
const BTC = generateSynthBars({ symbol: "BTCUSDT", bars: 120, seed: 4 });
const MARKET: readonly BarSeries[] = [ETH, BTC];
const OPTIONS = { cuts: 40, seed: 1 };

/** Score of bar i from the BTC close at an index chosen from the aligned one. */
function scoreFromBtc(pick: (closedIndex: number) => number) {
  return {
    computeSignals(series: BarSeries, _params: SignalParams, context: ModuleContext) {
      const btc = context.other("BTCUSDT");
      return scoreColumns(series.length, (i) => {
        const k = pick(btc.closedIndex[i]);
        return k < 0 || k >= btc.series.length ? NaN : Math.tanh(btc.series.close[k] / 1e6);
      });
    },
  };
}

/** Score of bar i from the 4h close at an index chosen from the aligned one. */
function scoreFromFourHours(pick: (closedIndex: number) => number) {
  return {
    computeSignals(series: BarSeries, _params: SignalParams, context: ModuleContext) {
      const higher = context.timeframe("4h");
      return scoreColumns(series.length, (i) => {
        const k = pick(higher.closedIndex[i]);
        return k < 0 || k >= higher.series.length ? NaN : Math.tanh(higher.series.close[k] / 1e6);
      });
    },
  };
}

async function violations(module: object): Promise<number> {
  return (await checkModuleLookahead(loadedOf(module as never), MARKET, "ETHUSDT", {}, OPTIONS)).violationCount;
}

describe("exitlab lookahead cuts every symbol of the run at the same close", () => {
  it("passes a module that reads the other symbol's last closed bar", async () => {
    expect(await violations(scoreFromBtc((k) => k))).toBe(0);
  });

  it("catches a planted leak through another symbol: the BTC bar after the last closed one", async () => {
    expect(await violations(scoreFromBtc((k) => k + 1))).toBeGreaterThan(0);
  });

  it("passes a module that reads the last closed 4h bar, and catches one reading the 4h bar still forming", async () => {
    expect(await violations(scoreFromFourHours((k) => k))).toBe(0);
    expect(await violations(scoreFromFourHours((k) => k + 1))).toBeGreaterThan(0);
  });

  it("catches a prepare that reads the future (the series' last close) for the signals", async () => {
    const leaky = {
      async prepare(series: BarSeries, _params: SignalParams, context: ModuleContext) {
        context.state.lastClose = series.close[series.length - 1];
      },
      onBar(view: BarView) {
        return { action: view.close() < (view.state.lastClose as number) ? "BUY" : "SELL" };
      },
    };
    expect(await violations(leaky)).toBeGreaterThan(0);
  });

  it("catches a leak through the view's other symbol only if the view lets one through — it does not", async () => {
    const honest = { onBar: (view: BarView) => ({ action: view.other("BTCUSDT").index >= 0 && view.other("BTCUSDT").close() > view.close() ? "BUY" : "HOLD" }) };
    expect(await violations(honest)).toBe(0);
  });
});

describe("a module may be asynchronous", () => {
  it("awaits an async computeSignals and an async prepare whose state the signals read", async () => {
    const module = {
      async prepare(_series: BarSeries, _params: SignalParams, context: ModuleContext) {
        context.state.threshold = await Promise.resolve(100);
      },
      async computeSignals(series: BarSeries, _params: SignalParams, context: ModuleContext) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return Array.from(series.close, (close) => ({ action: close > (context.state.threshold as number) ? "BUY" : "SELL" }));
      },
    };
    const prepared = await userModuleSignalSetAsync(loadedOf(module as never), MARKET);
    const eth = prepared.signals?.bySymbol.get("ETHUSDT");
    expect(Array.from(eth?.action ?? []).slice(0, 5)).toEqual(Array.from(ETH.close.slice(0, 5), (close) => (close > 100 ? 1 : -1)));
    expect(prepared.states.get("BTCUSDT")?.threshold).toBe(100);
  });

  it("gives onBar the state prepare filled as view.state, per symbol", async () => {
    const module = {
      prepare: (series: BarSeries, _params: SignalParams, context: ModuleContext) => void (context.state.symbol = series.symbol),
      onBar: (view: BarView) => ({ action: view.state.symbol === view.symbol ? "BUY" : "SELL" }),
    };
    const prepared = await userModuleSignalSetAsync(loadedOf(module as never), MARKET);
    expect(Array.from(prepared.signals?.bySymbol.get("BTCUSDT")?.action ?? []).every((action) => action === 1)).toBe(true);
  });

  it("names the module, the function and the symbol when prepare throws", async () => {
    const module = { prepare: async () => { throw new Error("model file missing"); }, onBar: () => null };
    await expect(userModuleSignalSetAsync(loadedOf(module as never), MARKET)).rejects.toThrow(/prepare threw for ETHUSDT \(120 bars\): model file missing/);
  });

  it("still refuses an async onBar, and a prepare run outside the async path", () => {
    const asyncBar = { onBar: async () => null };
    expect(thrownBy(() => runUserModule(loadedOf(asyncBar as never), ETH)).message).toMatch(/onBar returned a Promise/);
    const withPrepare = { prepare: () => undefined, onBar: () => null };
    expect(thrownBy(() => runUserModule(loadedOf(withPrepare as never), ETH)).message).toMatch(/exports prepare/);
  });

  it("aligns hand-made bars with gaps the same way in the whole-series context as in the view", async () => {
    const eth = barsAtHours("ETHUSDT", [0, 1, 4, 5, 6], [10, 11, 14, 15, 16]);
    const btc = barsAtHours("BTCUSDT", [1, 2, 3, 6, 7], [201, 202, 203, 206, 207]);
    let seen: number[] = [];
    const module = {
      computeSignals(series: BarSeries, _params: SignalParams, context: ModuleContext) {
        seen = Array.from(context.other("BTCUSDT").closedIndex);
        return scoreColumns(series.length, () => NaN);
      },
    };
    await userModuleSignalSetAsync(loadedOf(module as never), [eth, btc], {}, "ETHUSDT");
    expect(seen).toEqual([-1, 0, 2, 2, 3]);
  });
});

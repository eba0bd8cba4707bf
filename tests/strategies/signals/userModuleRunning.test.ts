import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { StrategyError } from "../../../engine/index.js";
import { generateSynthBars } from "../../../data/synth.js";
import { createBarCursor } from "../../../strategies/signals/barView.js";
import { checkLookahead } from "../../../strategies/signals/lookahead.js";
import { loadUserSignalModule, runUserModule, userModuleSignalSet, type LoadedSignalModule } from "../../../strategies/signals/userModule.js";
import { writeModules } from "./moduleFiles.js";
import { barsFromCloses, signalBars, thrownBy } from "./series.js";

const EXAMPLES = fileURLToPath(new URL("../../../strategies/signals/examples/", import.meta.url));
const SERIES = barsFromCloses([100, 101, 102, 103, 104, 105, 106, 107], "ETHUSDT");

const FILES = writeModules({
  "throwsAtBar5.mjs": "export function onBar(view) { if (view.index === 5) throw new Error('division by zero in my filter'); return null; }\n",
  "computeThrows.mjs": "export function computeSignals() { throw new TypeError('series.closes is undefined'); }\n",
  "unknownAction.mjs": "export function onBar(view) { return view.index === 3 ? { action: 'LONG' } : null; }\n",
  "lowercase.mjs": "export function onBar(view) { return view.index === 2 ? { action: 'buy' } : null; }\n",
  "textConfidence.mjs": "export function onBar(view) { return view.index === 4 ? { action: 'BUY', confidence: 'high' } : { action: 'HOLD' }; }\n",
  "bigConfidence.mjs": "export function computeSignals(series) { return Array.from({ length: series.length }, (_, i) => (i === 6 ? { action: 'SELL', confidence: 1.5 } : null)); }\n",
  "shortList.mjs": "export function computeSignals(series) { return [null]; }\n",
  "badColumn.mjs": "export function computeSignals(series) { const action = new Int8Array(series.length); action[2] = 2; return { action }; }\n",
  "asyncOnBar.mjs": "export async function onBar() { return null; }\n",
  "peeks.mjs": "export function onBar(view) { return view.close(view.index + 1) > view.close() ? { action: 'BUY' } : null; }\n",
  "hidesPeek.mjs": "export function onBar(view) { let next; try { next = view.close(view.index + 1); } catch { next = view.close(); } return next > view.close() ? { action: 'BUY' } : null; }\n",
  "mutates.mjs": "export function computeSignals(series) { series.close.fill(0); return { action: new Int8Array(series.length) }; }\n",
  "counts.mjs": "export const defaultParams = { every: 2, confidence: 0.7 };\nexport function onBar(view, params) { view.state.seen = (view.state.seen ?? 0) + 1; return view.state.seen % params.every === 0 ? { action: 'BUY', confidence: params.confidence, sizeMultiplier: 0.5 } : null; }\n",
});

const load = (name: keyof typeof FILES) => loadUserSignalModule(FILES[name]);

function runError(loaded: LoadedSignalModule): StrategyError {
  const error = thrownBy(() => runUserModule(loaded, SERIES));
  expect(error).toBeInstanceOf(StrategyError);
  expect((error as StrategyError).where).toBe(loaded.file);
  return error as StrategyError;
}

describe("runUserModule", () => {
  it("reports an exception thrown by onBar with the file, the symbol, the bar index and its time, keeping the original as the cause", async () => {
    const error = runError(await load("throwsAtBar5.mjs"));
    expect(error.message).toBe("onBar threw at ETHUSDT bar 5 (2024-01-01T05:00:00.000Z): division by zero in my filter");
    expect(error.oneLine()).toContain(FILES["throwsAtBar5.mjs"]);
    expect((error.cause as Error).message).toBe("division by zero in my filter");
  });

  it("reports an exception thrown by computeSignals with the file and the symbol", async () => {
    const error = runError(await load("computeThrows.mjs"));
    expect(error.message).toBe("computeSignals threw for ETHUSDT (8 bars): series.closes is undefined");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("rejects an unknown action, naming the bar", async () => {
    expect(runError(await load("unknownAction.mjs")).message)
      .toBe('onBar returned an invalid signal for ETHUSDT bar 3 (2024-01-01T03:00:00.000Z): action must be "BUY", "SELL" or "HOLD", got "LONG"');
  });

  it("suggests the upper-case action for a lower-case one", async () => {
    expect(runError(await load("lowercase.mjs")).message).toContain('got "buy" (did you mean "BUY"?)');
  });

  it("rejects a confidence that is not a number, or outside 0..1", async () => {
    expect(runError(await load("textConfidence.mjs")).message).toContain('bar 4 (2024-01-01T04:00:00.000Z): confidence must be a finite number, got "high"');
    expect(runError(await load("bigConfidence.mjs")).message).toContain("bar 6 (2024-01-01T06:00:00.000Z): confidence must be in [0, 1], got 1.5");
  });

  it("rejects a signal list of the wrong length and a column with an action other than 1, -1, 0", async () => {
    expect(runError(await load("shortList.mjs")).message).toContain("returned 1 signals for 8 bars");
    expect(runError(await load("badColumn.mjs")).message).toContain("bar 2 (2024-01-01T02:00:00.000Z): action must be 1 (BUY), -1 (SELL) or 0 (HOLD), got 2");
  });

  it("rejects an async onBar instead of reading a Promise as a signal", async () => {
    const error = runError(await load("asyncOnBar.mjs"));
    expect(error.message).toBe("onBar returned a Promise for ETHUSDT");
    expect(error.hint).toContain("must be synchronous");
  });

  it("fails an onBar that reads the next bar, and one that catches that error and carries on", async () => {
    expect(runError(await load("peeks.mjs")).message).toBe(
      "onBar threw at ETHUSDT bar 0 (2024-01-01T00:00:00.000Z): look-ahead: close(1) read at ETHUSDT bar 0 (2024-01-01T00:00:00.000Z); a strategy sees bars 0..0 only",
    );
    expect(runError(await load("hidesPeek.mjs")).message).toContain("caught its own look-ahead error: look-ahead: close(1) read at ETHUSDT bar 0");
  });

  it("gives computeSignals a copy of the bars, so writing into them cannot change the run's data", async () => {
    runUserModule(await load("mutates.mjs"), SERIES);
    expect(SERIES.close[0]).toBe(100);
  });

  it("merges the run's params over defaultParams and keeps view.state per symbol", async () => {
    const loaded = await load("counts.mjs");
    const signals = runUserModule(loaded, SERIES);
    expect(signalBars(signals.action)).toEqual([[1, 1], [3, 1], [5, 1], [7, 1]]);
    expect(signals.confidence[1]).toBe(0.7);
    expect(signals.sizeMultiplier[1]).toBe(0.5);
    expect(signals.score[1]).toBeNaN();
    const overridden = userModuleSignalSet(loaded, [SERIES, barsFromCloses([1, 2, 3], "BTCUSDT")], { every: 3 });
    expect(signalBars(overridden.bySymbol.get("ETHUSDT")!.action)).toEqual([[2, 1], [5, 1]]);
    expect(signalBars(overridden.bySymbol.get("BTCUSDT")!.action)).toEqual([[2, 1]]);
  });
});

describe("the bar view of onBar", () => {
  const cursor = createBarCursor(SERIES);
  cursor.moveTo(3);
  const view = cursor.view;

  it("shows bars up to and including the current one", () => {
    expect(view.index).toBe(3);
    expect(view.close()).toBe(103);
    expect(view.close(0)).toBe(100);
    expect(view.time()).toBe(SERIES.time[3]);
    expect(Array.from(view.history("close", 2))).toEqual([102, 103]);
    expect(Array.from(view.history("close", 10))).toEqual([100, 101, 102, 103]);
  });

  it("throws a StrategyError naming the symbol and the bar when asked for the next bar", () => {
    const error = thrownBy(() => view.close(view.index + 1));
    expect(error).toBeInstanceOf(StrategyError);
    expect(error.message).toBe("look-ahead: close(4) read at ETHUSDT bar 3 (2024-01-01T03:00:00.000Z); a strategy sees bars 0..3 only");
    expect(cursor.takeLookAhead()).toBe(error);
    expect(cursor.takeLookAhead()).toBeNull();
  });

  it("refuses bars that do not exist", () => {
    expect(thrownBy(() => view.high(-1)).message).toContain("no such bar");
    expect(thrownBy(() => view.low(1.5)).message).toContain("no such bar");
  });

  it("exposes no arrays through which later bars could be reached", () => {
    const reachable = Object.values(view).filter((value) => ArrayBuffer.isView(value));
    expect(reachable).toEqual([]);
    const copy = view.history("close", 2);
    copy[1] = 0;
    expect(view.close()).toBe(103);
    expect(copy.buffer).not.toBe(SERIES.close.buffer);
  });
});

describe("the example modules", () => {
  /*
   * breakout with lookback 3, fullStrength 1: four flat bars (high 101, low 99), then a close
   * at 102 — 1 above the channel's 101, channel width 2 → strength 0.5, confidence 0.75.
   */
  it("breakout buys the bar whose close leaves the channel", async () => {
    const loaded = await loadUserSignalModule("breakout.mjs", EXAMPLES);
    const series = barsFromCloses([100, 100, 100, 100, 102]);
    const signals = runUserModule(loaded, series, { lookback: 3, fullStrength: 1 });
    expect(signalBars(signals.action)).toEqual([[4, 1]]);
    expect(signals.confidence[4]).toBeCloseTo(0.75, 12);
  });

  /* smaCross with SMA(2) over SMA(3): closes 10, 10, 10, 13 → 11.5 > 11 at bar 3; strength 0.5 / 13 / 0.05. */
  it("smaCross buys the bar the fast average closes above the slow one", async () => {
    const loaded = await loadUserSignalModule("smaCross.mjs", EXAMPLES);
    const signals = runUserModule(loaded, barsFromCloses([10, 10, 10, 13]), { fast: 2, slow: 3, fullStrengthPct: 0.05 });
    expect(signalBars(signals.action)).toEqual([[3, 1]]);
    expect(signals.confidence[3]).toBeCloseTo(0.5 + 0.5 * (0.5 / 13 / 0.05), 12);
  });

  it.each(["breakout.mjs", "smaCross.mjs"])("%s signals on synthetic bars and passes the look-ahead check", async (file) => {
    const loaded = await loadUserSignalModule(file, EXAMPLES);
    const series = generateSynthBars({ symbol: "SYN", bars: 2000, seed: 4 });
    expect(runUserModule(loaded, series).action.some((action) => action !== 0)).toBe(true);
    expect(checkLookahead((truncated) => runUserModule(loaded, truncated), series, { cuts: 40 }).violations).toEqual([]);
  });
});

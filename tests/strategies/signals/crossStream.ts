import type { BarSeries, SignalColumns } from "../../../engine/index.js";
import type { LoadedSignalModule, SignalModule } from "../../../strategies/signals/userModule.js";
import { emptySignalColumns } from "../../../strategies/signals/signalColumns.js";
import { HOUR, T0 } from "../../fixtures/bars.js";

/** Bars opening at T0 + the given hours, close = the given value, open = high = low = close. */
export function barsAtHours(symbol: string, hours: readonly number[], closes: readonly number[], timeframeMs = HOUR): BarSeries {
  const time = Float64Array.from(hours, (hour) => T0 + hour * HOUR);
  const close = Float64Array.from(closes);
  return {
    symbol, timeframeMs, length: hours.length, time, open: close.slice(), high: close.slice(), low: close.slice(), close, volume: new Float64Array(hours.length).fill(1),
  };
}

/** A module as loaded from a file, without the file. */
export function loadedOf(module: SignalModule, kind: LoadedSignalModule["kind"] = module.computeSignals ? "computeSignals" : "onBar"): LoadedSignalModule {
  return { file: "planted.mjs", kind, module, defaultParams: {} };
}

/** Columns with `score` set from a function of the bar index (action stays HOLD). */
export function scoreColumns(length: number, score: (i: number) => number): SignalColumns {
  const columns = emptySignalColumns(length);
  for (let i = 0; i < length; i++) columns.score[i] = score(i);
  return columns;
}

import { runBacktest, type BarSeries, type MarketData } from "../engine/index.js";
import { buildRunInput } from "./buildRun.js";
import type { RunConfig } from "./config.js";
import { fillEvents, recordingStrategy, type StreamEvent } from "./signals/orderLookahead.js";
import type { LoadedSignalModule } from "./signals/userModule.js";
import { marketAt } from "./signals/moduleLookahead.js";

/**
 * The order stream of a version-2 strategy replayed alone on `series` with the run's
 * configuration: its `ctx` actions and its fills (END left out), by bar — at each bar the
 * fills of the bar first, then the actions taken at its close. What `exitlab lookahead`
 * compares between the full and the truncated series. `states`: by symbol, what the module's
 * `prepare` left (none: a fresh `view.state`).
 */
export function orderStreamOf(
  config: RunConfig, data: MarketData, module: LoadedSignalModule, series: BarSeries, market?: readonly BarSeries[],
  states: ReadonlyMap<string, Record<string, unknown>> = new Map(),
): StreamEvent[] {
  const detail = data.detail?.get(series.symbol);
  const alone: MarketData = {
    bars: [series], funding: data.funding, fingerprint: [],
    ...(detail === undefined ? {} : { detail: new Map([[series.symbol, detail]]) }),
  };
  // `market`: every stream the views reach (other symbols, informative bars), cut at the last bar's close like the series.
  // `states`: what the module's prepare left for this series (run on `marketAtEndOf(series, market)`).
  const prepared = market === undefined ? undefined : { states, market: marketAtEndOf(series, market) };
  const { input } = buildRunInput(config, alone, { bySymbol: new Map(), stats: {} }, null, module, prepared);
  const actions: StreamEvent[] = [];
  if (input.strategy === undefined) throw new Error("orderStreamOf: not a version-2 module");
  const result = runBacktest({ ...input, strategy: recordingStrategy(input.strategy, actions) });
  const fills = fillEvents(result, series);
  const stream: StreamEvent[] = [];
  let k = 0;
  for (const action of actions) {
    while (k < fills.length && fills[k].barIndex <= action.barIndex) stream.push(fills[k++]);
    stream.push(action);
  }
  while (k < fills.length) stream.push(fills[k++]);
  return stream;
}

/** Every stream of `market` cut at the close of `series`'s last bar, `series` itself standing for its own stream. */
export function marketAtEndOf(series: BarSeries, market: readonly BarSeries[]): BarSeries[] {
  return marketAt(market, series.time[series.length - 1] + series.timeframeMs)
    .map((other) => (other.symbol === series.symbol && other.timeframeMs === series.timeframeMs ? series : other));
}

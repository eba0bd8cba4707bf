import type { BarSeries, SignalColumns } from "../../engine/index.js";
import { lastClosedIndex } from "./causalViews.js";
import { checkColumns, chooseCuts, compareCut, truncateSeries, type LookaheadReport, type LookaheadViolation } from "./lookahead.js";
import { userModuleSignalSetAsync } from "./moduleRun.js";
import type { LoadedSignalModule, SignalParams } from "./userModule.js";

/** The run's bars as known at `closeMs`: each series cut after its last bar closed by then (zero-copy). */
export function marketAt(bars: readonly BarSeries[], closeMs: number): BarSeries[] {
  return bars.map((series) => truncateSeries(series, lastClosedIndex(series, closeMs)));
}

export interface ModuleLookaheadOptions {
  readonly cuts: number;
  readonly seed: number;
  readonly maxViolations?: number;
}

/**
 * `checkLookahead` for a strategy module over a whole run: at each cut of `symbol` (its bar
 * closing at C), every symbol of the run is cut at C too, and the module runs again —
 * `prepare`, an async `computeSignals` or `onBar` with its views of other symbols and higher
 * timeframes. A value of bars 0..cut that changes read something not known at C: through
 * another symbol, a higher bar not yet closed, or `prepare` reading the future.
 */
export async function checkModuleLookahead(
  loaded: LoadedSignalModule, bars: readonly BarSeries[], symbol: string, params: SignalParams, options: ModuleLookaheadOptions,
): Promise<LookaheadReport> {
  const series = bars.find((candidate) => candidate.symbol === symbol) as BarSeries;
  const run = async (market: readonly BarSeries[], own: BarSeries): Promise<SignalColumns> => {
    const prepared = await userModuleSignalSetAsync(loaded, market, params, symbol);
    return checkColumns(prepared.signals?.bySymbol.get(symbol) as SignalColumns, own);
  };
  const maxViolations = options.maxViolations ?? 1000;
  const full = await run(bars, series);
  const cutIndexes = chooseCuts(series.length, options.cuts, 0, options.seed);
  const violations: LookaheadViolation[] = [];
  let violationCount = 0;
  for (const cutIndex of cutIndexes) {
    const market = marketAt(bars, series.time[cutIndex] + series.timeframeMs);
    const own = market[bars.indexOf(series)];
    violationCount += compareCut(series, cutIndex, full, await run(market, own), violations, maxViolations);
  }
  return { cutsChecked: cutIndexes.length, cutIndexes, violationCount, violations };
}

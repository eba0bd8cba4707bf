import { loadMarketData } from "../data/index.js";
import { ConfigError, type BarSeries } from "../engine/index.js";
import type { RunConfig } from "../strategies/config.js";
import { locateSample } from "./packageInfo.js";

/**
 * The bars of `data.informative` (freqtrade's informative pairs): files or folders of other
 * timeframes or symbols, each loaded as a data set of its own (one timeframe per path) and not
 * traded. A strategy module reads them through `view.other(symbol, timeframe)`, aligned by
 * close time like the run's own symbols. A series that repeats a run's symbol at the run's
 * timeframe is an error (which of the two would the module see?).
 */
export async function loadInformative(config: RunConfig, bars: readonly BarSeries[]): Promise<BarSeries[]> {
  const informative: BarSeries[] = [];
  for (const path of config.data.informative) {
    const loaded = await loadMarketData({ paths: [locateSample(path)] });
    for (const series of loaded.bars) {
      const clash = [...bars, ...informative].find((other) => other.symbol === series.symbol && other.timeframeMs === series.timeframeMs);
      if (clash !== undefined) {
        throw new ConfigError(
          `${series.symbol} at ${series.timeframeMs / 60_000}-minute bars is given twice (${path} and ${bars.includes(clash) ? "the run's data" : "an earlier informative path"})`,
          "data.informative (--informative)", "give each symbol and timeframe once; the run's own symbols are visible to the module already",
        );
      }
      informative.push(series);
    }
  }
  return informative;
}

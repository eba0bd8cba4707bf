import { dataWindowOf } from "../data/dataWindow.js";
import { loadMarketData } from "../data/index.js";
import { ConfigError, type BarSeries, type MarketData, type SignalColumns } from "../engine/index.js";
import { buildSignals } from "../strategies/buildRun.js";
import type { RunConfig } from "../strategies/config.js";
import { checkLookahead, type LookaheadReport } from "../strategies/signals/lookahead.js";
import { checkStreamLookaheadAsync, type StreamLookaheadReport } from "../strategies/signals/orderLookahead.js";
import { marketAtEndOf, orderStreamOf } from "../strategies/orderStream.js";
import { userModuleSignalSetAsync } from "../strategies/signals/moduleRun.js";
import { checkModuleParams } from "../strategies/warnings/signalWarnings.js";
import { predictionTiming, type PredictionTimingReport } from "../strategies/signals/predictionTiming.js";
import { checkModuleLookahead } from "../strategies/signals/moduleLookahead.js";
import { loadSignalInputs } from "./backtest.js";
import { loadInformative } from "./informative.js";
import { locateSample } from "./packageInfo.js";

/**
 * Look-ahead check: re-runs the configured signal source on the data truncated at many points
 * and reports every signal that changes when later bars are added (SPEC §1 step 6). A
 * predictions file cannot be cut (its rows are fixed): it gets a timing report instead. A
 * version-2 strategy has no signal columns: its order stream (ctx actions and fills, by bar)
 * is compared instead (strategies/signals/orderLookahead.ts).
 */

export interface LookaheadSymbol {
  readonly series: BarSeries;
  readonly report: LookaheadReport;
  /** Bars that can be cut after (every bar but the last). */
  readonly candidates: number;
}

export type LookaheadOutcome =
  | {
    readonly kind: "cuts";
    readonly config: RunConfig;
    /** The cut points asked for per symbol; null: every bar. */
    readonly asked: number | null;
    readonly symbols: readonly LookaheadSymbol[];
    /** Signal values that changed, over all symbols: 0 means no look-ahead was found. */
    readonly violationCount: number;
  }
  | {
    readonly kind: "orders";
    readonly config: RunConfig;
    readonly asked: number | null;
    readonly symbols: readonly { readonly series: BarSeries; readonly report: StreamLookaheadReport; readonly candidates: number }[];
    /** Cut points at which the order stream changed, over all symbols. */
    readonly violationCount: number;
  }
  | { readonly kind: "predictions"; readonly config: RunConfig; readonly file: string; readonly timing: PredictionTimingReport };

export interface LookaheadOptions {
  /** Cut points per symbol (at most the bars that can be cut); default every bar. */
  readonly cuts?: number | null;
  readonly data?: MarketData;
  /** How a bad `cuts` is named in its error (the CLI's `--cuts`). */
  readonly cutsLabel?: string;
}

export async function runLookaheadCheck(config: RunConfig, options: LookaheadOptions = {}): Promise<LookaheadOutcome> {
  const data = options.data ?? await loadMarketData({ paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding, window: dataWindowOf(config.data) });
  const inputs = await loadSignalInputs(config);
  if (config.signals.kind === "predictions" && inputs.predictions !== undefined) {
    return { kind: "predictions", config, file: config.signals.file, timing: predictionTiming(inputs.predictions, data.bars, config.signals.symbolMap) };
  }
  const asked = options.cuts ?? null;
  if (asked !== null && !(Number.isInteger(asked) && asked >= 1)) throw new ConfigError(`${asked} is not a whole number ≥ 1`, options.cutsLabel ?? "cuts");
  // A cut after every bar but the last: more cut points than that would repeat them.
  const cutsFor = (series: BarSeries) => {
    const candidates = Math.max(series.length - 1, 0);
    return { candidates, cuts: asked === null ? Math.max(candidates, 1) : Math.min(asked, Math.max(candidates, 1)) };
  };
  const module = inputs.module;
  if (module?.kind === "orders") {
    if (config.signals.kind === "module") checkModuleParams(module.defaultParams, config.signals.params, module.file);
    const market = [...data.bars, ...await loadInformative(config, data.bars)];
    const params = config.signals.kind === "module" ? config.signals.params : {};
    // Each cut runs the module's async prepare again on every stream cut at the same close, then replays.
    const streamOf = async (view: BarSeries) => {
      const cut = marketAtEndOf(view, market);
      const { states } = await userModuleSignalSetAsync(module, [view], params, undefined, cut);
      return orderStreamOf(config, data, module, view, market, states);
    };
    const symbols = [];
    for (const series of data.bars) {
      const { candidates, cuts } = cutsFor(series);
      symbols.push({ series, candidates, report: await checkStreamLookaheadAsync(streamOf, series, { cuts, seed: config.seed }) });
    }
    return { kind: "orders", config, asked, symbols, violationCount: symbols.reduce((sum, { report }) => sum + report.violationCount, 0) };
  }
  if (module !== undefined && config.signals.kind === "module") {
    // A module may read other symbols, higher timeframes and run an async prepare: the whole run is cut at each close.
    checkModuleParams(module.defaultParams, config.signals.params, module.file);
    const market = [...data.bars, ...await loadInformative(config, data.bars)];
    const symbols: LookaheadSymbol[] = [];
    for (const series of data.bars) {
      const { candidates, cuts } = cutsFor(series);
      symbols.push({ series, candidates, report: await checkModuleLookahead(module, market, series.symbol, config.signals.params, { cuts, seed: config.seed }) });
    }
    return { kind: "cuts", config, asked, symbols, violationCount: symbols.reduce((sum, { report }) => sum + report.violationCount, 0) };
  }
  const symbols = data.bars.map((series) => {
    const { candidates, cuts } = cutsFor(series);
    const compute = (view: BarSeries): SignalColumns => {
      const signals = buildSignals(config, { bars: [view], funding: new Map(), fingerprint: [] }, inputs);
      return signals.bySymbol.get(view.symbol) as SignalColumns;
    };
    return { series, candidates, report: checkLookahead(compute, series, { cuts, seed: config.seed }) };
  });
  return { kind: "cuts", config, asked, symbols, violationCount: symbols.reduce((sum, { report }) => sum + report.violationCount, 0) };
}

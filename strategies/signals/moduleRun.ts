import type { BarSeries, SignalColumns, SignalSet } from "../../engine/index.js";
import { CALLED_COMPUTE_SIGNALS, CALLED_PREPARE, SITE_BAR, SITE_FUNCTION, SITE_SYMBOL, callSite, callSiteSymbols } from "./callSite.js";
import { copyOf, createModuleContext } from "./moduleContext.js";
import {
  checkComputed, messageOf, runOnBar, userCodeFailed, type LoadedSignalModule, type SignalModule, type SignalParams,
} from "./userModule.js";

/** A module run before the replay: its signals (none for a version-2 module) and each symbol's `state` after `prepare`. */
export interface PreparedModule {
  readonly signals: SignalSet | null;
  /** By symbol: the object `prepare` filled, shown as `view.state` during the replay. */
  readonly states: ReadonlyMap<string, Record<string, unknown>>;
  /** Every stream the module's views reach: the run's bars, then supplied informative series. */
  readonly market: readonly BarSeries[];
}

/**
 * Runs a module over every symbol, awaiting what may be async: `prepare` (once per symbol,
 * before anything else of that symbol) and `computeSignals`. Symbols run one after another,
 * in data order, so a model server sees the same calls on every run (`only`: one symbol,
 * still seeing the others). Errors name the file,
 * the function and the symbol.
 */
export async function userModuleSignalSetAsync(
  loaded: LoadedSignalModule, bars: readonly BarSeries[], params: SignalParams = {}, only?: string, market: readonly BarSeries[] = bars,
): Promise<PreparedModule> {
  const merged = Object.freeze({ ...loaded.defaultParams, ...params });
  const states = new Map<string, Record<string, unknown>>();
  const bySymbol = new Map<string, SignalColumns>();
  // Symbol indexes of the call sites (callSite.ts) are positions in the market: the run's bars first.
  callSiteSymbols(market.map((series) => series.symbol));
  for (const series of bars) {
    if (only !== undefined && series.symbol !== only) continue;
    const state: Record<string, unknown> = {};
    states.set(series.symbol, state);
    const context = createModuleContext(series, market, state);
    if (loaded.module.prepare !== undefined) {
      await callUser(loaded, "prepare", series, market, () => loaded.module.prepare?.call(loaded.module, copyOf(series), merged, context));
    }
    if (loaded.kind === "orders") continue;
    if (loaded.kind === "onBar") {
      bySymbol.set(series.symbol, runOnBar(loaded, series, merged, market, state));
      continue;
    }
    const compute = loaded.module.computeSignals as NonNullable<SignalModule["computeSignals"]>;
    const result = await callUser(loaded, "computeSignals", series, market, () => compute.call(loaded.module, copyOf(series), merged, context));
    bySymbol.set(series.symbol, checkComputed(loaded, series, result));
  }
  return { signals: loaded.kind === "orders" ? null : { bySymbol, stats: {} }, states, market };
}

async function callUser(loaded: LoadedSignalModule, name: "prepare" | "computeSignals", series: BarSeries, market: readonly BarSeries[], call: () => unknown): Promise<unknown> {
  const site = callSite();
  site[SITE_SYMBOL] = Math.max(0, market.indexOf(series));
  site[SITE_BAR] = -1;
  site[SITE_FUNCTION] = name === "prepare" ? CALLED_PREPARE : CALLED_COMPUTE_SIGNALS;
  try {
    return await call();
  } catch (error) {
    throw userCodeFailed(loaded, `${name} threw for ${series.symbol} (${series.length} bars): ${messageOf(error)}`, error);
  } finally {
    site[SITE_FUNCTION] = 0;
  }
}

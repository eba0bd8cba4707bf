/**
 * Everything the replayer needs from disk (SPEC §2): bars per symbol, optional funding
 * history and optional lower-timeframe detail bars, with their fingerprints (SPEC §7).
 * Symbols come out sorted by name so that runs are deterministic whatever the folder order.
 */

import { resolve } from "node:path";
import type { BarSeries, FundingSeries, MarketData, SourceFingerprint } from "../engine/types.js";
import { DataError } from "../engine/errors.js";
import type { MarketDataCacheOptions } from "./cacheStore.js";
import {
  loadBarFilesCached,
  loadFundingFilesCached,
  summariseCacheOutcomes,
  type CachedSourceOutcome,
  type CacheReport,
} from "./loadCached.js";
import {
  assertUniqueSymbols,
  compareCodeUnits,
  resolveBarPaths,
  resolveFundingPaths,
  type SymbolFiles,
} from "./resolveDataPaths.js";
import { formatDurationMs, formatTimeMs } from "./timeParsing.js";
import { applyDataWindow, assertResamplable, type DataWarning, type DataWindow } from "./dataWindow.js";

export interface MarketDataPaths {
  /** Bar sources: `SYMBOL=path`, a file, or a folder (see resolveDataPaths.ts). */
  readonly paths: readonly string[];
  /** Funding files or folders of them; added to any `funding/` subfolder of `paths`. */
  readonly fundingPaths?: readonly string[];
  /** Lower-timeframe bar sources, same forms as `paths`; added to any `detail/` subfolder. */
  readonly detailPaths?: readonly string[];
  /** Mark-price bar sources, same forms as `paths`; added to any `mark/` subfolder. */
  readonly markPaths?: readonly string[];
  /**
   * Columnar cache of parsed sources (see loadCached.ts). Absent or null: every CSV is
   * parsed, nothing is written; the CLI turns it on.
   */
  readonly cache?: MarketDataCacheOptions | null;
  /** Time range and resampling (`data.from`, `data.to`, `data.timeframe`; see dataWindow.ts); absent: all bars as loaded. */
  readonly window?: DataWindow | null;
}

/** MarketData with what loading it ignored or changed, for the run's warnings (stderr, summary.json). */
export interface LoadedMarketData extends MarketData {
  readonly warnings?: readonly DataWarning[];
}

export interface MarketDataWithCacheReport {
  readonly data: MarketData;
  readonly cache: CacheReport;
}

export async function loadMarketData(request: MarketDataPaths): Promise<MarketData> {
  return (await loadMarketDataWithCacheReport(request)).data;
}

/** Drops a source whose symbol and files equal an earlier one's (the same data given twice). */
function withoutRepeatedFiles(sources: readonly SymbolFiles[]): SymbolFiles[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = JSON.stringify([source.symbol, source.files.map((file) => resolve(file))]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** loadMarketData, also saying which sources came from the cache. */
export async function loadMarketDataWithCacheReport(request: MarketDataPaths): Promise<MarketDataWithCacheReport> {
  if (request.paths.length === 0) {
    throw new DataError("no bar data given", null, "pass at least one CSV file or folder of CSV files");
  }
  const main = await resolveBarPaths(request.paths, true);
  const extraFunding = await resolveFundingPaths(request.fundingPaths ?? []);
  const extraDetail = (await resolveBarPaths(request.detailPaths ?? [], false)).bars;
  const extraMark = (await resolveBarPaths(request.markPaths ?? [], false)).bars;
  const barSources = sortBySymbol(main.bars);
  // A data folder's funding/ and detail/ side folders are read with it; naming the same files
  // again with --funding or --detail-data is the same data, not a conflict.
  const fundingSources = sortBySymbol(withoutRepeatedFiles([...main.funding, ...extraFunding]));
  const detailSources = sortBySymbol(withoutRepeatedFiles([...main.detail, ...extraDetail]));
  const markSources = sortBySymbol(withoutRepeatedFiles([...main.mark, ...extraMark]));
  assertUniqueSymbols(barSources, "bars");
  assertUniqueSymbols(fundingSources, "funding rates");
  assertUniqueSymbols(detailSources, "detail bars");
  assertUniqueSymbols(markSources, "mark-price bars");

  const barSymbols = new Set(barSources.map((source) => source.symbol));
  assertAllKnown(fundingSources, barSymbols, "funding");
  assertAllKnown(detailSources, barSymbols, "detail bars");
  assertAllKnown(markSources, barSymbols, "mark-price bars");

  const cache = request.cache ?? null;
  const outcomes: CachedSourceOutcome[] = [];
  const fingerprint: SourceFingerprint[] = [];
  const bars: BarSeries[] = [];
  for (const source of barSources) {
    const { loaded, outcome, damage } = await loadBarFilesCached(source.files, source.symbol, "bars", cache);
    bars.push(loaded.series);
    fingerprint.push(loaded.fingerprint);
    outcomes.push({ symbol: source.symbol, kind: "bars", outcome, damage });
  }
  assertOneTimeframe(bars, barSources);

  const funding = new Map<string, FundingSeries>();
  for (const source of fundingSources) {
    const { loaded, outcome, damage } = await loadFundingFilesCached(source.files, source.symbol, cache);
    funding.set(source.symbol, loaded.series);
    fingerprint.push(loaded.fingerprint);
    outcomes.push({ symbol: source.symbol, kind: "funding", outcome, damage });
  }

  const detail = new Map<string, BarSeries>();
  const window = request.window ?? null;
  if (window?.timeframeMs != null) assertResamplable(bars[0], window.timeframeMs);
  const mainTimeframeMs = window?.timeframeMs ?? bars[0].timeframeMs;
  for (const source of detailSources) {
    const { loaded, outcome, damage } = await loadBarFilesCached(source.files, source.symbol, "detail", cache);
    assertDetailTimeframe(loaded.series.timeframeMs, mainTimeframeMs, source);
    assertDetailOverlaps(loaded.series, bars.find((series) => series.symbol === source.symbol) as BarSeries, source);
    detail.set(source.symbol, loaded.series);
    fingerprint.push(loaded.fingerprint);
    outcomes.push({ symbol: source.symbol, kind: "detail", outcome, damage });
  }

  const mark = new Map<string, BarSeries>();
  for (const source of markSources) {
    const { loaded, outcome, damage } = await loadBarFilesCached(source.files, source.symbol, "mark", cache);
    assertMarkTimeframe(loaded.series.timeframeMs, mainTimeframeMs, source);
    mark.set(source.symbol, loaded.series);
    fingerprint.push(loaded.fingerprint);
    outcomes.push({ symbol: source.symbol, kind: "mark", outcome, damage });
  }

  const used = window === null ? { bars, detail, warnings: [] } : applyDataWindow(bars, detail, window);
  const warnings = [...rebuiltCacheWarnings(outcomes, cache?.dir ?? ""), ...used.warnings];
  const data: LoadedMarketData = Object.freeze({
    bars: Object.freeze(used.bars),
    funding,
    // Absent rather than empty, so "has detail data" is a plain presence check.
    ...(used.detail.size > 0 ? { detail: used.detail } : {}),
    // Mark bars are matched to the main bars by time (engine/markPrices.ts), so the window needs no cut here.
    ...(mark.size > 0 ? { mark } : {}),
    fingerprint: Object.freeze(fingerprint),
    // Only when there is one, so data without warnings is the plain MarketData it always was.
    ...(warnings.length > 0 ? { warnings: Object.freeze(warnings) } : {}),
  });
  return { data, cache: summariseCacheOutcomes(outcomes) };
}

/** A damaged cache entry was not used but rebuilt from its source; the run says so. */
function rebuiltCacheWarnings(outcomes: readonly CachedSourceOutcome[], cacheDir: string): DataWarning[] {
  const rebuilt = outcomes.filter((source) => source.damage !== null);
  if (rebuilt.length === 0) return [];
  const described = rebuilt.map((source) => `${source.symbol} ${source.kind} (${source.damage})`).join("; ");
  return [{
    code: "cache-entry-rebuilt", count: rebuilt.length,
    message: `${rebuilt.length} damaged data cache ${rebuilt.length === 1 ? "entry" : "entries"} in ${cacheDir} not used, rebuilt from the source files: ${described}`,
  }];
}

function sortBySymbol(sources: readonly SymbolFiles[]): SymbolFiles[] {
  return [...sources].sort((a, b) => compareCodeUnits(a.symbol, b.symbol));
}

/** Side inputs for a symbol without bars are almost always a typo in a file name. */
function assertAllKnown(sources: readonly SymbolFiles[], barSymbols: ReadonlySet<string>, what: string): void {
  for (const source of sources) {
    if (barSymbols.has(source.symbol)) continue;
    throw new DataError(
      `${what} for ${source.symbol}, which has no bars (bars: ${[...barSymbols].join(", ")})`,
      source.origin,
      "name the file after a symbol that has bars, or give it as SYMBOL=path",
    );
  }
}

/** The replayer steps all symbols on one clock, so every main series needs the same bar length. */
function assertOneTimeframe(bars: readonly BarSeries[], sources: readonly SymbolFiles[]): void {
  const first = bars[0];
  for (let index = 1; index < bars.length; index++) {
    const other = bars[index];
    if (other.timeframeMs === first.timeframeMs) continue;
    throw new DataError(
      `${first.symbol} has ${formatDurationMs(first.timeframeMs)} bars but ${other.symbol} has ${formatDurationMs(other.timeframeMs)} bars`,
      sources[index].origin,
      "give every symbol bars of the same timeframe; lower-timeframe bars go in detail/",
    );
  }
}

/** Detail bars can only replace a main bar's path if a whole number of them fills it (SPEC §6.2). */
function assertDetailTimeframe(detailMs: number, mainMs: number, source: SymbolFiles): void {
  if (detailMs < mainMs && mainMs % detailMs === 0) return;
  throw new DataError(
    `detail bars for ${source.symbol} are ${formatDurationMs(detailMs)}, which does not divide the main ${formatDurationMs(mainMs)} bars into several parts`,
    source.origin,
    "detail bars must be a shorter timeframe that divides the main one (e.g. 1m or 5m for 1h)",
  );
}

/** Mark bars are matched to main bars by time: one or a whole number of them per main bar. */
function assertMarkTimeframe(markMs: number, mainMs: number, source: SymbolFiles): void {
  if (markMs <= mainMs && mainMs % markMs === 0) return;
  throw new DataError(
    `mark-price bars for ${source.symbol} are ${formatDurationMs(markMs)}, which does not divide the main ${formatDurationMs(mainMs)} bars`,
    source.origin,
    "give mark-price bars of the main timeframe or one that divides it (e.g. 1h or 1m mark bars for 1h bars)",
  );
}

/**
 * Detail bars that fall inside no main bar of their symbol resolve nothing: the user asked
 * for intrabar detail and would silently get the assumed path on every bar.
 */
function assertDetailOverlaps(detail: BarSeries, main: BarSeries, source: SymbolFiles): void {
  const start = main.time[0];
  const end = main.time[main.length - 1] + main.timeframeMs;
  for (let i = 0; i < detail.length; i++) if (detail.time[i] >= start && detail.time[i] < end) return;
  throw new DataError(
    `detail bars for ${source.symbol} (${formatTimeMs(detail.time[0])} to ${formatTimeMs(detail.time[detail.length - 1])}) lie inside no main bar (${formatTimeMs(start)} to ${formatTimeMs(end)})`,
    source.origin,
    "give detail bars for the period of the main bars (same symbol, same time zone)",
  );
}

/**
 * The bar and funding loaders behind the columnar cache. The sources are hashed first (the
 * hash is needed anyway for the fingerprint, and it is what finds the entry); a valid entry
 * is then read instead of parsing the CSV, otherwise the CSV is parsed and validated as
 * always and the result stored. A hit gives the same series and fingerprint as a parse. An
 * entry is checksummed and its rows re-checked on every read (cacheIntegrity.ts): a damaged
 * one is rebuilt from the source, and `damage` says why, for the run's warning.
 */

import type { FundingSeries, SourceFingerprint } from "../engine/types.js";
import type { CachedBars, CachedFunding } from "./arrowCacheFormat.js";
import { cacheEntryPath, readCacheEntry, writeCacheEntry, type MarketDataCacheOptions } from "./cacheStore.js";
import { type SourceDigest } from "./hashSourceFiles.js";
import { digestWithStatIndex } from "./statIndex.js";
import { loadBarFiles, loadedBarsOf, type LoadedBars } from "./loadBars.js";
import { loadFundingFiles, type LoadedFunding } from "./loadFunding.js";

/**
 * - `hit`: read from the cache, the CSV was not parsed;
 * - `stored`: parsed from the CSV and written to the cache;
 * - `not-stored`: parsed, but the entry could not be written (e.g. a read-only folder);
 * - `disabled`: parsed, no cache in use.
 */
export type CacheOutcome = "hit" | "stored" | "not-stored" | "disabled";

export interface CachedLoad<Loaded> {
  readonly loaded: Loaded;
  readonly outcome: CacheOutcome;
  /** Why the existing entry was not used and was rebuilt from the source; null when none was damaged. */
  readonly damage: string | null;
}

export async function loadBarFilesCached(
  files: readonly string[],
  symbol: string,
  kind: "bars" | "detail" | "mark",
  cache: MarketDataCacheOptions | null,
): Promise<CachedLoad<LoadedBars>> {
  const digest = cache === null ? null : digestOrNull(files, cache.dir);
  if (cache === null || digest === null) {
    return { loaded: await loadBarFiles(files, symbol, kind), outcome: cache === null ? "disabled" : "not-stored", damage: null };
  }
  const path = cacheEntryPath(cache.dir, "bars", digest);
  // The entry is read on the thread pool while apache-arrow loads on this thread.
  const [{ readBarsEntry, encodeBarsEntry, isDamaged }, read] = await Promise.all([importArrowCacheFormat(), readCacheEntry(path, cache.shared === true)]);
  const cached = read === null ? null : "damage" in read ? read : readBarsEntry(read.bytes, digest);
  if (cached !== null && !isDamaged(cached)) {
    return { loaded: rebuildBars(cached, files, symbol, kind, digest.sha256), outcome: "hit", damage: null };
  }

  const loaded = await loadBarFiles(files, symbol, kind);
  const { gaps, missingBars } = loaded.fingerprint;
  const encode = (): Uint8Array => encodeBarsEntry(loaded.series, gaps, missingBars, digest);
  const stored = isUnchanged(loaded.fingerprint, digest) && writeCacheEntry(path, encode, cache.dir);
  return { loaded, outcome: stored ? "stored" : "not-stored", damage: cached === null ? null : cached.damage };
}

export async function loadFundingFilesCached(
  files: readonly string[],
  symbol: string,
  cache: MarketDataCacheOptions | null,
): Promise<CachedLoad<LoadedFunding>> {
  const digest = cache === null ? null : digestOrNull(files, cache.dir);
  if (cache === null || digest === null) {
    return { loaded: await loadFundingFiles(files, symbol), outcome: cache === null ? "disabled" : "not-stored", damage: null };
  }
  const path = cacheEntryPath(cache.dir, "funding", digest);
  // The entry is read on the thread pool while apache-arrow loads on this thread.
  const [{ readFundingEntry, encodeFundingEntry, isDamaged }, read] = await Promise.all([importArrowCacheFormat(), readCacheEntry(path, cache.shared === true)]);
  const cached = read === null ? null : "damage" in read ? read : readFundingEntry(read.bytes, digest);
  if (cached !== null && !isDamaged(cached)) {
    return { loaded: rebuildFunding(cached, files, symbol, digest.sha256), outcome: "hit", damage: null };
  }

  const loaded = await loadFundingFiles(files, symbol);
  const encode = (): Uint8Array => encodeFundingEntry(loaded.series, digest);
  const stored = isUnchanged(loaded.fingerprint, digest) && writeCacheEntry(path, encode, cache.dir);
  return { loaded, outcome: stored ? "stored" : "not-stored", damage: cached === null ? null : cached.damage };
}

/** apache-arrow takes ~13 ms to load (data/apacheArrow.ts), which a run without the cache should not pay. */
function importArrowCacheFormat(): Promise<typeof import("./arrowCacheFormat.js")> {
  return import("./arrowCacheFormat.js");
}

/** Null when a file cannot be read: the CSV loader then reports it with its usual message. */
function digestOrNull(files: readonly string[], cacheDir: string): SourceDigest | null {
  try {
    return digestWithStatIndex(files, cacheDir);
  } catch {
    return null;
  }
}

/** A file rewritten between hashing and parsing must not be stored under the old bytes' key. */
function isUnchanged(fingerprint: SourceFingerprint, digest: SourceDigest): boolean {
  return fingerprint.sha256 === digest.sha256;
}

/** The same objects, with the same key order, as loadBarFiles builds (reports serialise them). */
function rebuildBars(cached: CachedBars, files: readonly string[], symbol: string, kind: "bars" | "detail" | "mark", sha256: string): LoadedBars {
  const [time, open, high, low, close, volume] = cached.columns;
  return loadedBarsOf(symbol, kind, files, cached.timeframeMs, [time, open, high, low, close, volume], sha256, cached.gaps, cached.missingBars);
}

/** The same objects, with the same key order, as loadFundingFiles builds. */
function rebuildFunding(cached: CachedFunding, files: readonly string[], symbol: string, sha256: string): LoadedFunding {
  const { time, rate, length } = cached;
  const series: FundingSeries = Object.freeze({ symbol, time, rate, length });
  const fingerprint: SourceFingerprint = Object.freeze({
    symbol,
    kind: "funding",
    files: Object.freeze([...files]),
    rows: length,
    firstTimeMs: time[0],
    lastTimeMs: time[length - 1],
    sha256,
    gaps: 0,
    missingBars: 0,
  });
  return { series, fingerprint };
}

/** How each source of one load was served; for the CLI's summary line and for tests. */
export interface CacheReport {
  /** Sources read from the cache without parsing. */
  readonly hits: number;
  /** Sources parsed from CSV while the cache was on (`stored` + `not-stored`). */
  readonly misses: number;
  /** Misses whose entry could not be written; non-zero usually means an unwritable folder. */
  readonly notStored: number;
  /** Misses whose entry existed but was damaged (checksum, unreadable, rows the CSV path refuses). */
  readonly rebuilt: number;
  /** One per source, in fingerprint order. */
  readonly sources: readonly CachedSourceOutcome[];
}

export interface CachedSourceOutcome {
  readonly symbol: string;
  readonly kind: SourceFingerprint["kind"];
  readonly outcome: CacheOutcome;
  /** Why an existing entry was rebuilt; null when none was damaged. */
  readonly damage: string | null;
}

export function summariseCacheOutcomes(sources: readonly CachedSourceOutcome[]): CacheReport {
  const count = (outcome: CacheOutcome): number => sources.filter((source) => source.outcome === outcome).length;
  const notStored = count("not-stored");
  const rebuilt = sources.filter((source) => source.damage !== null).length;
  return Object.freeze({ hits: count("hit"), misses: count("stored") + notStored, notStored, rebuilt, sources: Object.freeze([...sources]) });
}

import type { MarketDataCacheOptions } from "../../data/index.js";
import type { BarSeries, FundingSeries, MarketData, SourceFingerprint } from "../../engine/index.js";
import { canonicalJson, sha256Hex } from "./grid.js";

/**
 * Market data laid out in SharedArrayBuffers, so the main thread loads it once and every
 * worker thread reads the same memory: a SharedArrayBuffer survives structured cloning (a
 * task message, piscina's workerData) as a reference, not a copy. A worker rebuilds the
 * `BarSeries` views over it; nobody writes to the columns after they are filled. Bars that are
 * already in shared memory — read from the data cache with `shared: true` (data/cacheStore.ts),
 * as the sweep and the walk-forward read them — are shared where they are, without a copy
 * (~250 ms and ~23,000 page faults for the bench sweep's 2 × 1 M bars).
 */

const BAR_COLUMNS = ["time", "open", "high", "low", "close", "volume"] as const;
const FUNDING_COLUMNS = ["time", "rate"] as const;

/** Where a column's `length` float64 values start. */
interface SharedColumn {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
}

interface SharedBars {
  readonly symbol: string;
  readonly timeframeMs: number;
  readonly length: number;
  /** The six bar columns in BAR_COLUMNS order: where they already were in shared memory, else copied back to back into one buffer. */
  readonly columns: readonly SharedColumn[];
}

interface SharedFunding {
  readonly symbol: string;
  readonly length: number;
  /** `time` then `rate`, `length` float64 values each. */
  readonly buffer: SharedArrayBuffer;
}

export interface SharedMarketData {
  /** Content hash of the data (see dataHashOf): equal hashes, equal bars, funding and detail. */
  readonly hash: string;
  readonly bars: readonly SharedBars[];
  readonly funding: readonly SharedFunding[];
  readonly detail: readonly SharedBars[];
  readonly fingerprint: readonly SourceFingerprint[];
}

/**
 * A hash of the data's content, independent of where the files lie: symbol, kind, row count,
 * time span and sha256 of the raw bytes of every source. Part of a sweep's identity, and how a
 * queue worker checks that it loaded the same data as the machine that enqueued the cells.
 */
export function dataHashOf(data: MarketData): string {
  const sources = data.fingerprint.map((source) => ({
    symbol: source.symbol, kind: source.kind, rows: source.rows,
    firstTimeMs: source.firstTimeMs, lastTimeMs: source.lastTimeMs, sha256: source.sha256,
  }));
  return sha256Hex(canonicalJson(sources));
}

/** `cache` with its entries read into shared memory, so that `shareMarketData` shares their bars without a copy. */
export function sharedCache(cache: MarketDataCacheOptions | null | undefined): MarketDataCacheOptions | null {
  return cache === null || cache === undefined ? null : { ...cache, shared: true };
}

/** Copies loaded data into shared memory (once, in the thread that loaded it), or shares bars already there. */
export function shareMarketData(data: MarketData): SharedMarketData {
  return {
    hash: dataHashOf(data),
    bars: data.bars.map(shareBars),
    funding: [...data.funding.values()].map((series) => ({
      symbol: series.symbol, length: series.length, buffer: packColumns(FUNDING_COLUMNS.map((name) => series[name]), series.length),
    })),
    detail: [...(data.detail?.values() ?? [])].map(shareBars),
    fingerprint: data.fingerprint,
  };
}

/** Views over shared memory, shaped as the loader's MarketData (no copy). */
export function viewMarketData(shared: SharedMarketData): MarketData {
  const funding = new Map<string, FundingSeries>();
  for (const series of shared.funding) {
    const [time, rate] = columnViews(series.buffer, FUNDING_COLUMNS.length, series.length);
    funding.set(series.symbol, { symbol: series.symbol, length: series.length, time, rate });
  }
  const detail = new Map<string, BarSeries>(shared.detail.map((series) => [series.symbol, viewBars(series)]));
  return Object.freeze({
    bars: Object.freeze(shared.bars.map(viewBars)),
    funding,
    ...(detail.size > 0 ? { detail } : {}),
    fingerprint: shared.fingerprint,
  });
}

function shareBars(series: BarSeries): SharedBars {
  const columns = BAR_COLUMNS.map((name) => series[name]);
  const inPlace = columns.every((column) => column.buffer instanceof SharedArrayBuffer && column.length >= series.length);
  return {
    symbol: series.symbol, timeframeMs: series.timeframeMs, length: series.length,
    columns: inPlace
      ? columns.map((column) => ({ buffer: column.buffer as SharedArrayBuffer, byteOffset: column.byteOffset }))
      : packedColumns(packColumns(columns, series.length), columns.length, series.length),
  };
}

function viewBars(shared: SharedBars): BarSeries {
  const [time, open, high, low, close, volume] = shared.columns.map((column) => new Float64Array(column.buffer, column.byteOffset, shared.length));
  return { symbol: shared.symbol, timeframeMs: shared.timeframeMs, length: shared.length, time, open, high, low, close, volume };
}

/** The columns `packColumns` wrote into `buffer`. */
function packedColumns(buffer: SharedArrayBuffer, count: number, length: number): SharedColumn[] {
  return Array.from({ length: count }, (_, index) => ({ buffer, byteOffset: index * length * Float64Array.BYTES_PER_ELEMENT }));
}

function packColumns(columns: readonly Float64Array[], length: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(columns.length * length * Float64Array.BYTES_PER_ELEMENT);
  const views = columnViews(buffer, columns.length, length);
  columns.forEach((column, index) => views[index].set(column.subarray(0, length)));
  return buffer;
}

function columnViews(buffer: SharedArrayBuffer, count: number, length: number): Float64Array[] {
  return Array.from({ length: count }, (_, index) => new Float64Array(buffer, index * length * Float64Array.BYTES_PER_ELEMENT, length));
}

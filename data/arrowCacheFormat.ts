/**
 * The on-disk form of a cache entry: one Apache Arrow IPC *file* (readable by
 * `pyarrow.ipc.open_file`, `pandas.read_feather`, `polars.read_ipc`) holding one record
 * batch of non-null Float64 columns, with everything else needed to rebuild the series and
 * its fingerprint in the schema metadata under `exitlab.*` keys.
 *
 * `timestamp` is Float64 epoch milliseconds, like `BarSeries.time`, so that a cache hit hands
 * out the column as it lies in the file, without converting 64-bit integers row by row. Epoch
 * ms are integers far below 2^53, so Float64 holds them exactly.
 *
 * The entry's bytes are checked against the whole-file CRC-32 in its sidecar before they get
 * here (cacheStore.ts), and its rows are checked again on every read (cacheIntegrity.ts).
 * Decoding never throws: anything unexpected (unreadable IPC, other columns, metadata that
 * does not match the source, rows the CSV loader would refuse) is reported as damage, and the
 * caller re-parses the CSV.
 */

import { arrow, type Arrow } from "./apacheArrow.js";
import type { BarSeries, FundingSeries } from "../engine/types.js";
import { CACHE_FORMAT_VERSION, type CacheFormat } from "./cacheStore.js";
import type { SourceDigest } from "./hashSourceFiles.js";
import { describeCachedBarsProblem, describeCachedFundingProblem } from "./cacheIntegrity.js";

export const BAR_CACHE_COLUMNS = ["timestamp", "open", "high", "low", "close", "volume"] as const;
export const FUNDING_CACHE_COLUMNS = ["timestamp", "funding_rate"] as const;

/** The bars of an entry; the symbol and file names always come from the request. */
export interface CachedBars {
  readonly timeframeMs: number;
  readonly gaps: number;
  readonly missingBars: number;
  readonly length: number;
  readonly columns: readonly Float64Array[];
}

export interface CachedFunding {
  readonly length: number;
  readonly time: Float64Array;
  readonly rate: Float64Array;
}

export function encodeBarsEntry(series: BarSeries, gaps: number, missingBars: number, digest: SourceDigest): Uint8Array {
  const metadata = sourceMetadata("bars", series.symbol, series.time, series.length, digest);
  metadata.set("exitlab.timeframe_ms", String(series.timeframeMs));
  metadata.set("exitlab.gaps", String(gaps));
  metadata.set("exitlab.missing_bars", String(missingBars));
  const columns = [series.time, series.open, series.high, series.low, series.close, series.volume];
  return encodeTable(BAR_CACHE_COLUMNS, columns, series.length, metadata);
}

export function encodeFundingEntry(series: FundingSeries, digest: SourceDigest): Uint8Array {
  const metadata = sourceMetadata("funding", series.symbol, series.time, series.length, digest);
  return encodeTable(FUNDING_CACHE_COLUMNS, [series.time, series.rate], series.length, metadata);
}

/** Why an entry that exists cannot be used (it is then rebuilt from the source). */
export interface DamagedEntry {
  readonly damage: string;
}

export function isDamaged<T extends object>(decoded: T | DamagedEntry): decoded is DamagedEntry {
  return "damage" in decoded;
}

export function readBarsEntry(bytes: Uint8Array, digest: SourceDigest): CachedBars | DamagedEntry {
  const entry = decodeEntry(bytes, "bars", BAR_CACHE_COLUMNS, digest);
  if (typeof entry === "string") return { damage: entry };
  const timeframeMs = readCount(entry.metadata, "exitlab.timeframe_ms");
  const gaps = readCount(entry.metadata, "exitlab.gaps");
  const missingBars = readCount(entry.metadata, "exitlab.missing_bars");
  // The loader refuses fewer than two bars, so a valid entry never has them.
  if (timeframeMs === null || timeframeMs === 0 || gaps === null || missingBars === null || entry.length < 2) {
    return { damage: "its metadata does not describe bars" };
  }
  const problem = describeCachedBarsProblem(entry.columns, entry.length);
  if (problem !== null) return { damage: problem };
  return { timeframeMs, gaps, missingBars, length: entry.length, columns: entry.columns };
}

export function readFundingEntry(bytes: Uint8Array, digest: SourceDigest): CachedFunding | DamagedEntry {
  const entry = decodeEntry(bytes, "funding", FUNDING_CACHE_COLUMNS, digest);
  if (typeof entry === "string") return { damage: entry };
  if (entry.length < 1) return { damage: "it holds no rows" };
  const problem = describeCachedFundingProblem(entry.columns[0], entry.columns[1], entry.length);
  if (problem !== null) return { damage: problem };
  return { length: entry.length, time: entry.columns[0], rate: entry.columns[1] };
}

/** readBarsEntry, null for any damage. */
export function decodeBarsEntry(bytes: Uint8Array, digest: SourceDigest): CachedBars | null {
  const decoded = readBarsEntry(bytes, digest);
  return isDamaged(decoded) ? null : decoded;
}

/** readFundingEntry, null for any damage. */
export function decodeFundingEntry(bytes: Uint8Array, digest: SourceDigest): CachedFunding | null {
  const decoded = readFundingEntry(bytes, digest);
  return isDamaged(decoded) ? null : decoded;
}

function sourceMetadata(format: CacheFormat, symbol: string, time: Float64Array, length: number, digest: SourceDigest): Map<string, string> {
  return new Map([
    ["exitlab.cache_version", String(CACHE_FORMAT_VERSION)],
    ["exitlab.format", format],
    // Informational: the symbol comes from the file name or SYMBOL=, not from the bytes.
    ["exitlab.symbol", symbol],
    ["exitlab.rows", String(length)],
    ["exitlab.first_time_ms", String(time[0])],
    ["exitlab.last_time_ms", String(time[length - 1])],
    ["exitlab.source_sha256", digest.sha256],
    ["exitlab.source_bytes", digest.byteLengths.join(",")],
  ]);
}

function encodeTable(names: readonly string[], arrays: readonly Float64Array[], length: number, metadata: Map<string, string>): Uint8Array {
  const { Field, Float64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } = arrow;
  const fields = names.map((name) => new Field(name, new Float64(), false, fieldMetadata(name)));
  const children = arrays.map((values) => makeData({ type: new Float64(), length, nullCount: 0, data: values.subarray(0, length) }));
  const schema = new Schema(fields, metadata);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
  return tableToIPC(new Table(schema, batch), "file");
}

/** Says what the Float64 timestamp means, for whoever opens the file in pandas or polars. */
function fieldMetadata(name: string): Map<string, string> | null {
  return name === "timestamp" ? new Map([["unit", "epoch milliseconds, UTC"]]) : null;
}

interface DecodedEntry {
  readonly metadata: ReadonlyMap<string, string>;
  readonly length: number;
  readonly columns: readonly Float64Array[];
}

/** The entry, or why it cannot be used. */
function decodeEntry(bytes: Uint8Array, format: CacheFormat, names: readonly string[], digest: SourceDigest): DecodedEntry | string {
  let table: Arrow.Table;
  try {
    // A buffer not on an 8-byte boundary (one cut from Node's pool) still decodes: apache-arrow
    // then copies the columns instead of viewing them.
    table = arrow.tableFromIPC(bytes);
  } catch {
    return "it is not a readable Arrow file (truncated or overwritten)";
  }
  try {
    return decodeTable(table, format, names, digest);
  } catch {
    return "its buffers point outside the file";
  }
}

function decodeTable(table: Arrow.Table, format: CacheFormat, names: readonly string[], digest: SourceDigest): DecodedEntry | string {
  const metadata = table.schema.metadata;
  if (!matchesSource(metadata, format, digest)) return "it was written for other source bytes or another format";
  if (!hasColumns(table, names)) return "it has other columns";
  const length = readCount(metadata, "exitlab.rows");
  if (length === null || length !== table.numRows) return "its row count does not match its columns";

  const columns: Float64Array[] = [];
  for (const name of names) {
    const column = readColumn(table, name, length);
    if (column === null) return `its ${name} column is not ${length} non-null Float64 values`;
    columns.push(column);
  }
  // The ends of the time column catch an entry whose data was zeroed or cut while its
  // metadata survived, at no cost per row.
  const time = columns[0];
  const firstMatches = length > 0 && String(time[0]) === metadata.get("exitlab.first_time_ms");
  const lastMatches = length > 0 && String(time[length - 1]) === metadata.get("exitlab.last_time_ms");
  return firstMatches && lastMatches ? { metadata, length, columns } : "its first or last time does not match its metadata";
}

function matchesSource(metadata: ReadonlyMap<string, string>, format: CacheFormat, digest: SourceDigest): boolean {
  return (
    metadata.get("exitlab.cache_version") === String(CACHE_FORMAT_VERSION) &&
    metadata.get("exitlab.format") === format &&
    metadata.get("exitlab.source_sha256") === digest.sha256 &&
    metadata.get("exitlab.source_bytes") === digest.byteLengths.join(",")
  );
}

function hasColumns(table: Arrow.Table, names: readonly string[]): boolean {
  const fields = table.schema.fields;
  if (fields.length !== names.length) return false;
  return fields.every(
    (field, index) => field.name === names[index] && field.type.typeId === arrow.Type.Float && field.type.precision === arrow.Precision.DOUBLE,
  );
}

/**
 * The column as a Float64Array. Our writer makes one record batch, and for a single chunk
 * `toArray()` is a view into the file's bytes (no copy); a file with several batches still
 * reads correctly, concatenated in one block copy.
 */
function readColumn(table: Arrow.Table, name: string, length: number): Float64Array | null {
  const vector = table.getChild(name);
  if (vector === null || vector.nullCount !== 0) return null;
  const values: unknown = vector.toArray();
  if (!(values instanceof Float64Array) || values.length !== length) return null;
  return values;
}

/** A non-negative safe integer from the metadata, or null. */
function readCount(metadata: ReadonlyMap<string, string>, key: string): number | null {
  const text = metadata.get(key);
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

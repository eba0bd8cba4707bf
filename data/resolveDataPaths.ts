/**
 * Turns the data paths a user gives into "symbol → files" lists (SPEC §2), without reading
 * any CSV. An entry is `SYMBOL=path`, a file (symbol from its name) or a folder:
 *
 *   folder/BTCUSDT.csv            one symbol per CSV directly inside
 *   folder/ETHUSDT/2024-01.csv …  one symbol per subfolder, its CSVs concatenated by name
 *   folder/funding/BTCUSDT.csv    funding history, one file per symbol
 *   folder/detail/…               lower-timeframe bars, laid out like the folder itself
 *   folder/mark/…                 mark-price bars, laid out like the folder itself (liquidation is checked on them)
 *   folder/BTCUSDT-1h-2024-01.zip …  Binance's archive names: one symbol, files joined in name order
 *
 * Data files are CSVs, or the same compressed as `.zip` (one CSV inside) or `.gz`.
 */

import { lstat, readdir, readlink, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { join } from "node:path";
import { DataError } from "../engine/errors.js";
import { inferSymbol } from "./inferSymbol.js";
import { isDataFileName } from "./archiveStream.js";

export interface SymbolFiles {
  readonly symbol: string;
  /** Files in load order. */
  readonly files: readonly string[];
  /** The path this entry came from, for messages. */
  readonly origin: string;
}

export interface ResolvedDataPaths {
  readonly bars: SymbolFiles[];
  readonly funding: SymbolFiles[];
  readonly detail: SymbolFiles[];
  /** Mark-price bars from a `mark/` side folder (engine/markPrices.ts). */
  readonly mark: SymbolFiles[];
}

const FUNDING_FOLDER = "funding";
const DETAIL_FOLDER = "detail";
const MARK_FOLDER = "mark";
/** Binance's archive names: `BTCUSDT-1h-2024-01.zip`, `BTCUSDT-1m-2024-06-03.csv`. */
const PERIOD_FILE = /^([A-Z0-9]+)-(\w+)-\d{4}-\d{2}(-\d{2})?\.(csv|zip|csv\.gz|gz)$/i;
const SYMBOL_SPEC = /^([A-Za-z0-9][A-Za-z0-9._:-]*)=(.+)$/;

/**
 * Resolves bar path entries. With `sideFolders`, a folder's `funding/` and `detail/`
 * subfolders are side inputs; without (for detail paths), every subfolder is a symbol.
 */
export async function resolveBarPaths(entries: readonly string[], sideFolders: boolean): Promise<ResolvedDataPaths> {
  const resolved: ResolvedDataPaths = { bars: [], funding: [], detail: [], mark: [] };
  for (const entry of entries) {
    const { symbol, path, stats } = await locateEntry(entry);
    if (stats.isFile()) {
      resolved.bars.push({ symbol: symbol ?? inferSymbol(path), files: [path], origin: path });
    } else if (symbol !== null) {
      resolved.bars.push({ symbol, files: await requireCsvFiles(path), origin: path });
    } else {
      await resolveSymbolFolder(path, sideFolders, resolved);
    }
  }
  return resolved;
}

/** Resolves funding path entries: files (`SYMBOL=file` or symbol from the name) or folders of them. */
export async function resolveFundingPaths(entries: readonly string[]): Promise<SymbolFiles[]> {
  const funding: SymbolFiles[] = [];
  for (const entry of entries) {
    const { symbol, path, stats } = await locateEntry(entry);
    if (stats.isFile()) {
      funding.push({ symbol: symbol ?? inferSymbol(path), files: [path], origin: path });
    } else if (symbol !== null) {
      throw new DataError(
        "a funding folder holds one file per symbol and cannot be given a single symbol",
        entry,
        "give the folder without SYMBOL=, or SYMBOL=path/to/file.csv",
      );
    } else {
      funding.push(...(await resolveFundingFolder(path)));
    }
  }
  return funding;
}

/** Throws when a symbol appears twice in one list. */
export function assertUniqueSymbols(sources: readonly SymbolFiles[], what: string): void {
  const seen = new Map<string, SymbolFiles>();
  for (const source of sources) {
    const earlier = seen.get(source.symbol);
    if (earlier !== undefined) {
      throw new DataError(
        `${what} for ${source.symbol} are given twice: ${earlier.origin} and ${source.origin}`,
        source.origin,
        "give each symbol once, or name one explicitly with SYMBOL=path",
      );
    }
    seen.set(source.symbol, source);
  }
}

async function resolveSymbolFolder(folder: string, sideFolders: boolean, into: ResolvedDataPaths): Promise<void> {
  const listing = await listFolder(folder);
  const barsBefore = into.bars.length;
  into.bars.push(...groupPeriodFiles(folder, listing.csvFiles));
  for (const name of listing.folders) {
    const path = join(folder, name);
    const lowerName = name.toLowerCase();
    if (sideFolders && lowerName === MARK_FOLDER) {
      const mark: ResolvedDataPaths = { bars: [], funding: [], detail: [], mark: [] };
      await resolveSymbolFolder(path, false, mark);
      into.mark.push(...mark.bars);
    } else if (sideFolders && lowerName === FUNDING_FOLDER) {
      into.funding.push(...(await resolveFundingFolder(path)));
    } else if (sideFolders && lowerName === DETAIL_FOLDER) {
      const detail: ResolvedDataPaths = { bars: [], funding: [], detail: [], mark: [] };
      await resolveSymbolFolder(path, false, detail);
      into.detail.push(...detail.bars);
    } else {
      into.bars.push({ symbol: name, files: await requireCsvFiles(path), origin: path });
    }
  }
  if (into.bars.length === barsBefore) throw noCsvFilesError(folder);
}

/**
 * One source per file, except that files named like Binance's archives
 * (`SYMBOL-interval-YYYY-MM[-DD].zip`) of one symbol and interval are one source, concatenated
 * in name order (= time order): a flat folder of monthly downloads is one symbol's history.
 */
function groupPeriodFiles(folder: string, names: readonly string[]): SymbolFiles[] {
  const sources: SymbolFiles[] = [];
  const periods = new Map<string, string[]>();
  for (const name of names) {
    const period = PERIOD_FILE.exec(name);
    const path = join(folder, name);
    if (period === null) {
      sources.push({ symbol: inferSymbol(name), files: [path], origin: path });
      continue;
    }
    const key = `${period[1]}\u0000${period[2]}`;
    const files = periods.get(key);
    if (files === undefined) periods.set(key, [path]);
    else files.push(path);
  }
  for (const [key, files] of periods) {
    sources.push({ symbol: key.slice(0, key.indexOf("\u0000")), files, origin: files.length === 1 ? files[0] : folder });
  }
  return sources;
}

async function resolveFundingFolder(folder: string): Promise<SymbolFiles[]> {
  const listing = await listFolder(folder);
  if (listing.csvFiles.length === 0) throw noCsvFilesError(folder);
  return groupPeriodFiles(folder, listing.csvFiles);
}

/** The CSV files directly inside a folder, sorted by name; at least one. */
async function requireCsvFiles(folder: string): Promise<string[]> {
  const { csvFiles } = await listFolder(folder);
  if (csvFiles.length === 0) throw noCsvFilesError(folder);
  return csvFiles.map((name) => join(folder, name));
}

interface FolderListing {
  readonly csvFiles: string[];
  readonly folders: string[];
}

/** CSV files and subfolders, each sorted by code unit so every machine loads the same order. */
async function listFolder(folder: string): Promise<FolderListing> {
  const csvFiles: string[] = [];
  const folders: string[] = [];
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new DataError(`cannot list the folder (${codeOf(error)})`, folder);
  }
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const path = join(folder, name);
    const stats = await statEntry(path); // follows symlinks, unlike Dirent
    const isDataFile = isDataFileName(name);
    if (stats.isDirectory()) folders.push(name);
    else if (stats.isFile() && isDataFile) csvFiles.push(name);
    else if (isDataFile) throw notRegularFileError(path, stats);
  }
  return { csvFiles: csvFiles.sort(compareCodeUnits), folders: folders.sort(compareCodeUnits) };
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface LocatedEntry {
  readonly symbol: string | null;
  readonly path: string;
  readonly stats: Stats;
}

/**
 * Splits `SYMBOL=path` (unless the whole entry is an existing path) and checks the path
 * exists and is a regular file or a folder (a FIFO or device would block or fail later).
 */
async function locateEntry(entry: string): Promise<LocatedEntry> {
  const located = await locateExisting(entry);
  if (!located.stats.isFile() && !located.stats.isDirectory()) throw notRegularFileError(located.path, located.stats);
  return located;
}

async function locateExisting(entry: string): Promise<LocatedEntry> {
  const whole = await statOrNull(entry);
  if (whole !== null) return { symbol: null, path: entry, stats: whole };
  const spec = SYMBOL_SPEC.exec(entry);
  if (spec !== null) {
    const stats = await statOrNull(spec[2]);
    if (stats !== null) return { symbol: spec[1], path: spec[2], stats };
  }
  const path = spec === null ? entry : spec[2];
  // A broken or looping link gets its own message.
  if ((await lstat(path).catch(() => null))?.isSymbolicLink() === true) await statEntry(path);
  throw new DataError("file or folder not found", path, "check the path; a symbol can be named with SYMBOL=path");
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (codeOf(error) === "ENOENT" || codeOf(error) === "ENOTDIR") return null;
    return statEntry(path);
  }
}

/**
 * stat() that turns every failure into a one-line DataError naming the path. Rule: an entry
 * of a data folder that cannot be read — a broken symbolic link, a link loop, no permission —
 * is an error, not a skipped file: skipping it would silently drop data the user gave.
 */
async function statEntry(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === "ELOOP") throw new DataError("symbolic link loop", path, "point the link at a real file or folder, or remove it");
    if (code === "ENOENT" || code === "ENOTDIR") {
      const target = await readlink(path).catch(() => null);
      if (target !== null) throw new DataError(`broken symbolic link (its target ${target} does not exist)`, path, "restore the target or remove the link");
    }
    throw new DataError(`cannot read (${code})`, path);
  }
}

/**
 * Throws a one-line DataError unless `path` is a regular file (after links): a FIFO would
 * block the reader until something writes to it, a broken link would fail deep in a stream.
 */
export async function assertRegularFile(path: string): Promise<void> {
  const stats = await statEntry(path).catch((error: unknown) => {
    if (error instanceof DataError && error.message === "cannot read (ENOENT)") throw new DataError("file not found", path, "check the path");
    throw error;
  });
  if (!stats.isFile()) throw notRegularFileError(path, stats);
}

function notRegularFileError(path: string, stats: Stats): DataError {
  const kind = stats.isFIFO() ? "a FIFO" : stats.isSocket() ? "a socket" : stats.isCharacterDevice() || stats.isBlockDevice() ? "a device" : "special";
  return new DataError(`not a regular file (${kind})`, path, "give a CSV file or a folder of CSV files");
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function noCsvFilesError(folder: string): DataError {
  return new DataError(
    "the folder has no CSV files",
    folder,
    "put one CSV per symbol in it, or one subfolder of CSV files per symbol",
  );
}

/**
 * Bar loading (SPEC §2): one or more CSV files of one symbol into a validated, columnar
 * BarSeries plus its fingerprint. Several files are concatenated in the given order (a
 * folder of monthly downloads) and must stay strictly increasing across file boundaries.
 */

import { createHash } from "node:crypto";
import type { BarSeries, SourceFingerprint } from "../engine/types.js";
import { DataError } from "../engine/errors.js";
import { readBarFile, type LastBarRead } from "./csvBars.js";
import { BarColumns } from "./growableColumn.js";
import { inferSymbol } from "./inferSymbol.js";
import { measureSpacing } from "./validateBars.js";

export interface LoadedBars {
  readonly series: BarSeries;
  readonly fingerprint: SourceFingerprint;
}

/**
 * Loads and concatenates `files` (in this order) as the bars of `symbol`. `kind` only labels
 * the fingerprint: main bars or lower-timeframe detail bars.
 */
export async function loadBarFiles(
  files: readonly string[],
  symbol: string,
  kind: "bars" | "detail" | "mark" = "bars",
): Promise<LoadedBars> {
  if (files.length === 0) throw new DataError(`no files given for ${symbol}`, null, "give at least one CSV file");
  const columns = new BarColumns();
  const hash = createHash("sha256");
  let last: LastBarRead | null = null;
  for (const file of files) last = await readBarFile(file, columns, hash, last);

  const length = columns.length;
  const [time, open, high, low, close, volume] = columns.toArrays();
  const spacing = measureSpacing(time, length);
  if (length < 2) {
    // The timeframe is read from the spacing of bars; one bar has none.
    throw new DataError(
      `${symbol} has only one bar, so its timeframe cannot be detected`,
      files[files.length - 1],
      "supply at least two bars",
    );
  }

  return loadedBarsOf(symbol, kind, files, spacing.timeframeMs,
    [time, open, high, low, close, volume],
    hash.digest("hex"), spacing.gaps, spacing.missingBars);
}

/**
 * The frozen series and fingerprint of loaded bars — one builder for the CSV path and the
 * cache path, so both give the same objects with the same key order (reports serialise them).
 */
export function loadedBarsOf(
  symbol: string, kind: "bars" | "detail" | "mark", files: readonly string[], timeframeMs: number,
  columns: readonly [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array],
  sha256: string, gaps: number, missingBars: number,
): LoadedBars {
  const [time, open, high, low, close, volume] = columns;
  const length = time.length;
  const series: BarSeries = Object.freeze({ symbol, timeframeMs, length, time, open, high, low, close, volume });
  const fingerprint: SourceFingerprint = Object.freeze({
    symbol,
    kind,
    files: Object.freeze([...files]),
    rows: length,
    firstTimeMs: time[0],
    lastTimeMs: time[length - 1],
    sha256,
    gaps,
    missingBars,
  });
  return { series, fingerprint };
}

/** Loads one bar file; the symbol defaults to the one its name implies. */
export function loadBarFile(filePath: string, symbol: string = inferSymbol(filePath)): Promise<LoadedBars> {
  return loadBarFiles([filePath], symbol);
}

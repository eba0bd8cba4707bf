/**
 * Compressed data files read where a CSV is accepted: a `.zip` holding one CSV (the form in
 * which Binance publishes its klines, funding rates and mark-price klines) and a gzip file
 * (`.gz`, e.g. `BTCUSDT.csv.gz`). This module names them; the decompression itself
 * (decompressor.ts, with fflate) is imported only when such a file is read.
 */

import { DataError } from "../engine/errors.js";

export type DataFileEncoding = "csv" | "zip" | "gzip";

/** Extensions a data folder is scanned for, lower case. */
export const DATA_FILE_EXTENSIONS = [".csv", ".zip", ".gz"] as const;

export function dataFileEncoding(filePath: string): DataFileEncoding {
  const lower = filePath.toLowerCase();
  if (lower.endsWith(".zip")) return "zip";
  if (lower.endsWith(".gz")) return "gzip";
  return "csv";
}

export function isDataFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return DATA_FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * The `where` of an error raised for a row of an archive member, naming the member:
 * `X.zip:17` becomes `X.zip:BTCUSDT-1h-2024-01.csv:17`.
 */
export function locateInMember(error: unknown, filePath: string, member: string | null): unknown {
  if (member === null || !(error instanceof DataError) || error.where === null) return error;
  if (!error.where.startsWith(`${filePath}:`)) return error;
  const where = `${filePath}:${member}:${error.where.slice(filePath.length + 1)}`;
  const located = new DataError(error.message, where, error.hint);
  located.stack = error.stack;
  return located;
}

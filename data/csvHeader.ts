/**
 * Header matching shared by the bar and funding loaders: names are compared trimmed and
 * case-insensitively (SPEC §2), and the first column with an accepted name wins.
 */

import { DataError } from "../engine/errors.js";
import { describeNonCsvHeader } from "./fileFormatHint.js";

/** Header names as compared: trimmed, lower case. */
export function normaliseHeader(fields: readonly string[]): string[] {
  return fields.map((name) => name.trim().toLowerCase());
}

/** Index of the first column whose name is one of `accepted` (lower case), or -1. */
export function findColumn(header: readonly string[], accepted: readonly string[]): number {
  return header.findIndex((name) => accepted.includes(name));
}

/** Index of a column the file must have; a DataError at the header line otherwise. */
export function requireColumn(
  header: readonly string[],
  accepted: readonly string[],
  role: string,
  where: string,
): number {
  const index = findColumn(header, accepted);
  if (index >= 0) return index;
  const format = describeNonCsvHeader(header);
  if (format !== null) throw new DataError(format.message, where, format.hint);
  throw new DataError(
    `the header has no ${role} column (looked for ${accepted.join(", ")}; found ${header.join(", ")})`,
    where,
    `rename the ${role} column to ${accepted[0]}`,
  );
}

/** True when a field reads as a plain decimal number, i.e. the row is data, not a header. */
export function isNumericField(text: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text);
}

/** The row-length check every loader applies. */
export function checkFieldCount(fields: readonly string[], expected: number, source: string, where: string): void {
  if (fields.length === expected) return;
  throw new DataError(
    `the row has ${fields.length} fields but ${source} has ${expected}`,
    where,
    "every row needs the same columns; look for a missing or extra comma",
  );
}

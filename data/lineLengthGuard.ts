/**
 * Bounds the length of one line of a streamed CSV (README "Assumptions the engine makes"):
 * a file without line breaks — 100 MB of NUL bytes, a binary file, a 2 GB dump on one line —
 * would otherwise be collected by the parser as one ever-growing string until Node runs out
 * of memory. The bound is checked where the text is cut into slices at line breaks
 * (lineSlicer.ts), which stops the read at the first line longer than the bound; the error
 * names the file and that line.
 */

import { DataError } from "../engine/errors.js";

/** The longest line a CSV input may have, in bytes (1 MiB; a bar row is under 200 bytes). */
export const MAX_CSV_LINE_BYTES = 1 << 20;

/** The error for line `line` (1-based) of `filePath`, longer than `maxLineBytes`. */
export function overlongLineError(filePath: string, line: number, maxLineBytes: number = MAX_CSV_LINE_BYTES): DataError {
  return new DataError(
    `line ${line} is longer than ${maxLineBytes} bytes: not a CSV file, or one without line breaks`,
    `${filePath}:${line}`,
    "check that this is the right file; rows of a CSV input end with a line break",
  );
}

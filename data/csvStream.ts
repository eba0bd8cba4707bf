/**
 * Streams a CSV file through papaparse row by row, hashing the raw bytes on the way, so a
 * large file is never held as row objects and its fingerprint costs no second read. A `.zip`
 * or `.gz` file is decompressed on the way (archiveStream.ts); its raw, compressed bytes are
 * what is hashed, and row errors name the archive member: `X.zip:X.csv:17`.
 */

import { createReadStream } from "node:fs";
import type { Hash } from "node:crypto";
import { type Readable, Transform, pipeline } from "node:stream";
import type { ParseError } from "papaparse";
import { DataError } from "../engine/errors.js";
import { dataFileEncoding, locateInMember } from "./archiveStream.js";
import type { Decompressor } from "./decompressor.js";
import { overlongLineError } from "./lineLengthGuard.js";
import { LineSlicer } from "./lineSlicer.js";
import { READ_CHUNK_BYTES, createFileText, createTextTransform } from "./csvText.js";

/** Called once per non-blank row with its fields and 1-based line number. */
export type CsvRowHandler = (fields: string[], lineNumber: number) => void;

/**
 * Called with runs of rows: `rows[start]` to `rows[end - 1]`, non-blank and well-formed, the
 * first on line `firstLineNumber` and each next one on the next line. The array and the rows
 * are papaparse's and live only until the handler returns.
 */
export type CsvRowsHandler = (rows: readonly string[][], start: number, end: number, firstLineNumber: number) => void;

/**
 * Reads `filePath`, feeds its bytes to `hash`, and calls `onRow` for every row in order.
 * Blank lines at the end are skipped; a blank line followed by more data is an error, since
 * it usually means two files were pasted together. An error thrown by `onRow` stops the read
 * and rejects the promise with that error.
 *
 * Line numbers count rows, which equals lines as long as no quoted field holds a newline —
 * true of every bar and funding format we read.
 */
export function streamCsvRows(filePath: string, hash: Hash, onRow: CsvRowHandler): Promise<void> {
  return streamCsvRowRuns(filePath, hash, (rows, start, end, firstLineNumber) => {
    for (let index = start; index < end; index++) onRow(rows[index], firstLineNumber + index - start);
  });
}

/**
 * As streamCsvRows, but hands on the rows in runs (a parser chunk's rows up to the next blank
 * or malformed row), so that a loader reads them in one loop without a call per row.
 */
export async function streamCsvRowRuns(filePath: string, hash: Hash, onRows: CsvRowsHandler): Promise<void> {
  // Imported here, not at the top: a run served from the data cache parses no CSV, and only
  // a .zip or .gz needs the decompressor (fflate) — ~25 ms of start-up each on a 2-core machine.
  const encoding = dataFileEncoding(filePath);
  const [{ default: Papa }, decompressor] = await Promise.all([
    import("papaparse"),
    encoding === "csv" ? null : import("./decompressor.js"),
  ]);
  return new Promise((resolve, reject) => {
    let settled = false;
    let linesSeen = 0;
    let firstBlankLine = 0;

    const archive: Decompressor | null = encoding === "csv" || decompressor === null ? null : decompressor.createDecompressor(filePath, encoding);
    const slicer = new LineSlicer();
    let text: Readable;
    /** Stops reading the file. */
    let stop: () => void;

    const settle = (error: unknown): void => {
      if (settled) return;
      settled = true;
      if (error === null) resolve();
      else reject(locateInMember(error, filePath, archive?.memberName() ?? null));
    };

    const readError = (error: unknown): unknown => toReadError(archive === null ? error : archive.describeError(error), filePath);
    if (archive === null) {
      // Read errors reach papaparse's `error` below.
      text = createFileText(filePath, hash, slicer);
      stop = () => text.destroy();
    } else {
      // The archive's raw, compressed bytes are hashed on their way to the decompressor.
      const source = createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES });
      const member = createTextTransform(slicer);
      text = member;
      pipeline(source, createHashingTap(hash), archive.stream, member, (error: NodeJS.ErrnoException | null) => {
        if (error) settle(readError(error));
      });
      stop = () => source.destroy();
    }

    /** A blank row, a malformed row, or any row after a blank one: one at a time. */
    const handleSpecialRow = (rows: readonly string[][], index: number, lineNumber: number, malformed: DataError | null): void => {
      if (malformed !== null) throw malformed;
      const fields = rows[index];
      if (fields.length === 1 && fields[0].trim() === "") {
        if (firstBlankLine === 0) firstBlankLine = lineNumber;
        return;
      }
      if (firstBlankLine !== 0) {
        throw new DataError(
          "blank line in the middle of the data",
          `${filePath}:${firstBlankLine}`,
          "remove the empty line; only trailing blank lines are ignored",
        );
      }
      onRows(rows, index, index + 1, lineNumber);
    };

    Papa.parse<string[]>(text, {
      delimiter: ",",
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      // papaparse strips a UTF-8 BOM only from string input, not from streams.
      beforeFirstChunk: (chunk) => (chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : undefined),
      chunk(results, parser) {
        const firstErrorRow = results.errors.length === 0 ? -1 : Math.min(...results.errors.map((e) => e.row ?? 0));
        try {
          const rows = results.data;
          const count = rows.length;
          let start = 0;
          for (let index = 0; index < count; index++) {
            // Ordinary rows (several fields, no error, no blank line before) go on in one run.
            if (rows[index].length !== 1 && index !== firstErrorRow && firstBlankLine === 0) continue;
            if (index > start) onRows(rows, start, index, linesSeen + start + 1);
            start = index + 1;
            const lineNumber = linesSeen + index + 1;
            handleSpecialRow(rows, index, lineNumber, index === firstErrorRow ? malformedCsvError(results.errors, firstErrorRow, filePath, lineNumber) : null);
          }
          if (count > start) onRows(rows, start, count, linesSeen + start + 1);
          linesSeen += count;
        } catch (error) {
          settle(error);
          parser.abort();
          stop();
        }
      },
      complete: () => {
        // The slicer stopped at an overlong line after handing on the lines before it, which
        // the parser has now read: that line is the next one.
        if (slicer.overflowed) {
          settle(overlongLineError(filePath, linesSeen + 1));
          stop();
        } else {
          settle(null);
        }
      },
      error: (error: Error) => settle(readError(error)),
    });
  });
}

/** The file's raw bytes, hashed on their way to the decompressor. */
function createHashingTap(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

function malformedCsvError(errors: ParseError[], row: number, filePath: string, lineNumber: number): DataError {
  const first = errors.find((e) => (e.row ?? 0) === row);
  return new DataError(
    `malformed CSV: ${first?.message ?? "unreadable row"}`,
    `${filePath}:${lineNumber}`,
    "check the quoting of this line",
  );
}

function toReadError(error: unknown, filePath: string): unknown {
  if (error instanceof DataError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return new DataError("file not found", filePath, "check the path");
  if (code === "EISDIR") return new DataError("expected a file but found a folder", filePath);
  if (typeof code === "string") return new DataError(`cannot read the file (${code})`, filePath);
  return error;
}

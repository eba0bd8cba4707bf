/**
 * Streams a CSV file through papaparse row by row, hashing the raw bytes on the way, so a
 * large file is never held as row objects and its fingerprint costs no second read. A `.zip`
 * or `.gz` file is decompressed on the way (archiveStream.ts); its raw, compressed bytes are
 * what is hashed, and row errors name the archive member: `X.zip:X.csv:17`.
 */

import { createReadStream } from "node:fs";
import type { Hash } from "node:crypto";
import { Transform, pipeline } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { ParseError } from "papaparse";
import { DataError } from "../engine/errors.js";
import { dataFileEncoding, locateInMember } from "./archiveStream.js";
import type { Decompressor } from "./decompressor.js";
import { LineLengthGuard } from "./lineLengthGuard.js";

/** Called once per non-blank row with its fields and 1-based line number. */
export type CsvRowHandler = (fields: string[], lineNumber: number) => void;

/** Bytes per read from disk: large, so the reads cost few trips to libuv's thread pool. */
const READ_CHUNK_BYTES = 1 << 20;
/**
 * Bytes of text per papaparse chunk. papaparse keeps a whole chunk's row arrays and field
 * strings alive until its callback returns; at 64 KiB (~600 rows) they die young, in V8's
 * nursery. 1 MiB chunks cost a third more time, most of it garbage collection (measured: a
 * 1 M-row kline file, 1.9–2.7 s at 1 MiB, 1.3–1.4 s at 64 KiB; 16–32 KiB about the same).
 */
const PARSE_SLICE_BYTES = 1 << 16;

/**
 * Reads `filePath`, feeds its bytes to `hash`, and calls `onRow` for every row in order.
 * Blank lines at the end are skipped; a blank line followed by more data is an error, since
 * it usually means two files were pasted together. An error thrown by `onRow` stops the read
 * and rejects the promise with that error.
 *
 * Line numbers count rows, which equals lines as long as no quoted field holds a newline —
 * true of every bar and funding format we read.
 */
export async function streamCsvRows(filePath: string, hash: Hash, onRow: CsvRowHandler): Promise<void> {
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

    const source = createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES });
    const archive: Decompressor | null = encoding === "csv" || decompressor === null ? null : decompressor.createDecompressor(filePath, encoding);
    const text = createHashingDecoder(archive === null ? hash : null, new LineLengthGuard(filePath));

    const settle = (error: unknown): void => {
      if (settled) return;
      settled = true;
      if (error === null) resolve();
      else reject(locateInMember(error, filePath, archive?.memberName() ?? null));
    };

    const readError = (error: unknown): unknown => toReadError(archive === null ? error : archive.describeError(error), filePath);
    const onPipelineEnd = (error: NodeJS.ErrnoException | null): void => {
      if (error) settle(readError(error));
    };
    if (archive === null) pipeline(source, text, onPipelineEnd);
    else pipeline(source, createHashingTap(hash), archive.stream, text, onPipelineEnd);

    const handleRow = (fields: string[], lineNumber: number): void => {
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
      onRow(fields, lineNumber);
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
          for (let index = 0; index < rows.length; index++) {
            const lineNumber = linesSeen + index + 1;
            if (index === firstErrorRow) throw malformedCsvError(results.errors, firstErrorRow, filePath, lineNumber);
            handleRow(rows[index], lineNumber);
          }
          linesSeen += rows.length;
        } catch (error) {
          settle(error);
          parser.abort();
          source.destroy();
        }
      },
      complete: () => settle(null),
      error: (error: Error) => settle(readError(error)),
    });
  });
}

/**
 * Bytes in, hashed (unless the bytes are an archive's contents), line lengths bounded,
 * decoded as UTF-8 without splitting a character across chunks, and handed on in slices of
 * PARSE_SLICE_BYTES.
 */
function createHashingDecoder(hash: Hash | null, guard: LineLengthGuard): Transform {
  const decoder = new StringDecoder("utf8");
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      hash?.update(chunk);
      try {
        guard.check(chunk);
      } catch (error) {
        done(error as Error);
        return;
      }
      for (let start = 0; start < chunk.length; start += PARSE_SLICE_BYTES) {
        const text = decoder.write(chunk.subarray(start, start + PARSE_SLICE_BYTES));
        if (text.length > 0) this.push(text);
      }
      done();
    },
    flush(done) {
      const rest = decoder.end();
      if (rest.length > 0) this.push(rest);
      done();
    },
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

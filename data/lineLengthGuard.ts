/**
 * Bounds the length of one line of a streamed CSV (README "Assumptions the engine makes"):
 * a file without line breaks — 100 MB of NUL bytes, a binary file, a 2 GB dump on one line —
 * would otherwise be collected by the parser as one ever-growing string until Node runs out
 * of memory. The guard counts the bytes since the last line feed as the text streams past and
 * stops the read at the first line longer than the bound, naming the file and that line.
 */

import { DataError } from "../engine/errors.js";

/** The longest line a CSV input may have, in bytes (1 MiB; a bar row is under 200 bytes). */
export const MAX_CSV_LINE_BYTES = 1 << 20;

const LINE_FEED = 0x0a;

/** Tracks line lengths across the chunks of one file. */
export class LineLengthGuard {
  /** 1-based number of the line the next byte belongs to. */
  private line = 1;
  /** Bytes of the current line seen so far. */
  private bytesInLine = 0;

  constructor(
    private readonly filePath: string,
    private readonly maxLineBytes: number = MAX_CSV_LINE_BYTES,
  ) {}

  /** Feeds the next chunk of decoded bytes; throws a DataError at the first overlong line. */
  check(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const feed = chunk.indexOf(LINE_FEED, start);
      const end = feed < 0 ? chunk.length : feed;
      this.bytesInLine += end - start;
      if (this.bytesInLine > this.maxLineBytes) throw this.tooLong();
      if (feed < 0) return;
      this.line++;
      this.bytesInLine = 0;
      start = feed + 1;
    }
  }

  private tooLong(): DataError {
    return new DataError(
      `line ${this.line} is longer than ${this.maxLineBytes} bytes: not a CSV file, or one without line breaks`,
      `${this.filePath}:${this.line}`,
      "check that this is the right file; rows of a CSV input end with a line break",
    );
  }
}

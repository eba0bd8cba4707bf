/**
 * Cuts a CSV's bytes into slices that end at line breaks, for the parser (csvStream.ts), and
 * bounds the length of a line on the way (lineLengthGuard.ts).
 *
 * Slices end at a line feed so that the parser never holds a partial row between slices:
 * papaparse would otherwise join each slice's first row to the last one's tail, copying the
 * whole slice into a new string. A slice boundary at a line feed never splits a UTF-8
 * character either. Lines inside a slice are shorter than the slice, so only a line that runs
 * past a slice's end is measured against the bound — no scan per line (the per-line scan cost
 * ~25 ms per 1 M rows).
 */

import { MAX_CSV_LINE_BYTES } from "./lineLengthGuard.js";

const LINE_FEED = 0x0a;

/**
 * Bytes per slice (a slice ends at the last line feed within this many bytes). papaparse
 * keeps a whole slice's row arrays and field strings alive until its callback returns; at
 * 64 KiB (~600 rows) they die young, in V8's nursery. 1 MiB slices cost a third more time,
 * most of it garbage collection (measured: a 1 M-row kline file, 1.9–2.7 s at 1 MiB, 1.3–1.4 s
 * at 64 KiB; 16–32 KiB about the same). Cut at line breaks: 16–128 KiB the same, 256 KiB ~10 %
 * slower.
 */
export const SLICE_BYTES = 1 << 16;

/** The bytes of one stream, handed on as slices of whole lines. */
export class LineSlicer {
  /** The unfinished last line: the bytes after the last line feed seen (a copy). */
  private tail: Buffer | null = null;
  private tooLong = false;

  constructor(
    private readonly maxLineBytes: number = MAX_CSV_LINE_BYTES,
    private readonly sliceBytes: number = SLICE_BYTES,
  ) {
    if (sliceBytes > maxLineBytes) throw new Error("LineSlicer: a slice must not be longer than the line bound");
  }

  /**
   * True once a line longer than the bound has been seen: nothing of that line or after it
   * has been handed on, so the line's number is one more than the lines handed on.
   */
  get overflowed(): boolean {
    return this.tooLong;
  }

  /**
   * Hands `emit` every slice of whole lines (each ending with its line feed) that `chunk`
   * completes, in order, and keeps the unfinished last line. Returns false, and ignores this
   * and all later input, once a line is longer than the bound (its line feed not counted).
   */
  push(chunk: Buffer, emit: (slice: Buffer) => void): boolean {
    if (this.tooLong) return false;
    const length = chunk.length;
    let start = 0;
    if (this.tail !== null) {
      const feed = chunk.indexOf(LINE_FEED);
      if (this.tail.length + (feed < 0 ? length : feed) > this.maxLineBytes) return this.overflow();
      if (feed < 0) {
        this.tail = Buffer.concat([this.tail, chunk]);
        return true;
      }
      emit(Buffer.concat([this.tail, chunk.subarray(0, feed + 1)]));
      this.tail = null;
      start = feed + 1;
    }
    while (start < length) {
      const windowEnd = Math.min(start + this.sliceBytes, length);
      let cut = chunk.lastIndexOf(LINE_FEED, windowEnd - 1);
      if (cut < start) {
        // No line feed in the window: this line runs on past it (and every line inside a
        // window is shorter than the window, so this is the only line to measure).
        cut = windowEnd === length ? -1 : chunk.indexOf(LINE_FEED, windowEnd);
        if ((cut < 0 ? length : cut) - start > this.maxLineBytes) return this.overflow();
        if (cut < 0) {
          this.tail = Buffer.from(chunk.subarray(start));
          return true;
        }
      }
      emit(chunk.subarray(start, cut + 1));
      start = cut + 1;
    }
    return true;
  }

  /** Hands on the last line when the stream does not end with a line break. */
  end(emit: (slice: Buffer) => void): void {
    if (this.tail !== null && !this.tooLong) emit(this.tail);
    this.tail = null;
  }

  private overflow(): false {
    this.tooLong = true;
    this.tail = null;
    return false;
  }
}

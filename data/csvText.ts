/**
 * A CSV's bytes as the text the parser reads (csvStream.ts): cut into slices of whole lines
 * (lineSlicer.ts, which also bounds a line's length), decoded as UTF-8, and handed on as a
 * stream of strings. A plain file is read by `createFileText`; a decompressed archive's bytes
 * go through `createTextTransform`. When a line is longer than the bound, the text ends before
 * it: the caller raises the error, naming the line.
 */

import { isAscii } from "node:buffer";
import type { Hash } from "node:crypto";
import { close, open, read } from "node:fs";
import { Readable, Transform } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { LineSlicer } from "./lineSlicer.js";

/** Bytes per read from disk: large, so the reads cost few trips to libuv's thread pool. */
export const READ_CHUNK_BYTES = 1 << 20;

/**
 * The text of consecutive bytes, handed to `push` slice by slice. A slice of ASCII bytes
 * (nearly every data file) is decoded as Latin-1, which gives the same text a third faster;
 * any other slice goes through a UTF-8 decoder, which keeps a character split across slices
 * (possible only where a slice does not end with a line feed: at the end of the bytes).
 */
class TextSlices {
  private readonly decoder = new StringDecoder("utf8");
  /** The decoder holds no partial character: the last slice it read ended with an ASCII byte. */
  private decoderIdle = true;

  constructor(
    private readonly slicer: LineSlicer,
    private readonly push: (text: string) => void,
  ) {}

  /** Hands on the text of the whole lines `chunk` completes; false once a line is too long (the text then ends). */
  write(chunk: Buffer): boolean {
    return this.slicer.push(chunk, this.emit);
  }

  /** Hands on the last line when the bytes do not end with a line break. */
  end(): void {
    if (this.slicer.overflowed) return;
    this.slicer.end(this.emit);
    const rest = this.decoder.end();
    if (rest.length > 0) this.push(rest);
  }

  private readonly emit = (slice: Buffer): void => {
    let text: string;
    if (this.decoderIdle && isAscii(slice)) {
      text = slice.toString("latin1");
    } else {
      this.decoderIdle = slice[slice.length - 1] < 0x80;
      text = this.decoder.write(slice);
    }
    if (text.length > 0) this.push(text);
  };
}

/**
 * The text of a plain CSV file, its bytes fed to `hash` as they are read. The file is read
 * into one reused buffer: the bytes are hashed and decoded (copied into strings) before the
 * next read, and a fresh 1 MiB buffer per read cost ~40 ms of page faults per 100 MB.
 */
export function createFileText(filePath: string, hash: Hash, slicer: LineSlicer): Readable {
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let fd: number | null = null;
  let pushed = 0;
  const text = new TextSlices(slicer, (part) => {
    stream.push(part);
    pushed++;
  });
  const end = (): void => {
    text.end();
    stream.push(null);
  };
  /** A read is under way: the buffer is not to be read into again before its bytes are handed on. */
  let reading = false;
  const readNext = (): void => {
    if (reading) return;
    reading = true;
    read(fd!, buffer, 0, buffer.length, null, (error, bytes) => {
      reading = false;
      if (stream.destroyed) return;
      if (error) return void stream.destroy(error);
      if (bytes === 0) return end();
      const chunk = buffer.subarray(0, bytes);
      hash.update(chunk);
      pushed = 0;
      if (!text.write(chunk)) return end();
      // A read inside one long line hands nothing on: read on, or the stream would wait for a push.
      if (pushed === 0) readNext();
    });
  };
  const stream: Readable = new Readable({
    objectMode: true,
    construct(done) {
      open(filePath, "r", (error, opened) => {
        if (!error) fd = opened;
        done(error);
      });
    },
    read: readNext,
    destroy(error, done) {
      if (fd === null) return done(error);
      close(fd, () => done(error));
      fd = null;
    },
  });
  return stream;
}

/** The text of decompressed bytes (an archive's member), as a transform. */
export function createTextTransform(slicer: LineSlicer): Transform {
  const text = new TextSlices(slicer, (part) => stream.push(part));
  const stream: Transform = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      if (!text.write(chunk)) stream.push(null);
      done();
    },
    flush(done) {
      text.end();
      done();
    },
  });
  return stream;
}

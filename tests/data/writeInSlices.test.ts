/**
 * Large files are written in slices (data/writeInSlices.ts) rather than one huge write(2):
 * the file holds exactly the bytes given, whatever their length against the slice size, and
 * text is written as UTF-8.
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WRITE_SLICE_BYTES, writeAllInSlices, writeFileInSlices } from "../../data/writeInSlices.js";
import { makeTempFolder } from "./fixtureFiles.js";

function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe("writing in slices", () => {
  it("writes exactly the bytes given, at lengths around the slice size", () => {
    const folder = makeTempFolder();
    for (const length of [0, 1, WRITE_SLICE_BYTES - 1, WRITE_SLICE_BYTES, WRITE_SLICE_BYTES + 1, 3 * WRITE_SLICE_BYTES + 5]) {
      const bytes = bytesOf(length, length);
      const path = join(folder, `f${length}.bin`);
      writeFileInSlices(path, bytes);
      expect(Buffer.compare(readFileSync(path), Buffer.from(bytes)), `length ${length}`).toBe(0);
    }
  });

  it("replaces a longer file's content whole, and writes text as UTF-8", () => {
    const path = join(makeTempFolder(), "text.csv");
    writeFileInSlices(path, bytesOf(2 * WRITE_SLICE_BYTES, 7));
    const text = `${"é,€,😀\n".repeat(40_000)}end`;
    writeFileInSlices(path, text);
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("continues at the descriptor's position, after what was written before", () => {
    const path = join(makeTempFolder(), "appended.bin");
    const fd = openSync(path, "w");
    writeSync(fd, Buffer.from("head:"));
    const body = bytesOf(WRITE_SLICE_BYTES + 3, 1);
    writeAllInSlices(fd, body);
    closeSync(fd);
    expect(Buffer.compare(readFileSync(path), Buffer.concat([Buffer.from("head:"), Buffer.from(body)]))).toBe(0);
  });
});

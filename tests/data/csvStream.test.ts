import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { streamCsvRows } from "../../data/csvStream.js";
import { MAX_CSV_LINE_BYTES } from "../../data/lineLengthGuard.js";
import { LineSlicer } from "../../data/lineSlicer.js";
import { dataErrorOf, makeTempFolder, writeFixture } from "./fixtureFiles.js";

/** Every row streamCsvRows hands on, with its line number. */
async function streamedRows(path: string): Promise<[string[], number][]> {
  const rows: [string[], number][] = [];
  await streamCsvRows(path, createHash("sha256"), (fields, lineNumber) => void rows.push([[...fields], lineNumber]));
  return rows;
}

/** The rows papaparse reads from the whole text at once, numbered, without blank rows. */
function rowsOfWholeText(text: string): [string[], number][] {
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { delimiter: "," }).data;
  return rows.map((fields, index): [string[], number] => [fields, index + 1]).filter(([fields]) => !(fields.length === 1 && fields[0].trim() === ""));
}

/** A CSV of `lines` rows whose last column mixes ASCII with one- to four-byte UTF-8 characters. */
function mixedTextCsv(lines: number, newline: string): string {
  const notes = ["", "plain", "é", "naïve café", "€ 5", "😀", "日本語", "a\u00a0b", "\u{10FFFF}"];
  const rows = ["timestamp,open,high,low,close,volume,note"];
  for (let line = 0; line < lines; line++) {
    // Runs of ASCII-only rows between the others, so both decoders take turns across slices.
    const note = line % 997 < 500 ? "ascii only" : notes[(line * 7919) % notes.length];
    rows.push(`${1_704_067_200_000 + line * 60_000},42000.15,42010.5,41990,42005.11,${line % 100}.5,${note}`);
  }
  return `\uFEFF${rows.join(newline)}${newline}`;
}

describe("the streamed CSV rows", () => {
  it("are exactly the rows papaparse reads from the whole text, with multi-byte characters across every slice and read boundary", async () => {
    const folder = makeTempFolder();
    for (const newline of ["\n", "\r\n"]) {
      const text = mixedTextCsv(25_000, newline); // ~2 MB: 2 reads of 1 MiB, ~30 slices of 64 KiB
      const plain = writeFixture(folder, `mixed${newline.length}.csv`, text);
      const expected = rowsOfWholeText(text);
      expect(await streamedRows(plain)).toEqual(expected);
      const gz = writeFixture(folder, `mixed${newline.length}.csv.gz`, gzipSync(text));
      expect(await streamedRows(gz)).toEqual(expected);
    }
  }, 30_000);

  it("give the last row of a file that does not end with a line break, and read a quoted field across slices", async () => {
    const folder = makeTempFolder();
    const longQuoted = `"${"x,".repeat(40_000)}"`; // 80 KB in one quoted field, longer than a slice
    // A quoted line break as the last one before the first slice's end (64 KiB): the cut falls inside the quotes.
    const head = `a,b\n${"1,2\n".repeat(16_380)}`;
    const quotedBreak = `2,"${"q".repeat(65_536 - head.length - 4)}\nstill one field"\n`;
    const text = `${head}${quotedBreak}1,${longQuoted}\n2,"é\nstill one field"\n3,last`;
    const path = writeFixture(folder, "quoted.csv", text);
    expect(await streamedRows(path)).toEqual(rowsOfWholeText(text));
  });

  it("stop at the first line longer than the bound, naming it after many short lines, plain and gzipped", async () => {
    const folder = makeTempFolder();
    const short = Array.from({ length: 20_000 }, (_, line) => `${line},1,2`).join("\n");
    const text = `${short}\n${"9".repeat(MAX_CSV_LINE_BYTES + 1)}\nmore,rows,after`;
    for (const path of [writeFixture(folder, "long.csv", text), writeFixture(folder, "long.csv.gz", gzipSync(text))]) {
      const error = await dataErrorOf(streamedRows(path));
      expect(error.where).toBe(`${path}:20001`);
      expect(error.message).toBe(`line 20001 is longer than ${MAX_CSV_LINE_BYTES} bytes: not a CSV file, or one without line breaks`);
    }
  });

  it("accept a line exactly at the bound", async () => {
    const folder = makeTempFolder();
    const path = writeFixture(folder, "bound.csv", `a,b\n${"9".repeat(MAX_CSV_LINE_BYTES - 2)},x\n`);
    const rows = await streamedRows(path);
    expect(rows.map(([fields, line]) => [fields.length, line])).toEqual([[2, 1], [2, 2]]);
  });
});

describe("the line slicer", () => {
  const textAndCuts = fc.record({
    lines: fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ minLength: 10, maxLength: 40 })), { maxLength: 30 }),
    endsWithBreak: fc.boolean(),
    cuts: fc.array(fc.nat(400), { maxLength: 12 }),
  });

  it("hands on every byte once, in order, in slices of whole lines, and measures each line against the bound", () => {
    fc.assert(
      fc.property(textAndCuts, ({ lines, endsWithBreak, cuts }) => {
        const bytes = Buffer.from(lines.join("\n") + (endsWithBreak && lines.length > 0 ? "\n" : ""));
        const bound = 24;
        const slicer = new LineSlicer(bound, 8);
        const slices: Buffer[] = [];
        const emit = (slice: Buffer): void => void slices.push(Buffer.from(slice));
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const point of [...points, bytes.length]) {
          slicer.push(bytes.subarray(from, point), emit);
          from = point;
        }
        slicer.end(emit);

        const lineLengths = bytes.toString("latin1").split("\n").map((line) => line.length);
        const firstTooLong = lineLengths.findIndex((length) => length > bound);
        const handedOn = Buffer.concat(slices);
        if (firstTooLong < 0) {
          expect(slicer.overflowed).toBe(false);
          expect(handedOn.equals(bytes)).toBe(true);
        } else {
          // Exactly the lines before the long one were handed on.
          expect(slicer.overflowed).toBe(true);
          const before = lineLengths.slice(0, firstTooLong).reduce((sum, length) => sum + length + 1, 0);
          expect(handedOn.equals(bytes.subarray(0, before))).toBe(true);
        }
        for (const slice of slices.slice(0, -1)) expect(slice[slice.length - 1]).toBe(0x0a);
      }),
      { numRuns: 3_000 },
    );
  });
});

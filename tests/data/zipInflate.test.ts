/**
 * A ZIP member's deflated data is inflated by Node's zlib, asynchronously, while fflate reads
 * the archive's structure: large members, members written with a data descriptor, and every
 * check at the member's end must behave as with a synchronous inflater.
 */

import { Zip, ZipDeflate } from "fflate";
import { describe, expect, it } from "vitest";
import { loadBarFile } from "../../data/loadBars.js";
import { zipOne } from "../fixtures/binanceArchives.js";
import { dataErrorOf, klineRow, makeTempFolder, writeFixture } from "./fixtureFiles.js";

const MINUTE_MS = 60_000;
const START_MS = Date.UTC(2024, 0, 1);

/** `rows` one-minute kline rows with varying 2-decimal prices (~2.7 MB for 30,000). */
function klineCsv(rows: number): string {
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    const open = 42_000 + ((row * 7919) % 5000) / 100;
    lines.push(klineRow(START_MS + row * MINUTE_MS, open, open + 12.5, open - 7.25, open + 3.01));
  }
  return `${lines.join("\n")}\n`;
}

const bytesOf = (values: Float64Array): Buffer => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

/** A ZIP written by a streaming zipper: sizes and CRC-32 follow the data (general-purpose flag bit 3). */
function streamedZip(memberName: string, text: string): Buffer {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const member = new ZipDeflate(memberName, { level: 6 });
  zip.add(member);
  member.push(new TextEncoder().encode(text), true);
  zip.end();
  return Buffer.concat(parts);
}

describe("a ZIP member inflated by Node's zlib", () => {
  it("reads a multi-megabyte member to the same bars as the CSV, with sizes in the header or after the data", async () => {
    const csv = klineCsv(30_000);
    const folder = makeTempFolder();
    const plain = await loadBarFile(writeFixture(folder, "plain/BTCUSDT-1m.csv", csv));
    const streamed = streamedZip("BTCUSDT-1m.csv", csv);
    expect(streamed.readUInt16LE(6) & 0x0008).toBe(0x0008); // the data descriptor flag
    for (const bytes of [zipOne("BTCUSDT-1m.csv", csv), streamed]) {
      const { series } = await loadBarFile(writeFixture(makeTempFolder(), "BTCUSDT-1m.zip", bytes));
      expect(series.length).toBe(30_000);
      for (const column of ["time", "open", "high", "low", "close", "volume"] as const) {
        expect(bytesOf(series[column]).equals(bytesOf(plain.series[column]))).toBe(true);
      }
    }
  }, 30_000);

  it("checks a deflated member's CRC-32 and size against its header once the last bytes are inflated", async () => {
    const bytes = zipOne("BTCUSDT-1m.csv", klineCsv(20_000));
    const badCrc = Buffer.from(bytes);
    badCrc[14] ^= 0x01; // the CRC-32 in the local header
    const crcPath = writeFixture(makeTempFolder(), "BTCUSDT-1m.zip", badCrc);
    const crcError = await dataErrorOf(loadBarFile(crcPath));
    expect(crcError.where).toBe(crcPath);
    expect(crcError.message).toMatch(/^corrupt ZIP archive: BTCUSDT-1m\.csv fails its CRC-32 check \([0-9a-f]{8} instead of [0-9a-f]{8}\)$/);

    const badSize = Buffer.from(bytes);
    const size = badSize.readUInt32LE(22); // the uncompressed size in the local header
    badSize.writeUInt32LE(size + 1, 22);
    const sizePath = writeFixture(makeTempFolder(), "BTCUSDT-1m.zip", badSize);
    const sizeError = await dataErrorOf(loadBarFile(sizePath));
    expect(sizeError.message).toBe(`corrupt ZIP archive: BTCUSDT-1m.csv unpacks to ${size} bytes but the archive says ${size + 1}`);
  });

  it("stops with a corrupt-archive error naming the file when zlib fails while megabytes are still streaming in", async () => {
    const bytes = Buffer.from(zipOne("BTCUSDT-1m.csv", klineCsv(60_000)));
    bytes.fill(0xff, 100, 400); // the first deflate block's header
    const path = writeFixture(makeTempFolder(), "BTCUSDT-1m.zip", bytes);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(path);
    expect(error.message).toBe("corrupt ZIP archive: invalid block type");
  }, 30_000);
});

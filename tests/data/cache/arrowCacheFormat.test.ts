import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RecordBatch, Schema, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { decodeBarsEntry, decodeFundingEntry, encodeBarsEntry, encodeFundingEntry, readBarsEntry, readFundingEntry } from "../../../data/arrowCacheFormat.js";
import { loadFundingFiles } from "../../../data/loadFunding.js";
import { CACHE_FORMAT_VERSION, cacheEntryPath, readCacheEntry, writeCacheEntry } from "../../../data/cacheStore.js";
import { hashSourceFiles } from "../../../data/hashSourceFiles.js";
import { loadBarFile } from "../../../data/loadBars.js";
import { loadMarketData } from "../../../data/loadMarketData.js";
import { HOUR_MS, JAN_1_2024_MS, makeTempFolder, writeFixture } from "../fixtureFiles.js";
import { BAR_COLUMN_KEYS, fundingRatesCsv, hourlyBarsCsv } from "./cacheFixtures.js";

/** A bar CSV loaded once through the cache: the paths of the CSV and of its entry. */
async function cachedBars(rows = 24, gapAt = 9): Promise<{ csv: string; entry: string }> {
  const folder = makeTempFolder();
  const csv = writeFixture(folder, "BTCUSDT.csv", hourlyBarsCsv(rows, gapAt));
  const dir = join(folder, "cache");
  await loadMarketData({ paths: [csv], cache: { dir } });
  return { csv, entry: cacheEntryPath(dir, "bars", hashSourceFiles([csv])) };
}

/** The same Arrow table with some schema metadata replaced, written again. */
function withMetadata(bytes: Uint8Array, changes: Record<string, string>): Uint8Array {
  const table = tableFromIPC(bytes);
  const schema = new Schema(table.schema.fields, new Map([...table.schema.metadata, ...Object.entries(changes)]));
  return tableToIPC(new Table(schema, table.batches.map((batch) => new RecordBatch(schema, batch.data))), "file");
}

describe("a cache entry as an Arrow IPC file", () => {
  it("reads back with apache-arrow's tableFromIPC as Float64 columns timestamp, open, high, low, close, volume", async () => {
    const { csv, entry } = await cachedBars();
    const table = tableFromIPC(readFileSync(entry));
    expect(table.schema.fields.map((field) => [field.name, String(field.type), field.nullable])).toEqual(
      ["timestamp", "open", "high", "low", "close", "volume"].map((name) => [name, "Float64", false]),
    );
    expect(table.numRows).toBe(23);
    expect(table.batches).toHaveLength(1);
    expect(table.getChild("timestamp")?.get(0)).toBe(JAN_1_2024_MS);
    expect(table.getChild("timestamp")?.get(9)).toBe(JAN_1_2024_MS + 10 * HOUR_MS);
    expect(table.getChild("close")?.get(1)).toBe(100.75);
    expect(table.schema.fields[0].metadata.get("unit")).toBe("epoch milliseconds, UTC");
    expect(Object.fromEntries(table.schema.metadata)).toEqual({
      "exitlab.cache_version": String(CACHE_FORMAT_VERSION),
      "exitlab.format": "bars",
      "exitlab.symbol": "BTCUSDT",
      "exitlab.rows": "23",
      "exitlab.first_time_ms": String(JAN_1_2024_MS),
      "exitlab.last_time_ms": String(JAN_1_2024_MS + 23 * HOUR_MS),
      "exitlab.source_sha256": hashSourceFiles([csv]).sha256,
      "exitlab.source_bytes": String(readFileSync(csv).length),
      "exitlab.timeframe_ms": String(HOUR_MS),
      "exitlab.gaps": "1",
      "exitlab.missing_bars": "1",
    });
  });

  it("stores funding as timestamp and funding_rate", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "data/BTCUSDT.csv", hourlyBarsCsv(24));
    const funding = writeFixture(folder, "data/funding/BTCUSDT.csv", fundingRatesCsv(3));
    const dir = join(folder, "cache");
    await loadMarketData({ paths: [join(folder, "data")], cache: { dir } });
    const table = tableFromIPC(readFileSync(cacheEntryPath(dir, "funding", hashSourceFiles([funding]))));
    expect(table.schema.fields.map((field) => `${field.name}:${String(field.type)}`)).toEqual(["timestamp:Float64", "funding_rate:Float64"]);
    expect([...table.getChild("funding_rate")!.toArray()]).toEqual([-2e-5, -1e-5, 0]);
    expect(table.schema.metadata.get("exitlab.format")).toBe("funding");
  });
});

describe("decoding a cache entry", () => {
  it("hands out the columns as views into the file's bytes, without copying", async () => {
    const { csv, entry } = await cachedBars();
    const bytes = readFileSync(entry);
    const decoded = decodeBarsEntry(bytes, hashSourceFiles([csv]))!;
    expect(decoded.columns).toHaveLength(BAR_COLUMN_KEYS.length);
    for (const column of decoded.columns) {
      expect(column).toBeInstanceOf(Float64Array);
      expect(column.buffer).toBe(bytes.buffer);
    }
  });

  it("still reads an entry whose bytes do not start on an 8-byte boundary", async () => {
    const { csv, entry } = await cachedBars();
    const file = readFileSync(entry);
    const shifted = new Uint8Array(file.length + 3).subarray(3);
    shifted.set(file);
    const decoded = decodeBarsEntry(shifted, hashSourceFiles([csv]))!;
    expect(decoded.columns[0][0]).toBe(JAN_1_2024_MS);
    expect(decoded.columns[4][1]).toBe(100.75);
  });

  it("refuses an entry made for other bytes, another split into files, the other format or another version", async () => {
    const { csv, entry } = await cachedBars();
    const bytes = readFileSync(entry);
    const digest = hashSourceFiles([csv]);
    expect(decodeBarsEntry(bytes, digest)).not.toBeNull();
    expect(decodeBarsEntry(bytes, { ...digest, sha256: "0".repeat(64) })).toBeNull();
    expect(decodeBarsEntry(bytes, { ...digest, byteLengths: [10, digest.byteLengths[0] - 10] })).toBeNull();
    expect(decodeFundingEntry(bytes, digest)).toBeNull();
    expect(decodeBarsEntry(withMetadata(bytes, { "exitlab.cache_version": "0" }), digest)).toBeNull();
  });

  it("refuses metadata that does not describe the columns", async () => {
    const { csv, entry } = await cachedBars();
    const bytes = readFileSync(entry);
    const digest = hashSourceFiles([csv]);
    expect(decodeBarsEntry(withMetadata(bytes, { "exitlab.rows": "22" }), digest)).toBeNull();
    expect(decodeBarsEntry(withMetadata(bytes, { "exitlab.rows": "-23" }), digest)).toBeNull();
    expect(decodeBarsEntry(withMetadata(bytes, { "exitlab.timeframe_ms": "one hour" }), digest)).toBeNull();
    expect(decodeBarsEntry(withMetadata(bytes, { "exitlab.gaps": "" }), digest)).toBeNull();
    expect(decodeBarsEntry(withMetadata(bytes, { "exitlab.last_time_ms": "0" }), digest)).toBeNull();
  });

  it("refuses an entry whose timestamps were zeroed while its metadata survived", async () => {
    const { csv } = await cachedBars();
    const digest = hashSourceFiles([csv]);
    const { series, fingerprint } = await loadBarFile(csv);
    const good = encodeBarsEntry(series, fingerprint.gaps, fingerprint.missingBars, digest);
    const zeroed = encodeBarsEntry({ ...series, time: new Float64Array(series.length) }, fingerprint.gaps, fingerprint.missingBars, digest);
    expect(decodeBarsEntry(good, digest)).not.toBeNull();
    // Keep the good entry's metadata but the zeroed entry's columns.
    const goodMetadata = Object.fromEntries(tableFromIPC(good).schema.metadata);
    expect(decodeBarsEntry(withMetadata(zeroed, goodMetadata), digest)).toBeNull();
  });

  it("refuses a file with other columns", async () => {
    const { csv } = await cachedBars();
    const digest = hashSourceFiles([csv]);
    const { series, fingerprint } = await loadBarFile(csv);
    const good = tableFromIPC(encodeBarsEntry(series, fingerprint.gaps, fingerprint.missingBars, digest));
    const fewer = new Table({ timestamp: good.getChild("timestamp")!, close: good.getChild("close")! });
    expect(decodeBarsEntry(withMetadata(tableToIPC(fewer, "file"), Object.fromEntries(good.schema.metadata)), digest)).toBeNull();
  });
});

describe("the integrity checks of an entry on read", () => {
  it("catches a flipped bit in a column by the whole file's checksum, before any Arrow parsing", async () => {
    const { entry } = await cachedBars();
    const bytes = readFileSync(entry);
    expect(await readCacheEntry(entry)).toEqual({ bytes });
    const close = tableFromIPC(bytes).getChild("close")!.toArray() as Float64Array;
    // Flip the lowest mantissa bit of one close: still a valid bar, only the checksum can tell.
    bytes[close.byteOffset + 5 * 8] ^= 0x01;
    writeFileSync(entry, bytes);
    expect(await readCacheEntry(entry)).toEqual({ damage: "its bytes do not match the checksum written with them" });
  });

  it("checks a file of many read slices whole: the same bytes back, a flipped bit in its last slice caught", async () => {
    const dir = makeTempFolder();
    const path = join(dir, "large.arrow");
    const bytes = Buffer.alloc(3.5 * (1 << 20) + 13);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2_654_435_761) >>> 24;
    expect(writeCacheEntry(path, () => bytes, dir)).toBe(true);
    const read = await readCacheEntry(path);
    expect(read !== null && "bytes" in read && Buffer.from(read.bytes).equals(bytes)).toBe(true); // (toEqual compares 3.5 MB value by value)
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0x10;
    writeFileSync(path, flipped);
    expect(await readCacheEntry(path)).toEqual({ damage: "its bytes do not match the checksum written with them" });
    writeFileSync(path, bytes.subarray(0, bytes.length - 1));
    expect(await readCacheEntry(path)).toEqual({ damage: "its bytes do not match the checksum written with them" });
  });

  it("refuses bars the CSV loader would refuse even under a matching checksum", async () => {
    const { csv } = await cachedBars();
    const digest = hashSourceFiles([csv]);
    const { series, fingerprint } = await loadBarFile(csv);
    const high = Float64Array.from(series.high);
    high[3] = series.low[3] - 1;
    const entry = encodeBarsEntry({ ...series, high }, fingerprint.gaps, fingerprint.missingBars, digest);
    expect(readBarsEntry(entry, digest)).toEqual({ damage: expect.stringMatching(/^row 3: high .* is below low/) });
    const time = Float64Array.from(series.time);
    time[7] = time[6];
    const repeated = encodeBarsEntry({ ...series, time }, fingerprint.gaps, fingerprint.missingBars, digest);
    expect(readBarsEntry(repeated, digest)).toEqual({ damage: "row 7: times are not increasing" });
  });

  it("refuses a funding rate beyond the CSV loader's bound even under a matching checksum", async () => {
    const folder = makeTempFolder();
    const funding = writeFixture(folder, "funding/BTCUSDT.csv", fundingRatesCsv(3));
    const digest = hashSourceFiles([funding]);
    const { series } = await loadFundingFiles([funding], "BTCUSDT");
    const rate = Float64Array.from(series.rate);
    rate[1] = 0.5;
    expect(readFundingEntry(encodeFundingEntry({ ...series, rate }, digest), digest)).toEqual({ damage: expect.stringMatching(/^row 1: funding rate 0.5 is outside/) });
    expect(readFundingEntry(encodeFundingEntry(series, digest), digest)).toMatchObject({ length: 3 });
  });
});

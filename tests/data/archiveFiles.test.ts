import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { loadBarFile } from "../../data/loadBars.js";
import { loadFundingFile, loadFundingFiles } from "../../data/loadFunding.js";
import { loadMarketData } from "../../data/loadMarketData.js";
import { FUNDING_HEADER, KLINE_HEADER, klineLines, sampleRows, zipOne } from "../fixtures/binanceArchives.js";
import { dataErrorOf, makeTempFolder, writeFixture } from "./fixtureFiles.js";

const HOUR_MS = 3_600_000;
const SAMPLE = "binance-perp-1h/BTCUSDT.csv";
const sampleText = (): string => readFileSync(join("data", "samples", SAMPLE), "utf8");

describe("reading .zip and .gz data files", () => {
  it("reads a Binance kline ZIP to the same bars as the CSV it holds", async () => {
    const rows = sampleRows(SAMPLE).slice(0, 500);
    const csv = `${KLINE_HEADER}\n${klineLines(rows, HOUR_MS).join("\n")}\n`;
    const folder = makeTempFolder();
    const plain = writeFixture(folder, "plain/BTCUSDT-1h-2025-09.csv", csv);
    const zipped = writeFixture(folder, "zipped/BTCUSDT-1h-2025-09.zip", zipOne("BTCUSDT-1h-2025-09.csv", csv));
    const fromCsv = await loadBarFile(plain);
    const fromZip = await loadBarFile(zipped);
    expect([...fromZip.series.close]).toEqual([...fromCsv.series.close]);
    expect(fromZip.series.length).toBe(500);
    expect(fromZip.fingerprint.sha256).toBe(createHash("sha256").update(readFileSync(zipped)).digest("hex"));
  });

  it("reads a gzip-compressed CSV", async () => {
    const path = writeFixture(makeTempFolder(), "BTCUSDT.csv.gz", gzipSync(sampleText()));
    const { series } = await loadBarFile(path);
    expect(series.symbol).toBe("BTCUSDT");
    expect(series.length).toBe(1587);
  });

  it("names the archive, its member and the line inside it for a bad row", async () => {
    const lines = klineLines(sampleRows(SAMPLE).slice(0, 30), HOUR_MS);
    lines[15] = lines[15].replace(/^(\d+),([^,]+),([^,]+)/, "$1,$2,-5");
    const path = writeFixture(makeTempFolder(), "BTCUSDT-1h-2025-09.zip", zipOne("BTCUSDT-1h-2025-09.csv", `${KLINE_HEADER}\n${lines.join("\n")}\n`));
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:BTCUSDT-1h-2025-09.csv:17`);
  });

  it("rejects a truncated ZIP as a corrupt archive naming the file", async () => {
    const bytes = zipOne("BTCUSDT.csv", sampleText());
    const path = writeFixture(makeTempFolder(), "BTCUSDT.zip", bytes.subarray(0, bytes.length >> 1));
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(path);
    expect(error.message).toMatch(/^corrupt ZIP archive/);
  });

  it("rejects a ZIP whose compressed data is damaged", async () => {
    const bytes = Buffer.from(zipOne("BTCUSDT.csv", sampleText()));
    bytes.fill(0xff, 100, 400);
    const path = writeFixture(makeTempFolder(), "BTCUSDT.zip", bytes);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where?.startsWith(path)).toBe(true);
    expect(error.message).toMatch(/corrupt ZIP archive|malformed|not|field/);
  });

  it("rejects a ZIP whose data still reads as valid bars but fails its CRC-32", async () => {
    const text = sampleText();
    const bytes = Buffer.from(zipSync({ "BTCUSDT.csv": strToU8(text) }, { level: 0 }));
    const row = "1768237200000,92078.90,9";
    expect(bytes.indexOf(row)).toBeGreaterThan(0);
    const at = bytes.indexOf(row) + row.length;
    bytes[at] = 0x38; // the high 92264.20 becomes 98264.20: still a valid bar
    const path = writeFixture(makeTempFolder(), "BTCUSDT.zip", bytes);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(path);
    expect(error.message).toMatch(/^corrupt ZIP archive: BTCUSDT\.csv fails its CRC-32 check/);
  });

  it("rejects a damaged gzip file as a corrupt archive", async () => {
    const bytes = gzipSync(sampleText());
    bytes.fill(0x00, 20, 200);
    const path = writeFixture(makeTempFolder(), "BTCUSDT.csv.gz", bytes);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(path);
    expect(error.message).toMatch(/^corrupt gzip archive/);
  });

  it("rejects a ZIP holding two files", async () => {
    const bytes = zipSync({ "a.csv": strToU8(sampleText()), "b.csv": strToU8(sampleText()) });
    const path = writeFixture(makeTempFolder(), "BTCUSDT.zip", bytes);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.message).toBe("the archive holds more than one file (a.csv, b.csv)");
  });

  it("reads a Binance funding archive", async () => {
    const path = writeFixture(makeTempFolder(), "BTCUSDT-fundingRate-2026-02.zip",
      zipOne("BTCUSDT-fundingRate-2026-02.csv", `${FUNDING_HEADER}\n1769904000000,8,0.00010000\n1769932800000,8,-0.00002000\n`));
    const { series } = await loadFundingFile(path, "BTCUSDT");
    expect([...series.rate]).toEqual([0.0001, -0.00002]);
  });

  it("joins monthly funding archives of a symbol and checks the order across them", async () => {
    const folder = makeTempFolder();
    const january = writeFixture(folder, "funding/BTCUSDT-fundingRate-2026-01.zip",
      zipOne("BTCUSDT-fundingRate-2026-01.csv", `${FUNDING_HEADER}\n1769817600000,8,0.0001\n1769846400000,8,0.0002\n`));
    writeFixture(folder, "funding/BTCUSDT-fundingRate-2026-02.zip",
      zipOne("BTCUSDT-fundingRate-2026-02.csv", `${FUNDING_HEADER}\n1769875200000,8,0.0003\n`));
    const { series, fingerprint } = await loadFundingFiles([january, join(folder, "funding/BTCUSDT-fundingRate-2026-02.zip")], "BTCUSDT");
    expect([...series.rate]).toEqual([0.0001, 0.0002, 0.0003]);
    expect(fingerprint.files).toHaveLength(2);

    const repeated = writeFixture(folder, "again/BTCUSDT-fundingRate-2026-02.zip",
      zipOne("BTCUSDT-fundingRate-2026-02.csv", `${FUNDING_HEADER}\n1769846400000,8,0.0003\n`));
    const error = await dataErrorOf(loadFundingFiles([january, repeated], "BTCUSDT"));
    expect(error.where).toBe(`${repeated}:BTCUSDT-fundingRate-2026-02.csv:2`);
    expect(error.message).toMatch(/^duplicate time/);
  });

  it("joins a flat folder of monthly archives into one series per symbol, and serves it from the cache the second time", async () => {
    const folder = makeTempFolder();
    const rows = sampleRows(SAMPLE);
    for (const month of ["2026-01", "2026-02", "2026-03"]) {
      const monthRows = rows.filter(([time]) => new Date(Number(time)).toISOString().startsWith(month));
      writeFixture(folder, `BTCUSDT-1h-${month}.zip`, zipOne(`BTCUSDT-1h-${month}.csv`, `${klineLines(monthRows, HOUR_MS).join("\n")}\n`));
    }
    const cache = { dir: join(makeTempFolder(), "cache") };
    const first = await loadMarketData({ paths: [folder], cache });
    expect(first.bars.map((series) => series.symbol)).toEqual(["BTCUSDT"]);
    expect(first.bars[0].time[0]).toBe(Date.UTC(2026, 0, 12, 16)); // the sample's first bar
    expect(first.bars[0].length).toBe(rows.length);
    expect(first.fingerprint[0].files).toHaveLength(3);
    const second = await loadMarketData({ paths: [folder], cache });
    expect([...second.bars[0].close]).toEqual([...first.bars[0].close]);
    expect(second.fingerprint[0].sha256).toBe(first.fingerprint[0].sha256);
  });
});

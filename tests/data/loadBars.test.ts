import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DataError } from "../../engine/errors.js";
import { loadBarFile, loadBarFiles } from "../../data/loadBars.js";
import { writeBarsCsv, generateSynthBars } from "../../data/synth.js";
import { csvLines, HOUR_MS, JAN_1_2024_MS, klineRow, makeTempFolder, writeFixture } from "./fixtureFiles.js";

const THREE_HOURS = [JAN_1_2024_MS, JAN_1_2024_MS + HOUR_MS, JAN_1_2024_MS + 2 * HOUR_MS];

describe("generic CSV with a header", () => {
  it("reads ISO-8601 dates without a zone as UTC", async () => {
    const folder = makeTempFolder();
    const path = writeFixture(
      folder,
      "BTCUSDT.csv",
      csvLines(
        "date,open,high,low,close,volume",
        "2024-01-01,100,110,95,105,10",
        "2024-01-01T01:00:00,105,106,100,101,11",
        "2024-01-01 02:00:00Z,101,103,99,102,12",
      ),
    );
    const { series } = await loadBarFile(path);
    expect([...series.time]).toEqual(THREE_HOURS);
    expect([...series.close]).toEqual([105, 101, 102]);
    expect([...series.volume]).toEqual([10, 11, 12]);
    expect(series.timeframeMs).toBe(HOUR_MS);
  });

  it("applies an ISO-8601 zone offset", async () => {
    const folder = makeTempFolder();
    const path = writeFixture(
      folder,
      "x.csv",
      csvLines("time,open,high,low,close", "2024-01-01T02:00:00+02:00,1,1,1,1", "2024-01-01T01:00:00.000Z,1,1,1,1"),
    );
    const { series } = await loadBarFile(path);
    expect([...series.time]).toEqual([JAN_1_2024_MS, JAN_1_2024_MS + HOUR_MS]);
  });

  it.each([
    ["seconds", 1],
    ["milliseconds", 1000],
    ["microseconds", 1_000_000],
  ])("detects epoch %s by magnitude and normalises them to milliseconds", async (_unit, perSecond) => {
    const folder = makeTempFolder();
    const epoch = (timeMs: number) => String((timeMs / 1000) * perSecond);
    const path = writeFixture(
      folder,
      "x.csv",
      csvLines("timestamp,open,high,low,close,volume", ...THREE_HOURS.map((t) => `${epoch(t)},1,2,0.5,1.5,3`)),
    );
    const { series } = await loadBarFile(path);
    expect([...series.time]).toEqual(THREE_HOURS);
  });

  it("matches column names case-insensitively, in any order, ignoring extra columns", async () => {
    const folder = makeTempFolder();
    const path = writeFixture(
      folder,
      "x.csv",
      csvLines(
        " Close ,VOLUME,symbol,Open_Time,HIGH,Low,Open",
        `105,7,BTC,${THREE_HOURS[0]},110,95,100`,
        `106,8,BTC,${THREE_HOURS[1]},111,96,101`,
      ),
    );
    const { series } = await loadBarFile(path);
    expect([...series.open]).toEqual([100, 101]);
    expect([...series.high]).toEqual([110, 111]);
    expect([...series.low]).toEqual([95, 96]);
    expect([...series.close]).toEqual([105, 106]);
    expect([...series.volume]).toEqual([7, 8]);
  });

  it("fills volume with zeros when the header has no volume column", async () => {
    const folder = makeTempFolder();
    const path = writeFixture(
      folder,
      "x.csv",
      csvLines("datetime,open,high,low,close", "2024-01-01T00:00:00Z,1,2,0.5,1.5", "2024-01-01T01:00:00Z,1,2,0.5,1.5"),
    );
    const { series } = await loadBarFile(path);
    expect([...series.volume]).toEqual([0, 0]);
  });

  it("accepts a UTF-8 byte order mark, CRLF line endings and trailing blank lines", async () => {
    const folder = makeTempFolder();
    const text = "\ufefftimestamp,open,high,low,close,volume\r\n" + THREE_HOURS.map((t) => `${t},1,2,0.5,1.5,3`).join("\r\n") + "\r\n\r\n\r\n";
    const path = writeFixture(folder, "x.csv", text);
    const { series, fingerprint } = await loadBarFile(path);
    expect([...series.time]).toEqual(THREE_HOURS);
    expect([...series.volume]).toEqual([3, 3, 3]);
    expect(fingerprint.sha256).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
  });
});

describe("Binance kline CSV as downloaded", () => {
  it("reads the headerless 12-column layout with open times in milliseconds", async () => {
    const folder = makeTempFolder();
    const path = writeFixture(folder, "BTCUSDT-1h-2024-01.csv", csvLines(...THREE_HOURS.map((t) => klineRow(t, 100, 110, 90, 105))));
    const { series } = await loadBarFile(path);
    expect(series.symbol).toBe("BTCUSDT");
    expect([...series.time]).toEqual(THREE_HOURS);
    expect([...series.open]).toEqual([100, 100, 100]);
    expect([...series.volume]).toEqual([12.5, 12.5, 12.5]);
  });

  it("reads open times in microseconds, as Binance spot files have since 2025", async () => {
    const folder = makeTempFolder();
    const path = writeFixture(folder, "BTCUSDT-1h-2025-01.csv", csvLines(...THREE_HOURS.map((t) => klineRow(t * 1000, 100, 110, 90, 105))));
    const { series } = await loadBarFile(path);
    expect([...series.time]).toEqual(THREE_HOURS);
  });

  it("accepts a monthly file that does carry the open_time header", async () => {
    const folder = makeTempFolder();
    const header =
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";
    const path = writeFixture(folder, "ETHUSDT-1h-2024-02.csv", csvLines(header, ...THREE_HOURS.map((t) => klineRow(t, 100, 110, 90, 105))));
    const { series } = await loadBarFile(path);
    expect(series.symbol).toBe("ETHUSDT");
    expect(series.length).toBe(3);
  });
});

describe("fingerprint", () => {
  it("records rows, first and last time, and hashes several files as one concatenation", async () => {
    const folder = makeTempFolder();
    const january = writeFixture(folder, "a.csv", csvLines(klineRow(THREE_HOURS[0], 1, 2, 0.5, 1.5), klineRow(THREE_HOURS[1], 1, 2, 0.5, 1.5)));
    const february = writeFixture(folder, "b.csv", csvLines("timestamp,open,high,low,close", `${THREE_HOURS[2]},1,2,0.5,1.5`));
    const { series, fingerprint } = await loadBarFiles([january, february], "BTCUSDT");
    const expectedHash = createHash("sha256").update(readFileSync(january)).update(readFileSync(february)).digest("hex");
    expect(series.length).toBe(3);
    expect(fingerprint).toEqual({
      symbol: "BTCUSDT",
      kind: "bars",
      files: [january, february],
      rows: 3,
      firstTimeMs: THREE_HOURS[0],
      lastTimeMs: THREE_HOURS[2],
      sha256: expectedHash,
      gaps: 0,
      missingBars: 0,
    });
  });

  it("counts gaps and missing bars in the fingerprint instead of failing", async () => {
    const folder = makeTempFolder();
    const hours = [0, 1, 2, 5, 6, 7, 9, 10].map((h) => JAN_1_2024_MS + h * HOUR_MS);
    const path = writeFixture(folder, "x.csv", csvLines("timestamp,open,high,low,close", ...hours.map((t) => `${t},1,2,0.5,1.5`)));
    const { series, fingerprint } = await loadBarFile(path);
    expect(series.timeframeMs).toBe(HOUR_MS);
    expect(fingerprint.gaps).toBe(2);
    expect(fingerprint.missingBars).toBe(3);
  });
});

// Speed is measured by `npm run bench`, never by a timed test; this checks a large file round-trips.
describe("a large file", () => {
  it("loads 50,000 one-minute bars written by the generator, bar for bar", async () => {
    const path = `${makeTempFolder()}/SYNUSDT_1m.csv`;
    const written = generateSynthBars({ symbol: "SYNUSDT", bars: 50_000, seed: 2, timeframeMs: 60_000 });
    writeBarsCsv(written, path);
    const { series, fingerprint } = await loadBarFile(path);
    expect(series.length).toBe(50_000);
    expect(fingerprint.gaps).toBe(0);
    expect(series.close).toEqual(written.close);
    expect(series.time).toEqual(written.time);
  });

  it("names the right line for a bad row megabytes into the file, past many read and parse slices", async () => {
    const path = `${makeTempFolder()}/SYNUSDT_1m.csv`;
    writeBarsCsv(generateSynthBars({ symbol: "SYNUSDT", bars: 50_000, seed: 3, timeframeMs: 60_000 }), path);
    const lines = readFileSync(path, "utf8").split("\n");
    const fields = lines[30_000].split(",");
    fields[4] = "x"; // the close of the row on line 30,001
    lines[30_000] = fields.join(",");
    writeFileSync(path, lines.join("\n"));
    const error = await loadBarFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).where).toBe(`${path}:30001`);
    expect((error as DataError).message).toBe('close "x" is not a finite number');
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../data/loadMarketData.js";
import { csvLines, dataErrorOf, HOUR_MS, JAN_1_2024_MS, klineRow, makeTempFolder, writeFixture } from "./fixtureFiles.js";

const HEADER = "timestamp,open,high,low,close,volume";
const FUNDING_HEADER = "timestamp,timestamp_raw,funding_rate";

/** Generic bars at `stepMs` spacing starting `startIndex` steps after 2024-01-01. */
function barsCsv(count: number, stepMs = HOUR_MS, startIndex = 0): string {
  const rows = [HEADER];
  for (let index = startIndex; index < startIndex + count; index++) rows.push(`${JAN_1_2024_MS + index * stepMs},100,110,90,105,1`);
  return csvLines(...rows);
}

function fundingCsv(...rates: number[]): string {
  return csvLines(FUNDING_HEADER, ...rates.map((rate, index) => `${JAN_1_2024_MS + index * 8 * HOUR_MS},0,${rate}`));
}

describe("loadMarketData path forms", () => {
  it("loads SYMBOL=path with the explicit symbol", async () => {
    const path = writeFixture(makeTempFolder(), "prices.csv", barsCsv(3));
    const data = await loadMarketData({ paths: [`SOLUSDT=${path}`] });
    expect(data.bars.map((series) => series.symbol)).toEqual(["SOLUSDT"]);
    expect(data.fingerprint[0].files).toEqual([path]);
  });

  it("infers the symbol of a single file from its name", async () => {
    const path = writeFixture(makeTempFolder(), "binance_usdm_perp_BTCUSDT_1h.csv", barsCsv(3));
    const data = await loadMarketData({ paths: [path] });
    expect(data.bars[0].symbol).toBe("BTCUSDT");
  });

  it("loads every CSV of a folder as one symbol each, sorted by symbol", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "ETHUSDT.csv", barsCsv(3));
    writeFixture(folder, "BTCUSDT.csv", barsCsv(4));
    writeFixture(folder, "notes.txt", "not data");
    const data = await loadMarketData({ paths: [folder] });
    expect(data.bars.map((series) => `${series.symbol}:${series.length}`)).toEqual(["BTCUSDT:4", "ETHUSDT:3"]);
    expect(data.funding.size).toBe(0);
    expect(data.detail).toBeUndefined();
  });

  it("concatenates the files of a per-symbol subfolder in name order", async () => {
    const folder = makeTempFolder();
    const february = writeFixture(folder, "BTCUSDT/BTCUSDT-1h-2024-02.csv", csvLines(klineRow(JAN_1_2024_MS + 2 * HOUR_MS, 1, 2, 0.5, 1.5)));
    const january = writeFixture(
      folder,
      "BTCUSDT/BTCUSDT-1h-2024-01.csv",
      csvLines(klineRow(JAN_1_2024_MS, 1, 2, 0.5, 1.5), klineRow(JAN_1_2024_MS + HOUR_MS, 1, 2, 0.5, 1.5)),
    );
    const data = await loadMarketData({ paths: [folder] });
    expect(data.bars[0].symbol).toBe("BTCUSDT");
    expect(data.bars[0].length).toBe(3);
    expect(data.fingerprint[0].files).toEqual([january, february]);
  });

  it("concatenates monthly kline files that switch from milliseconds to microseconds", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "ETHUSDT/ETHUSDT-1h-2024-12.csv", csvLines(klineRow(JAN_1_2024_MS, 1, 2, 0.5, 1.5), klineRow(JAN_1_2024_MS + HOUR_MS, 1, 2, 0.5, 1.5)));
    writeFixture(folder, "ETHUSDT/ETHUSDT-1h-2025-01.csv", csvLines(klineRow((JAN_1_2024_MS + 2 * HOUR_MS) * 1000, 1, 2, 0.5, 1.5)));
    const data = await loadMarketData({ paths: [folder] });
    expect([...data.bars[0].time]).toEqual([JAN_1_2024_MS, JAN_1_2024_MS + HOUR_MS, JAN_1_2024_MS + 2 * HOUR_MS]);
  });

  it("reads a funding/ subfolder as funding history per symbol", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "BTCUSDT.csv", barsCsv(48));
    const fundingPath = writeFixture(folder, "funding/binance_usdm_perp_BTCUSDT_funding_8h.csv", fundingCsv(0.0001, -0.0002));
    const data = await loadMarketData({ paths: [folder] });
    const funding = data.funding.get("BTCUSDT")!;
    expect([...funding.rate]).toEqual([0.0001, -0.0002]);
    expect([...funding.time]).toEqual([JAN_1_2024_MS, JAN_1_2024_MS + 8 * HOUR_MS]);
    expect(data.fingerprint.map((entry) => entry.kind)).toEqual(["bars", "funding"]);
    expect(data.fingerprint[1].files).toEqual([fundingPath]);
  });

  it("reads a detail/ subfolder of files and per-symbol subfolders as lower-timeframe bars", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "BTCUSDT.csv", barsCsv(3));
    writeFixture(folder, "ETHUSDT.csv", barsCsv(3));
    writeFixture(folder, "detail/BTCUSDT_1m.csv", barsCsv(180, 60_000));
    writeFixture(folder, "detail/ETHUSDT/a.csv", barsCsv(60, 300_000));
    writeFixture(folder, "detail/ETHUSDT/b.csv", barsCsv(60, 300_000, 60));
    const data = await loadMarketData({ paths: [folder] });
    expect(data.bars.map((series) => series.symbol)).toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(data.detail?.get("BTCUSDT")?.timeframeMs).toBe(60_000);
    expect(data.detail?.get("ETHUSDT")?.length).toBe(120);
    expect(data.detail?.get("ETHUSDT")?.timeframeMs).toBe(300_000);
    expect(data.fingerprint.map((entry) => `${entry.kind}:${entry.symbol}`)).toEqual([
      "bars:BTCUSDT",
      "bars:ETHUSDT",
      "detail:BTCUSDT",
      "detail:ETHUSDT",
    ]);
  });

  it("takes funding and detail from separate path lists too", async () => {
    const folder = makeTempFolder();
    const bars = writeFixture(folder, "bars/BTCUSDT.csv", barsCsv(24));
    const funding = writeFixture(folder, "rates/BTCUSDT.csv", fundingCsv(0.0001));
    const detail = writeFixture(folder, "fine.csv", barsCsv(120, 60_000));
    const data = await loadMarketData({ paths: [bars], fundingPaths: [funding], detailPaths: [`BTCUSDT=${detail}`] });
    expect(data.funding.get("BTCUSDT")?.length).toBe(1);
    expect(data.detail?.get("BTCUSDT")?.length).toBe(120);
  });
});

describe("loadMarketData errors", () => {
  it("rejects a symbol given twice, naming both sources", async () => {
    const folder = makeTempFolder();
    const first = writeFixture(folder, "a/BTCUSDT_1h.csv", barsCsv(3));
    const second = writeFixture(folder, "b/BTCUSDT.csv", barsCsv(3));
    const error = await dataErrorOf(loadMarketData({ paths: [first, second] }));
    expect(error.message).toBe(`bars for BTCUSDT are given twice: ${first} and ${second}`);
    expect(error.where).toBe(second);
  });

  it("rejects a path that does not exist", async () => {
    const missing = join(makeTempFolder(), "nothing-here.csv");
    const error = await dataErrorOf(loadMarketData({ paths: [missing] }));
    expect(error.where).toBe(missing);
    expect(error.message).toBe("file or folder not found");
  });

  it("rejects a SYMBOL=path whose path does not exist, naming the path", async () => {
    const missing = join(makeTempFolder(), "nothing-here.csv");
    const error = await dataErrorOf(loadMarketData({ paths: [`BTCUSDT=${missing}`] }));
    expect(error.where).toBe(missing);
  });

  it("rejects a folder with no CSV files", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "readme.txt", "nothing");
    const error = await dataErrorOf(loadMarketData({ paths: [folder] }));
    expect(error.where).toBe(folder);
    expect(error.message).toBe("the folder has no CSV files");
  });

  it("rejects funding for a symbol that has no bars, naming the funding file", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "BTCUSDT.csv", barsCsv(3));
    const stray = writeFixture(folder, "funding/SOLUSDT.csv", fundingCsv(0.0001));
    const error = await dataErrorOf(loadMarketData({ paths: [folder] }));
    expect(error.where).toBe(stray);
    expect(error.message).toBe("funding for SOLUSDT, which has no bars (bars: BTCUSDT)");
  });

  it("rejects main series with different timeframes, naming both symbols and timeframes", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "BTCUSDT.csv", barsCsv(3));
    const eth = writeFixture(folder, "ETHUSDT.csv", barsCsv(3, 4 * HOUR_MS));
    const error = await dataErrorOf(loadMarketData({ paths: [folder] }));
    expect(error.message).toBe("BTCUSDT has 1h bars but ETHUSDT has 4h bars");
    expect(error.where).toBe(eth);
  });

  it("rejects detail bars that do not divide the main timeframe", async () => {
    const folder = makeTempFolder();
    writeFixture(folder, "BTCUSDT.csv", barsCsv(3));
    writeFixture(folder, "detail/BTCUSDT.csv", barsCsv(3, 7 * 60_000));
    const error = await dataErrorOf(loadMarketData({ paths: [folder] }));
    expect(error.message).toMatch(/detail bars for BTCUSDT are 7m/);
  });

  it("passes a bad row's file and line through from a folder load", async () => {
    const folder = makeTempFolder();
    const bad = writeFixture(folder, "BTCUSDT.csv", csvLines(HEADER, `${JAN_1_2024_MS},100,101,90,102,1`));
    const error = await dataErrorOf(loadMarketData({ paths: [folder] }));
    expect(error.where).toBe(`${bad}:2`);
  });
});

describe("the same side-folder files named twice", () => {
  it("reads a data folder's detail/ once when --detail-data names it again; a different file for the symbol still conflicts", async () => {
    const { fileURLToPath } = await import("node:url");
    const spot = fileURLToPath(new URL("../../data/samples/binance-spot-1h", import.meta.url));
    const once = await loadMarketData({ paths: [spot] });
    const twice = await loadMarketData({ paths: [spot], detailPaths: [join(spot, "detail")] });
    expect([...(twice.detail?.keys() ?? [])]).toEqual([...(once.detail?.keys() ?? [])]);
    expect(once.detail?.get("BTCUSDT")?.length ?? 0).toBeGreaterThan(0);
    expect(twice.detail?.get("BTCUSDT")?.length).toBe(once.detail?.get("BTCUSDT")?.length);
    const folder = makeTempFolder();
    const other = writeFixture(folder, "BTCUSDT.csv", barsCsv(60, 60_000));
    const error = await dataErrorOf(loadMarketData({ paths: [spot], detailPaths: [other] }));
    expect(error.message).toContain("given twice");
  });
});

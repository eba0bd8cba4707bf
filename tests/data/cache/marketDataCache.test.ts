import { readdirSync, existsSync, mkdirSync, readFileSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadBarFiles } from "../../../data/loadBars.js";
import { loadBarFilesCached } from "../../../data/loadCached.js";
import { loadMarketData, loadMarketDataWithCacheReport, type MarketDataPaths } from "../../../data/loadMarketData.js";
import type { MarketData } from "../../../engine/types.js";
import { dataErrorOf, makeTempFolder, writeFixture } from "../fixtureFiles.js";
import { expectSameMarketData, fundingRatesCsv, hourlyBarsCsv, listEntries, listTemporaryFiles, minuteBarsCsv } from "./cacheFixtures.js";

/** Every CSV the loaders stream, in order: the evidence that a warm load parsed nothing. */
const parsedFiles = vi.hoisted((): string[] => []);

vi.mock("../../../data/csvStream.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../data/csvStream.js")>();
  return {
    ...original,
    streamCsvRows: (...args: Parameters<typeof original.streamCsvRows>) => {
      parsedFiles.push(args[0]);
      return original.streamCsvRows(...args);
    },
    streamCsvRowRuns: (...args: Parameters<typeof original.streamCsvRowRuns>) => {
      parsedFiles.push(args[0]);
      return original.streamCsvRowRuns(...args);
    },
  };
});

beforeEach(() => {
  parsedFiles.length = 0;
});

interface DataSet {
  readonly folder: string;
  readonly btcBars: string;
  readonly cacheDir: string;
  readonly request: MarketDataPaths;
}

/** Two symbols, BTC with a missing bar, funding and 1m detail: one source of every kind. */
function writeDataSet(): DataSet {
  const folder = makeTempFolder();
  const btcBars = writeFixture(folder, "data/BTCUSDT.csv", hourlyBarsCsv(60, 17));
  writeFixture(folder, "data/ETHUSDT.csv", hourlyBarsCsv(60));
  writeFixture(folder, "data/funding/BTCUSDT.csv", fundingRatesCsv(7));
  writeFixture(folder, "data/detail/BTCUSDT.csv", minuteBarsCsv(180));
  const cacheDir = join(folder, "cache");
  return { folder, btcBars, cacheDir, request: { paths: [join(folder, "data")], cache: { dir: cacheDir } } };
}

describe("the columnar cache on a cold load", () => {
  it("parses every CSV, writes one Arrow entry per source and returns what a load without the cache returns", async () => {
    const set = writeDataSet();
    const uncached = await loadMarketDataWithCacheReport({ ...set.request, cache: null });
    expect(uncached.cache.sources.map((source) => source.outcome)).toEqual(["disabled", "disabled", "disabled", "disabled"]);
    expect(existsSync(set.cacheDir)).toBe(false);

    parsedFiles.length = 0;
    const cold = await loadMarketDataWithCacheReport(set.request);
    expect(parsedFiles).toHaveLength(4);
    expect(cold.cache).toMatchObject({ hits: 0, misses: 4, notStored: 0 });
    expect(cold.cache.sources.map((source) => `${source.kind}:${source.symbol}:${source.outcome}`)).toEqual([
      "bars:BTCUSDT:stored",
      "bars:ETHUSDT:stored",
      "funding:BTCUSDT:stored",
      "detail:BTCUSDT:stored",
    ]);
    expect(listEntries(set.cacheDir)).toHaveLength(4);
    expect(cold.data.fingerprint[0]).toMatchObject({ gaps: 1, missingBars: 1 });
    expectSameMarketData(cold.data, uncached.data);
  });

  it("is off when loadMarketData is called without a cache option", async () => {
    const set = writeDataSet();
    // The CLI's default folder may exist from other runs; a library load must add nothing to it.
    const defaultDir = join(process.cwd(), ".exitlab-cache");
    const before = existsSync(defaultDir) ? readdirSync(defaultDir).sort() : [];
    await loadMarketData({ paths: set.request.paths });
    expect(existsSync(set.cacheDir)).toBe(false);
    expect(existsSync(defaultDir) ? readdirSync(defaultDir).sort() : []).toEqual(before);
  });

  it("creates the cache folder with a .gitignore so that it is never committed", async () => {
    const set = writeDataSet();
    await loadMarketData(set.request);
    expect(readFileSync(join(set.cacheDir, ".gitignore"), "utf8")).toMatch(/^\*$/m);
  });

  it("still loads, reporting the entries as not stored, when the cache folder cannot be created", async () => {
    const set = writeDataSet();
    const blocker = writeFixture(set.folder, "not-a-folder", "a file where the cache folder should be");
    const loaded = await loadMarketDataWithCacheReport({ ...set.request, cache: { dir: blocker } });
    expect(loaded.cache).toMatchObject({ hits: 0, misses: 4, notStored: 4 });
    expectSameMarketData(loaded.data, await loadMarketData({ ...set.request, cache: null }));
  });

  it("stores nothing for a file that fails validation and reports the same error as without the cache", async () => {
    const folder = makeTempFolder();
    const bad = writeFixture(folder, "BTCUSDT.csv", "timestamp,open,high,low,close,volume\n1704067200000,1,2,0.5,1.5,1\n1704070800000,1,0.5,2,1.5,1\n");
    const cacheDir = join(folder, "cache");
    const withCache = await dataErrorOf(loadMarketData({ paths: [bad], cache: { dir: cacheDir } }));
    const without = await dataErrorOf(loadMarketData({ paths: [bad] }));
    expect(withCache.oneLine()).toBe(without.oneLine());
    expect(existsSync(cacheDir) ? listEntries(cacheDir) : []).toEqual([]);
  });

  it("leaves a file it cannot read to the CSV loader, which reports it as usual", async () => {
    const folder = makeTempFolder();
    const missing = join(folder, "BTCUSDT.csv");
    const error = await dataErrorOf(loadBarFilesCached([missing], "BTCUSDT", "bars", { dir: join(folder, "cache") }));
    expect(error.oneLine()).toBe((await dataErrorOf(loadBarFiles([missing], "BTCUSDT"))).oneLine());
  });
});

describe("the columnar cache on a warm load", () => {
  it("reads every source from the cache without parsing a CSV, and returns identical data", async () => {
    const set = writeDataSet();
    const cold = await loadMarketData(set.request);
    parsedFiles.length = 0;
    const warm = await loadMarketDataWithCacheReport(set.request);
    expect(parsedFiles).toEqual([]);
    expect(warm.cache).toMatchObject({ hits: 4, misses: 0, notStored: 0 });
    expectSameMarketData(warm.data, cold);
    expectSameMarketData(warm.data, await loadMarketData({ ...set.request, cache: null }));
  });

  it("reads the entries into shared memory when asked (a sweep shares the bars with its threads without a copy), the same data", async () => {
    const set = writeDataSet();
    const cold = await loadMarketData(set.request);
    const warm = await loadMarketDataWithCacheReport({ ...set.request, cache: { dir: set.cacheDir, shared: true } });
    expect(warm.cache).toMatchObject({ hits: 4, misses: 0 });
    for (const series of warm.data.bars) expect(series.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(cold.bars[0]!.close.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expectSameMarketData(warm.data, cold);
  });

  it("re-parses a source whose CSV changed by one byte, and only that source", async () => {
    const set = writeDataSet();
    await loadMarketData(set.request);
    const text = readFileSync(set.btcBars, "utf8");
    const changed = text.replace("\n1704067200000,100,", "\n1704067200000,101,");
    expect(changed).not.toBe(text);
    writeFileSync(set.btcBars, changed);

    parsedFiles.length = 0;
    const warm = await loadMarketDataWithCacheReport(set.request);
    expect(parsedFiles).toEqual([set.btcBars]);
    expect(warm.cache.sources.map((source) => source.outcome)).toEqual(["stored", "hit", "hit", "hit"]);
    expect(warm.data.bars[0].open[0]).toBe(101);
    expectSameMarketData(warm.data, await loadMarketData({ ...set.request, cache: null }));
  });

  it("still hits after the CSV is renamed, taking the symbol and path from the new name", async () => {
    const set = writeDataSet();
    await loadMarketData(set.request);
    const renamed = join(set.folder, "data", "XBTUSDT.csv");
    renameSync(set.btcBars, renamed);

    parsedFiles.length = 0;
    const warm = await loadMarketDataWithCacheReport({ paths: [renamed], cache: set.request.cache });
    expect(parsedFiles).toEqual([]);
    expect(warm.cache.hits).toBe(1);
    expect(warm.data.bars[0].symbol).toBe("XBTUSDT");
    expect(warm.data.fingerprint[0].files).toEqual([renamed]);
    expectSameMarketData(warm.data, await loadMarketData({ paths: [renamed] }));
  });

  it("still hits after the whole data folder is moved", async () => {
    const set = writeDataSet();
    await loadMarketData(set.request);
    const moved = join(set.folder, "elsewhere");
    renameSync(join(set.folder, "data"), moved);
    const warm = await loadMarketDataWithCacheReport({ paths: [moved], cache: set.request.cache });
    expect(warm.cache.hits).toBe(4);
    expectSameMarketData(warm.data, await loadMarketData({ paths: [moved] }));
  });

  it("shares one entry between a file loaded as main bars and the same file loaded as detail bars", async () => {
    const folder = makeTempFolder();
    const minutes = writeFixture(folder, "BTCUSDT-1m.csv", minuteBarsCsv(180));
    const hours = writeFixture(folder, "BTCUSDT-1h.csv", hourlyBarsCsv(3));
    const cache = { dir: join(folder, "cache") };
    await loadMarketData({ paths: [`BTCUSDT=${minutes}`], cache });
    const asDetail = await loadMarketDataWithCacheReport({ paths: [`BTCUSDT=${hours}`], detailPaths: [`BTCUSDT=${minutes}`], cache });
    expect(asDetail.cache.sources.map((source) => `${source.kind}:${source.outcome}`)).toEqual(["bars:stored", "detail:hit"]);
    expect(asDetail.data.fingerprint[1].kind).toBe("detail");
    expectSameMarketData(asDetail.data, await loadMarketData({ paths: [`BTCUSDT=${hours}`], detailPaths: [`BTCUSDT=${minutes}`] }));
  });

  it("concatenates a per-symbol folder of monthly files from one entry keyed by all of them", async () => {
    const folder = makeTempFolder();
    const lines = hourlyBarsCsv(30).trimEnd().split("\n");
    writeFixture(folder, "data/BTCUSDT/2024-01.csv", [...lines.slice(0, 12), ""].join("\n"));
    const february = writeFixture(folder, "data/BTCUSDT/2024-02.csv", [lines[0], ...lines.slice(12), ""].join("\n"));
    const request = { paths: [join(folder, "data")], cache: { dir: join(folder, "cache") } };
    await loadMarketData(request);
    const warm = await loadMarketDataWithCacheReport(request);
    expect(warm.cache.hits).toBe(1);
    expectSameMarketData(warm.data, await loadMarketData({ ...request, cache: null }));

    writeFileSync(february, [lines[0], ...lines.slice(12, -1), ""].join("\n"));
    const afterEdit = await loadMarketDataWithCacheReport(request);
    expect(afterEdit.cache.hits).toBe(0);
    expect(afterEdit.data.bars[0].length).toBe(29);
  });
});

describe("a damaged cache entry", () => {
  const damages: [string, (path: string, otherEntry: string) => void][] = [
    ["cut in half", (path) => truncateSync(path, Math.floor(readFileSync(path).length / 2))],
    ["emptied", (path) => truncateSync(path, 0)],
    ["overwritten with text", (path) => writeFileSync(path, "not an arrow file")],
    ["missing its last bytes (the footer)", (path) => truncateSync(path, readFileSync(path).length - 10)],
    ["replaced by another source's valid entry", (path, otherEntry) => writeFileSync(path, readFileSync(otherEntry))],
  ];

  it.each(damages)("is re-parsed from the CSV and rewritten when %s", async (_name, damage) => {
    const folder = makeTempFolder();
    const btc = writeFixture(folder, "BTCUSDT.csv", hourlyBarsCsv(40, 5));
    const eth = writeFixture(folder, "ETHUSDT.csv", hourlyBarsCsv(50));
    const cacheDir = join(folder, "cache");
    const btcRequest = { paths: [btc], cache: { dir: cacheDir } };
    await loadMarketData(btcRequest);
    const [btcEntry] = listEntries(cacheDir);
    await loadMarketData({ paths: [eth], cache: { dir: cacheDir } });
    const ethEntry = listEntries(cacheDir).find((path) => path !== btcEntry)!;
    damage(btcEntry, ethEntry);

    parsedFiles.length = 0;
    const reloaded = await loadMarketDataWithCacheReport(btcRequest);
    expect(parsedFiles).toEqual([btc]);
    expect(reloaded.cache.sources[0].outcome).toBe("stored");
    expect(reloaded.cache.rebuilt).toBe(1);
    const { warnings, ...data } = reloaded.data as MarketData & { warnings?: unknown };
    expect(warnings).toMatchObject([{ code: "cache-entry-rebuilt", count: 1 }]);
    expectSameMarketData(data, await loadMarketData({ paths: [btc] }));
    expect((await loadMarketDataWithCacheReport(btcRequest)).cache.hits).toBe(1);
  });
});

describe("loads racing for the same entry", () => {
  it("leave one valid entry and no temporary files", async () => {
    const set = writeDataSet();
    const racing = await Promise.all([1, 2, 3].map(() => loadMarketDataWithCacheReport(set.request)));
    for (const loaded of racing) expect(loaded.cache.misses + loaded.cache.hits).toBe(4);
    expect(listEntries(set.cacheDir)).toHaveLength(4);
    expect(listTemporaryFiles(set.cacheDir)).toEqual([]);
    const warm = await loadMarketDataWithCacheReport(set.request);
    expect(warm.cache.hits).toBe(4);
    expectSameMarketData(warm.data, racing[0].data);
  });
});

describe("the shipped spot sample through the cache", () => {
  const spot = fileURLToPath(new URL("../../../data/samples/binance-spot-1h", import.meta.url));

  it("loads 2 x 24k hourly bars and 2 x 50k 1m detail bars identically cold and warm", async () => {
    const cacheDir = join(makeTempFolder(), "cache");
    mkdirSync(cacheDir);
    const uncached = await loadMarketData({ paths: [spot] });
    const cold = await loadMarketDataWithCacheReport({ paths: [spot], cache: { dir: cacheDir } });
    const warm = await loadMarketDataWithCacheReport({ paths: [spot], cache: { dir: cacheDir } });
    expect([cold.cache.misses, warm.cache.hits]).toEqual([4, 4]);
    expectSameMarketData(cold.data, uncached);
    expectSameMarketData(warm.data, uncached);
  }, 30_000); // three loads of 148k rows; seconds on a busy CI machine
});

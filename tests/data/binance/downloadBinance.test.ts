import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadBinance, type DownloadProgress } from "../../../data/binance/index.js";
import { loadMarketData } from "../../../data/loadMarketData.js";
import { ArchiveTree, klineLines, sampleRows, serveArchives, type ArchiveServer } from "../../fixtures/binanceArchives.js";
import { dataErrorOf, makeTempFolder } from "../fixtureFiles.js";

const UM = "data/futures/um";
let server: ArchiveServer;

beforeEach(async () => {
  const tree = new ArchiveTree();
  tree.addKlines(UM, "klines", "BTCUSDT", "1h", sampleRows("binance-perp-1h/BTCUSDT.csv"), 3_600_000, { header: true, months: ["2026-02", "2026-03"] });
  server = await serveArchives(tree);
});
afterEach(async () => {
  await server.close();
});

const request = (out: string) => ({
  market: "um" as const, symbols: ["BTCUSDT"], interval: "1h", from: "2026-02", to: "2026-03", out, baseUrl: server.baseUrl,
});

describe("downloadBinance", () => {
  it("reports progress through its callback, archive by archive, and prints nothing", async () => {
    const events: DownloadProgress[] = [];
    const result = await downloadBinance(request(makeTempFolder()), (progress) => events.push(progress));
    expect(result).toEqual({ archives: 2, downloaded: 2, kept: 0, warnings: [] });
    expect(events[0]).toMatchObject({ done: 0, total: 2, bytes: 0 });
    expect(events.some((event) => event.bytes > 0)).toBe(true);
    expect(events[events.length - 1]).toMatchObject({ done: 2, total: 2 });
  });

  it("fetches the current month as daily archives, warns that its funding is not out yet, and swaps them for the monthly archive later", async () => {
    const tree = new ArchiveTree();
    const rows = sampleRows("binance-perp-1h/BTCUSDT.csv");
    tree.addKlines(UM, "klines", "BTCUSDT", "1h", rows, 3_600_000, { header: true, months: ["2026-02"] });
    tree.addFunding("BTCUSDT", [["1769904000000", "0", "0.0001"]], ["2026-02"]);
    for (const day of ["2026-03-01", "2026-03-02"]) {
      const lines = klineLines(rows.filter(([time]) => new Date(Number(time)).toISOString().startsWith(day)), 3_600_000);
      tree.addZip(`${UM}/daily/klines/BTCUSDT/1h/BTCUSDT-1h-${day}.zip`, `${lines.join("\n")}\n`);
    }
    const daily = await serveArchives(tree);
    try {
      const out = makeTempFolder();
      const result = await downloadBinance({ ...request(out), baseUrl: daily.baseUrl, funding: true, now: new Date(Date.UTC(2026, 2, 3, 10)) });
      expect(result.archives).toBe(4);
      expect(result.warnings).toEqual([
        "no funding rates for 2026-03 yet: Binance publishes them after the month ends, so a backtest counts its funding times as uncovered",
      ]);
      const data = await loadMarketData({ paths: [out] });
      expect(data.bars[0].time[data.bars[0].length - 1]).toBe(Date.UTC(2026, 2, 2, 23));

      // A month later the monthly archive replaces the dailies, which would repeat its bars.
      tree.addKlines(UM, "klines", "BTCUSDT", "1h", rows, 3_600_000, { header: true, months: ["2026-03"] });
      tree.addFunding("BTCUSDT", [["1772323200000", "0", "0.0001"]], ["2026-03"]);
      const later = await downloadBinance({ ...request(out), baseUrl: daily.baseUrl, funding: true, now: new Date(Date.UTC(2026, 3, 5)) });
      expect(later).toMatchObject({ archives: 4, downloaded: 2, kept: 2, warnings: [] });
      expect(readdirSync(join(out, "BTCUSDT")).sort()).toEqual([
        "BTCUSDT-1h-2026-02.zip", "BTCUSDT-1h-2026-02.zip.CHECKSUM", "BTCUSDT-1h-2026-03.zip", "BTCUSDT-1h-2026-03.zip.CHECKSUM",
      ]);
      const month = await loadMarketData({ paths: [out] });
      expect(month.bars[0].time[month.bars[0].length - 1]).toBe(Date.UTC(2026, 2, 19, 18));
    } finally {
      await daily.close();
    }
  });

  it("gives up on an archive that stops sending, names the URL, and leaves no partial file", async () => {
    const zip = `${UM}/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2026-03.zip`;
    server.failNext.set(zip, ["stall"]);
    const out = makeTempFolder();
    const error = await dataErrorOf(downloadBinance({ ...request(out), http: { retries: 0, stallTimeoutMs: 300 } }));
    expect(error.where).toBe(`${server.baseUrl}${zip}`);
    expect(error.message).toBe("download stalled (no data for 0.3 s)");
    expect(readdirSync(join(out, "BTCUSDT")).sort()).toEqual(["BTCUSDT-1h-2026-02.zip", "BTCUSDT-1h-2026-02.zip.CHECKSUM"]);
  });

  it("retries a stalled archive and completes", async () => {
    const zip = `${UM}/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2026-03.zip`;
    server.failNext.set(zip, ["stall"]);
    const out = makeTempFolder();
    const result = await downloadBinance({ ...request(out), http: { retries: 1, retryDelayMs: 10, stallTimeoutMs: 300 } });
    expect(result.downloaded).toBe(2);
    expect(existsSync(join(out, "BTCUSDT", "BTCUSDT-1h-2026-03.zip"))).toBe(true);
  });
});

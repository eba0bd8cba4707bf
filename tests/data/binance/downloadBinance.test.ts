import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadBinance, type DownloadProgress } from "../../../data/binance/index.js";
import { ArchiveTree, sampleRows, serveArchives, type ArchiveServer } from "../../fixtures/binanceArchives.js";
import { dataErrorOf, makeTempFolder } from "../fixtureFiles.js";

const UM = "data/futures/um";
let server: ArchiveServer;

beforeEach(async () => {
  const tree = new ArchiveTree();
  tree.addKlines(UM, "klines", "BTCUSDT", "1h", sampleRows("binance-perp-1h/BTCUSDT.csv"), 3_600_000, { header: true, months: ["2025-10", "2025-11"] });
  server = await serveArchives(tree);
});
afterEach(async () => {
  await server.close();
});

const request = (out: string) => ({
  market: "um" as const, symbols: ["BTCUSDT"], interval: "1h", from: "2025-10", to: "2025-11", out, baseUrl: server.baseUrl,
});

describe("downloadBinance", () => {
  it("reports progress through its callback, archive by archive, and prints nothing", async () => {
    const events: DownloadProgress[] = [];
    const result = await downloadBinance(request(makeTempFolder()), (progress) => events.push(progress));
    expect(result).toEqual({ archives: 2, downloaded: 2, kept: 0 });
    expect(events[0]).toMatchObject({ done: 0, total: 2, bytes: 0 });
    expect(events.some((event) => event.bytes > 0)).toBe(true);
    expect(events[events.length - 1]).toMatchObject({ done: 2, total: 2 });
  });

  it("gives up on an archive that stops sending, names the URL, and leaves no partial file", async () => {
    const zip = `${UM}/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2025-11.zip`;
    server.failNext.set(zip, ["stall"]);
    const out = makeTempFolder();
    const error = await dataErrorOf(downloadBinance({ ...request(out), http: { retries: 0, stallTimeoutMs: 300 } }));
    expect(error.where).toBe(`${server.baseUrl}${zip}`);
    expect(error.message).toBe("download stalled (no data for 0.3 s)");
    expect(readdirSync(join(out, "BTCUSDT"))).toEqual(["BTCUSDT-1h-2025-10.zip", "BTCUSDT-1h-2025-10.zip.CHECKSUM"]);
  });

  it("retries a stalled archive and completes", async () => {
    const zip = `${UM}/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2025-11.zip`;
    server.failNext.set(zip, ["stall"]);
    const out = makeTempFolder();
    const result = await downloadBinance({ ...request(out), http: { retries: 1, retryDelayMs: 10, stallTimeoutMs: 300 } });
    expect(result.downloaded).toBe(2);
    expect(existsSync(join(out, "BTCUSDT", "BTCUSDT-1h-2025-11.zip"))).toBe(true);
  });
});

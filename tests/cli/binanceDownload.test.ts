import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadMarketData } from "../../data/loadMarketData.js";
import { ArchiveTree, sampleRows, serveArchives, type ArchiveServer } from "../fixtures/binanceArchives.js";
import { expectOneLineError, makeTempFolder, runExitlab } from "./cliHarness.js";

const HOUR_MS = 3_600_000;
const UM = "data/futures/um";
const PERP_MONTHS = ["2026-01", "2026-02"];
/** The spot sample's Nov/Dec 2022, moved two years on (731 days) so that Dec 2024 is in ms and Jan 2025 in µs, as Binance writes spot. */
const TWO_YEARS_MS = 731 * 86_400_000;

function buildTree(): ArchiveTree {
  const tree = new ArchiveTree();
  for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
    const bars = sampleRows(`binance-perp-1h/${symbol}.csv`);
    tree.addKlines(UM, "klines", symbol, "1h", bars, HOUR_MS, { header: true, months: PERP_MONTHS });
    tree.addKlines(UM, "markPriceKlines", symbol, "1h", bars, HOUR_MS, { header: true, months: PERP_MONTHS });
    tree.addFunding(symbol, sampleRows(`binance-perp-1h/funding/${symbol}.csv`), PERP_MONTHS);
  }
  const spot = sampleRows("binance-spot-1h/BTCUSDT.csv").map(([time, ...rest]) => [String(Number(time) + TWO_YEARS_MS), ...rest]);
  tree.addKlines("data/spot", "klines", "BTCUSDT", "1h", spot, HOUR_MS, { header: false, months: ["2024-12"] });
  tree.addKlines("data/spot", "klines", "BTCUSDT", "1h", spot, HOUR_MS, { header: false, timeUnit: 1000, months: ["2025-01"] });
  return tree;
}

let tree: ArchiveTree;
let server: ArchiveServer;
beforeEach(async () => {
  tree = buildTree();
  server = await serveArchives(tree);
});
afterEach(async () => {
  await server.close();
});

const umArgs = (out: string, ...extra: string[]): string[] => [
  "data", "binance", "--market", "um", "--symbols", "BTCUSDT,ETHUSDT", "--interval", "1h",
  "--from", "2026-01", "--to", "2026-02", "--out", out, "--base-url", server.baseUrl, ...extra,
];

describe("exitlab data binance", () => {
  it("downloads bars, funding and mark prices, and the folder backtests in a second command", async () => {
    const out = join(makeTempFolder(), "binance");
    const download = await runExitlab(umArgs(out, "--funding", "--mark"));
    expect(download.stderr).toBe("");
    expect(download.status).toBe(0);
    expect(download.stdout).toBe(`${out}: 12 archives verified (12 downloaded, 0 already present)\n`);
    expect(readdirSync(join(out, "BTCUSDT")).sort()).toEqual([
      "BTCUSDT-1h-2026-01.zip", "BTCUSDT-1h-2026-01.zip.CHECKSUM", "BTCUSDT-1h-2026-02.zip", "BTCUSDT-1h-2026-02.zip.CHECKSUM",
    ]);
    expect(existsSync(join(out, "mark", "ETHUSDT", "ETHUSDT-1h-2026-02.zip"))).toBe(true);
    expect(readdirSync(join(out, "funding")).filter((name) => name.endsWith(".zip")).sort()).toEqual([
      "BTCUSDT-fundingRate-2026-01.zip", "BTCUSDT-fundingRate-2026-02.zip", "ETHUSDT-fundingRate-2026-01.zip", "ETHUSDT-fundingRate-2026-02.zip",
    ]);

    const data = await loadMarketData({ paths: [out] });
    const btc = data.bars.find((series) => series.symbol === "BTCUSDT")!;
    const expected = sampleRows("binance-perp-1h/BTCUSDT.csv").filter(([time]) => PERP_MONTHS.includes(new Date(Number(time)).toISOString().slice(0, 7)));
    expect([...btc.time]).toEqual(expected.map(([time]) => Number(time)));
    expect([...btc.close]).toEqual(expected.map((row) => Number(row[4])));
    const fundingRows = sampleRows("binance-perp-1h/funding/ETHUSDT.csv").filter(([time]) => PERP_MONTHS.includes(new Date(Number(time)).toISOString().slice(0, 7)));
    expect([...data.funding.get("ETHUSDT")!.rate]).toEqual(fundingRows.map((row) => Number(row[2])));

    const runs = join(makeTempFolder(), "run");
    const backtest = await runExitlab(["backtest", "--data", out, "--out", runs, "--quiet"]);
    expect(backtest.stderr).toBe("");
    expect(backtest.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(runs, "summary.json"), "utf8"));
    // The mark/ folder is read: liquidation is checked on the mark price, every bar covered.
    expect(summary.counters.liquidation).toEqual({
      price: "mark", maintenance: "constant", markBarsUncovered: 0, leverageRefused: 0, leverageCappedToBracket: 0,
    });
    expect(summary.data.fingerprint.filter((source: { kind: string }) => source.kind === "mark").map((source: { symbol: string }) => source.symbol))
      .toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(summary.data.fingerprint[0].files[0]).toMatch(/BTCUSDT-1h-2026-01\.zip$/);
  });

  it("reads headerless spot archives in milliseconds, then microseconds from 2025, as one series", async () => {
    const out = join(makeTempFolder(), "spot");
    const run = await runExitlab(["data", "binance", "--market", "spot", "--symbols", "BTCUSDT", "--from", "2024-12", "--to", "2025-01",
      "--out", out, "--base-url", server.baseUrl, "--quiet"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("");
    const data = await loadMarketData({ paths: [out] });
    const time = data.bars[0].time;
    expect(time[0]).toBe(Date.UTC(2024, 11, 1));
    expect(time[time.length - 1]).toBe(Date.UTC(2025, 0, 31, 23));
    expect(data.fingerprint[0].gaps).toBe(0);
  });

  it("resumes an interrupted download without fetching the verified archives again", async () => {
    const out = join(makeTempFolder(), "binance");
    const second = `${UM}/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2026-02.zip`;
    server.cutOff.add(second);
    const interrupted = await runExitlab(umArgs(out, "--retries", "0", "--parallel", "1"));
    expectOneLineError(interrupted, 1, `${server.baseUrl}${second}: download interrupted`);
    expect(existsSync(join(out, "BTCUSDT", "BTCUSDT-1h-2026-01.zip"))).toBe(true);
    expect(readdirSync(join(out, "BTCUSDT")).filter((name) => name.includes("2026-02"))).toEqual([]);

    server.cutOff.clear();
    server.requests.length = 0;
    const resumed = await runExitlab(umArgs(out));
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain("4 archives verified (3 downloaded, 1 already present)");
    expect(server.requests.filter((path) => path.includes("BTCUSDT-1h-2026-01"))).toEqual([]);

    server.requests.length = 0;
    const again = await runExitlab(umArgs(out));
    expect(again.stdout).toContain("4 archives verified (0 downloaded, 4 already present)");
    expect(server.requests).toEqual([]);
  });

  it("refuses an archive whose sha256 differs from its .CHECKSUM, after a retry, and leaves no file of it behind", async () => {
    const path = `${UM}/monthly/klines/ETHUSDT/1h/ETHUSDT-1h-2026-01.zip`;
    const bytes = Buffer.from(tree.files.get(path)!);
    bytes[bytes.length >> 1] ^= 0xff;
    tree.files.set(path, bytes);
    const out = join(makeTempFolder(), "binance");
    const run = await runExitlab(umArgs(out, "--retries", "1"));
    expectOneLineError(run, 1, `${server.baseUrl}${path}: checksum mismatch: sha256 `);
    expect(server.requests.filter((requested) => requested === path)).toHaveLength(2);
    expect(readdirSync(join(out, "ETHUSDT")).filter((name) => name.includes("2026-01"))).toEqual([]);
  });

  it("backtests a flat folder of Binance ZIPs a user downloaded by hand, with monthly funding ZIPs", async () => {
    const mine = makeTempFolder();
    for (const [path, bytes] of tree.files) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (path.startsWith(`${UM}/monthly/klines/`)) writeFileSync(join(mine, name), bytes);
      if (path.endsWith(".zip") && path.includes("fundingRate")) {
        mkdirSync(join(mine, "funding"), { recursive: true });
        writeFileSync(join(mine, "funding", name), bytes);
      }
    }
    const out = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", "--data", mine, "--from", "2026-01-15", "--out", out, "--quiet", "--no-cache"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.data.bars).toBe(2 * (17 + 28) * 24);
    expect(summary.data.fingerprint.map((f: { kind: string; files: string[] }) => `${f.kind}:${f.files.length}`)).toEqual(["bars:2", "bars:2", "funding:2", "funding:2"]);
    expect(summary.counters.funding.timesFromData).toBe(2 * (17 + 28) * 3);
  });

  it("retries an HTTP 503 and a connection cut mid-file, then completes", async () => {
    const zip = `${UM}/monthly/klines/ETHUSDT/1h/ETHUSDT-1h-2026-01.zip`;
    server.failNext.set(`${zip}.CHECKSUM`, ["503"]);
    server.failNext.set(zip, ["cut", "503"]);
    const out = join(makeTempFolder(), "binance");
    const run = await runExitlab(umArgs(out, "--quiet"));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(server.requests.filter((path) => path === zip)).toHaveLength(3);
    expect((await loadMarketData({ paths: [out] })).bars.map((series) => series.symbol)).toEqual(["BTCUSDT", "ETHUSDT"]);
  });

  it("names the URL Binance has no archive for", async () => {
    const out = join(makeTempFolder(), "binance");
    const run = await runExitlab([...umArgs(out).map((arg) => (arg === "BTCUSDT,ETHUSDT" ? "BTCUSDT,XRPUSDT" : arg))]);
    expectOneLineError(run, 1, `${server.baseUrl}${UM}/monthly/klines/XRPUSDT/1h/XRPUSDT-1h-2026-01.zip.CHECKSUM: not found (HTTP 404)`);
  });

  it("rejects funding for spot as a usage error before fetching anything", async () => {
    const run = await runExitlab(["data", "binance", "--market", "spot", "--symbols", "BTCUSDT", "--from", "2024-12", "--to", "2025-01",
      "--funding", "--out", join(makeTempFolder(), "x"), "--base-url", server.baseUrl]);
    expectOneLineError(run, 2, "--funding: spot has no funding rates");
    expect(server.requests).toEqual([]);
  });

  it("reports a corrupt archive that matches its checksum when the folder is read, naming the file", async () => {
    const path = `${UM}/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2026-02.zip`;
    const bytes = Buffer.from(tree.files.get(path)!);
    bytes.fill(0x41, 60, 200);
    tree.files.set(path, bytes);
    tree.files.set(`${path}.CHECKSUM`, Buffer.from(`${createHash("sha256").update(bytes).digest("hex")}  BTCUSDT-1h-2026-02.zip\n`));
    const out = join(makeTempFolder(), "binance");
    expect((await runExitlab(umArgs(out, "--quiet"))).status).toBe(0);
    const run = await runExitlab(["backtest", "--data", out, "--out", join(makeTempFolder(), "run"), "--no-cache"]);
    expectOneLineError(run, 1, `${join(out, "BTCUSDT", "BTCUSDT-1h-2026-02.zip")}: corrupt ZIP archive`);
  });
});

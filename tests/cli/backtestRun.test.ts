/**
 * Successful `exitlab backtest` runs (SPEC §7, §8): the no-argument run on the shipped
 * sample, determinism, and how --out treats a folder that is already there.
 */

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  PROJECT_ROOT,
  RUN_FILES,
  entriesOf,
  expectNoSiblings,
  expectOneLineError,
  expectRunFolder,
  hourlyBarLines,
  makeTempFolder,
  readSummary,
  runExitlab,
  snapshotFolder,
  writeLines,
  writeText,
} from "./cliHarness.js";

describe("exitlab backtest on the shipped sample", () => {
  it("runs with only --out, writes a reconciled run folder, and writes byte-identical files when run again", async () => {
    const folder = makeTempFolder();
    const outDir = join(folder, "run");

    const first = await runExitlab(["backtest", "--out", outDir]);

    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`exitlab backtest → ${outDir}/`);
    expectRunFolder(outDir);
    const summary = readSummary(outDir);
    expect(summary.engine.name).toBe("exitlab");
    expect(summary.account.reconciliationError).toBeLessThanOrEqual(1e-9);
    expect(summary.config.data.paths).toEqual(["data/samples/binance-perp-1h"]);
    expect(summary.config.output.dir).toBe(outDir);
    expect(summary.data.fingerprint.map((source: { symbol: string; kind: string }) => `${source.kind}:${source.symbol}`))
      .toEqual(["bars:BTCUSDT", "bars:ETHUSDT", "funding:BTCUSDT", "funding:ETHUSDT"]);
    expect(readFileSync(join(outDir, "trades.csv"), "utf8").split("\n").length).toBeGreaterThan(10);

    // Same command, same --out path (the first run moved aside): every file byte for byte.
    renameSync(outDir, join(folder, "first"));
    const second = await runExitlab(["backtest", "--out", outDir, "--quiet"]);

    expect(second.stderr).toBe("");
    expect(second.status).toBe(0);
    expect(second.stdout).toBe("");
    const firstFiles = snapshotFolder(join(folder, "first"));
    expect(Object.keys(firstFiles)).toEqual(expect.arrayContaining([...RUN_FILES]));
    expect(snapshotFolder(outDir)).toEqual(firstFiles);
  }, 30_000);

  it("finds the shipped sample when started from another folder", async () => {
    const folder = makeTempFolder();
    const run = await runExitlab(["backtest", "--out", "run", "--quiet"], { cwd: folder });

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expectRunFolder(join(folder, "run"));
    const files = readSummary(join(folder, "run")).data.fingerprint.map((source: { files: string[] }) => source.files[0]);
    expect(files).toContain(join(PROJECT_ROOT, "data", "samples", "binance-perp-1h", "BTCUSDT.csv"));
  }, 30_000);
});

describe("exitlab backtest determinism on a small fixture", () => {
  it("writes the same files into two different --out folders, apart from config.output.dir in summary.json (and its hash in .exitlab)", async () => {
    const folder = makeTempFolder();
    const data = writeLines(folder, "BTCUSDT.csv", hourlyBarLines(120));
    const outA = join(folder, "a");
    const outB = join(folder, "b");

    expect((await runExitlab(["backtest", "--data", data, "--out", outA, "--quiet"])).status).toBe(0);
    expect((await runExitlab(["backtest", "--data", data, "--out", outB, "--quiet"])).status).toBe(0);

    const a = snapshotFolder(outA);
    const b = snapshotFolder(outB);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const name of Object.keys(a).filter((file) => file !== "summary.json" && file !== ".exitlab")) expect(b[name], name).toBe(a[name]);
    // The resolved configuration includes the output folder, so summary.json differs there only.
    const summaryA = readSummary(outA);
    const summaryB = readSummary(outB);
    expect(summaryA.config.output.dir).toBe(outA);
    expect(summaryB.config.output.dir).toBe(outB);
    summaryB.config.output.dir = outA;
    expect(summaryB).toEqual(summaryA);
  });
});

describe("exitlab backtest --out over an existing folder", () => {
  function setUp() {
    const folder = makeTempFolder();
    const data = writeLines(folder, "BTCUSDT.csv", hourlyBarLines(100));
    return { folder, data, outDir: join(folder, "run") };
  }

  it("refuses a folder that is not an exitlab run, mentioning --force, and leaves it untouched", async () => {
    const { data, outDir } = setUp();
    writeText(outDir, "notes.txt", "my own notes\n");
    writeText(outDir, "summary.json", JSON.stringify({ engine: { name: "somebody-else" } }));
    const before = snapshotFolder(outDir);

    const run = await runExitlab(["backtest", "--data", data, "--out", outDir]);

    expectOneLineError(run, 1, `exitlab: ${outDir}: `, "not an exitlab run", "--force");
    expect(snapshotFolder(outDir)).toEqual(before);
    expectNoSiblings(outDir);
  });

  it("writes into a folder that is not an exitlab run with --force, keeping the files already there", async () => {
    const { data, outDir } = setUp();
    writeText(outDir, "notes.txt", "my own notes\n");

    const run = await runExitlab(["backtest", "--data", data, "--out", outDir, "--force", "--quiet"]);

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expectRunFolder(outDir);
    expect(readFileSync(join(outDir, "notes.txt"), "utf8")).toBe("my own notes\n");
    expect(readSummary(outDir).engine.name).toBe("exitlab");
  });

  it("replaces an earlier exitlab run without --force, keeping a file the user added to it", async () => {
    const { data, outDir } = setUp();
    expect((await runExitlab(["backtest", "--data", data, "--out", outDir, "--quiet"])).status).toBe(0);
    writeFileSync(join(outDir, "stale.txt"), "left from before\n");

    const run = await runExitlab(["backtest", "--data", data, "--out", outDir, "--sl", "0.02", "--quiet"]);

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expectRunFolder(outDir);
    expect(readFileSync(join(outDir, "stale.txt"), "utf8")).toBe("left from before\n");
    expect(readSummary(outDir).config.exits.stopLossPct).toBe(0.02);
  });

  it("refuses an --out path that is a file, even with --force, and leaves the file untouched", async () => {
    const { folder, data } = setUp();
    const file = writeText(folder, "run.txt", "not a folder\n");

    const run = await runExitlab(["backtest", "--data", data, "--out", file, "--force"]);

    expectOneLineError(run, 1, `exitlab: ${file}: `, "is a file, not a folder");
    expect(readFileSync(file, "utf8")).toBe("not a folder\n");
    expectNoSiblings(file);
  });

  it("writes into an empty folder that already exists", async () => {
    const { data, outDir } = setUp();
    mkdirSync(outDir);

    const run = await runExitlab(["backtest", "--data", data, "--out", outDir, "--quiet"]);

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expectRunFolder(outDir);
  });
});

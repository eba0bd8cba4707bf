/**
 * `exitlab data synth` (seeded synthetic bars) and `exitlab backtest --signals <predictions.csv>`
 * (a user's own model output, SPEC §3): each prediction is acted on at its bar's close and
 * fills at the next bar's open.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  HOUR_MS,
  JAN_1_2024_MS,
  expectNoOutputFolder,
  expectOneLineError,
  expectRunFolder,
  hourlyBarLines,
  makeTempFolder,
  readSummary,
  readTrades,
  runExitlab,
  writeLines,
} from "./cliHarness.js";

describe("exitlab data synth", () => {
  it("writes a seeded CSV that backtest runs on, and the same file again for the same seed", async () => {
    const folder = makeTempFolder();
    const first = join(folder, "synth-1");
    const second = join(folder, "synth-2");

    const run = await runExitlab(["data", "synth", "--bars", "500", "--seed", "7", "--out", first]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const file = join(first, "SYNTHUSDT.csv");
    expect(run.stdout).toContain(file);
    const text = readFileSync(file, "utf8");
    expect(text.trimEnd().split("\n")).toHaveLength(501); // header + 500 bars

    expect((await runExitlab(["data", "synth", "--bars", "500", "--seed", "7", "--out", second])).status).toBe(0);
    expect(readFileSync(join(second, "SYNTHUSDT.csv"), "utf8")).toBe(text);

    const outDir = join(folder, "run");
    const backtest = await runExitlab(["backtest", "--data", file, "--out", outDir, "--quiet"]);
    expect(backtest.stderr).toBe("");
    expect(backtest.status).toBe(0);
    expectRunFolder(outDir);
    const summary = readSummary(outDir);
    expect(summary.data.bars).toBe(500);
    expect(summary.data.fingerprint[0]).toMatchObject({ symbol: "SYNTHUSDT", rows: 500, gaps: 0 });
  }, 30_000);

  it("writes different bars for a different seed", async () => {
    const folder = makeTempFolder();
    expect((await runExitlab(["data", "synth", "--bars", "50", "--seed", "7", "--out", join(folder, "a")])).status).toBe(0);
    expect((await runExitlab(["data", "synth", "--bars", "50", "--seed", "8", "--out", join(folder, "b")])).status).toBe(0);
    expect(readFileSync(join(folder, "b", "SYNTHUSDT.csv"), "utf8")).not.toBe(readFileSync(join(folder, "a", "SYNTHUSDT.csv"), "utf8"));
  });

  it("exits 2 naming --bars for --bars 0 and writes nothing", async () => {
    const outDir = join(makeTempFolder(), "synth");
    const run = await runExitlab(["data", "synth", "--bars", "0", "--out", outDir]);
    expectOneLineError(run, 2, "exitlab: --bars: ");
    expectNoOutputFolder(outDir);
  });

  // A file-system failure is a one-line OutputError naming the path, never a stack trace.
  it("exits 1 with one line naming the path when synth --out is a file", async () => {
    const folder = makeTempFolder();
    const file = join(folder, "synth.csv");
    writeFileSync(file, "not a folder\n");
    const run = await runExitlab(["data", "synth", "--bars", "10", "--out", file]);
    expectOneLineError(run, 1, `exitlab: ${file}`);
  });
});

describe("exitlab backtest --signals with a predictions file", () => {
  const bars = hourlyBarLines(120);

  it("enters each trade at the open of the bar after its prediction's bar", async () => {
    const folder = makeTempFolder();
    const data = writeLines(folder, "BTCUSDT.csv", bars);
    const iso = (hours: number): string => new Date(JAN_1_2024_MS + hours * HOUR_MS).toISOString();
    // Bar-open times and one time inside a bar (10:30 belongs to the 10:00 bar); a day apart
    // and held at most 3 bars, so no prediction meets an open position.
    const predictionHours = [20, 53, 82.5];
    const predictions = writeLines(folder, "predictions.csv", [
      "timestamp,symbol,action,confidence",
      `${iso(20)},BTCUSDT,BUY,0.8`,
      `${iso(53)},BTCUSDT,SELL,0.7`,
      `${iso(82.5)},BTCUSDT,BUY,0.9`,
    ]);
    const outDir = join(folder, "run");

    const run = await runExitlab(["backtest", "--data", data, "--signals", predictions, "--max-holding-bars", "3", "--out", outDir, "--quiet"]);

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const summary = readSummary(outDir);
    expect(summary.config.signals).toEqual({ kind: "predictions", file: predictions, symbolMap: {}, confidenceScale: 1 });
    expect(summary.signalSource).toMatchObject({ predictions: 3, matched: 3, unmatched: 0 });
    const trades = readTrades(outDir);
    expect(trades.map((trade) => trade.entry_time_iso)).toEqual(predictionHours.map((hours) => iso(Math.floor(hours) + 1)));
    expect(trades.map((trade) => trade.side)).toEqual(["long", "short", "long"]);
    expect(trades.map((trade) => Number(trade.confidence))).toEqual([0.8, 0.7, 0.9]);
    // The entry fills at the open of that bar.
    const openAt = new Map(bars.slice(1).map((line) => [Number(line.split(",")[0]), Number(line.split(",")[1])]));
    for (const trade of trades) expect(Number(trade.entry_price)).toBeCloseTo(openAt.get(Number(trade.entry_time))!, 6);
  });

  it("reads a gzipped predictions file like the plain one (same trades, same sha256)", async () => {
    const folder = makeTempFolder();
    const data = writeLines(folder, "BTCUSDT.csv", bars);
    const lines = ["timestamp,symbol,action,confidence", "2024-01-01T20:00:00Z,BTCUSDT,BUY,0.8", "2024-01-03T05:00:00Z,BTCUSDT,SELL,0.7"];
    const plain = writeLines(folder, "predictions.csv", lines);
    const gzipped = join(folder, "predictions.csv.gz");
    writeFileSync(gzipped, gzipSync(readFileSync(plain)));

    const fromPlain = await runExitlab(["backtest", "--data", data, "--signals", plain, "--max-holding-bars", "3", "--out", join(folder, "plain"), "--quiet"]);
    const fromGzip = await runExitlab(["backtest", "--data", data, "--signals", gzipped, "--max-holding-bars", "3", "--out", join(folder, "gz"), "--quiet"]);

    expect(fromGzip.stderr).toBe("");
    expect(fromGzip.status).toBe(0);
    expect(fromPlain.status).toBe(0);
    expect(readSummary(join(folder, "gz")).config.signals).toMatchObject({ kind: "predictions", file: gzipped });
    expect(readTrades(join(folder, "gz"))).toEqual(readTrades(join(folder, "plain")));
    expect(readTrades(join(folder, "gz"))).toHaveLength(2);
  });

  it("exits 1 naming the file and line of an unknown action", async () => {
    const folder = makeTempFolder();
    const data = writeLines(folder, "BTCUSDT.csv", bars);
    const predictions = writeLines(folder, "predictions.csv", [
      "timestamp,symbol,action,confidence",
      "2024-01-01T20:00:00Z,BTCUSDT,BUY,0.8",
      "2024-01-03T05:00:00Z,BTCUSDT,JUMP,0.7",
    ]);
    const outDir = join(folder, "run");

    const run = await runExitlab(["backtest", "--data", data, "--signals", predictions, "--out", outDir]);

    expectOneLineError(run, 1, `exitlab: ${predictions}:3: `, '"JUMP"');
    expectNoOutputFolder(outDir);
  });
});

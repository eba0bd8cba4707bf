import { availableParallelism } from "node:os";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSuiteFolder } from "../cli/cliHarness.js";
import { readCellLines, runSweepCli, writeSweepFile, writeSynthData } from "./sweepHarness.js";

/**
 * A sweep's folder, workers and cells under the replace/keep rule and the faults of issue 20:
 * --force starts afresh, the user's files are kept, protected folders are refused, more
 * workers than cores are capped with a warning, a grid beyond the bound is an error, and a
 * strategy that calls process.exit fails only its cell.
 */

const GRID = { grid: { "sizing.leverage": [1, 2, 3] }, metric: "sharpeRatio", direction: "max" };

let folder = "";
let data = "";
let sweepFile = "";
const read = (out: string, name: string): string => readFileSync(join(out, name), "utf8");
const sweep = (out: string, ...extra: string[]) => runSweepCli(["sweep", "--grid", sweepFile, "--data", data, "--out", out, ...extra]);
const ranCells = (stderr: string): number => [...stderr.matchAll(/\] cell [0-9a-f]{16} (done|failed)/g)].length;

describe("exitlab sweep and its output folder", { timeout: 120_000 }, () => {
  beforeAll(() => {
    folder = makeSuiteFolder();
    data = writeSynthData(join(folder, "data"), 1500);
    sweepFile = writeSweepFile(folder, "sweep.json", GRID);
  });

  it("starts afresh with --force on a finished sweep folder, rerunning every cell, and keeps the user's files there", async () => {
    const out = join(folder, "finished");
    expect((await sweep(out, "--workers", "1")).status).toBe(0);
    const table = read(out, "sweep.csv");
    writeFileSync(join(out, "notes.md"), "my notes\n");
    const resumed = await sweep(out, "--workers", "1");
    expect(ranCells(resumed.stderr)).toBe(0);
    const forced = await sweep(out, "--workers", "1", "--force");
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toContain("discarded the 3 finished cells");
    expect(ranCells(forced.stderr)).toBe(3);
    expect(readCellLines(out)).toHaveLength(3);
    expect(read(out, "sweep.csv")).toBe(table);
    expect(read(out, "notes.md")).toBe("my notes\n");
    const marker = JSON.parse(read(out, ".exitlab"));
    expect(Object.keys(marker.files).sort()).toEqual(["cells.jsonl", "sweep.csv", "sweep.html", "sweep.json"]);
    expect(Object.values(marker.files)).not.toContain("pending");
  });

  it("refuses a non-empty folder exitlab did not write unless --force, which adds its files and keeps the others", async () => {
    const out = join(folder, "project");
    mkdirSync(out);
    writeFileSync(join(out, "analysis.ipynb"), "{}\n");
    const refused = await sweep(out);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^exitlab: .*project: refusing to write a sweep into a folder exitlab did not write \(no \.exitlab marker\)/);
    expect(existsSync(join(out, "cells.jsonl"))).toBe(false);
    const forced = await sweep(out, "--force");
    expect(forced.status, forced.stderr).toBe(0);
    expect(read(out, "analysis.ipynb")).toBe("{}\n");
    expect(existsSync(join(out, "sweep.csv"))).toBe(true);
  });

  it("refuses to replace a sweep table the user edited, naming it, unless --force", async () => {
    const out = join(folder, "edited");
    expect((await sweep(out)).status).toBe(0);
    writeFileSync(join(out, "sweep.csv"), "my edited table\n");
    const refused = await sweep(out);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/sweep\.csv: refusing to replace a file exitlab did not write \(it was changed since\)/);
    expect(read(out, "sweep.csv")).toBe("my edited table\n");
    expect((await sweep(out, "--force")).status).toBe(0);
    expect(read(out, "sweep.csv")).not.toBe("my edited table\n");
  });

  it("never writes into the working directory or the data folder, even with --force", async () => {
    const here = await sweep(".", "--force");
    expect(here.status).toBe(1);
    expect(here.stderr).toMatch(/refusing to write a run over a folder that is the working directory/);
    const over = await sweep(data, "--force");
    expect(over.status).toBe(1);
    expect(over.stderr).toMatch(/refusing to write a run over a folder that is the data path/);
    expect(existsSync(join(data, "cells.jsonl"))).toBe(false);
  });

  it.skipIf(availableParallelism() >= 16)("caps --workers above the core count with a warning on stderr that sweep.json counts", async () => {
    const out = join(folder, "capped");
    const run = await sweep(out, "--workers", "16");
    expect(run.status, run.stderr).toBe(0);
    const cores = availableParallelism();
    expect(run.stderr).toContain(`exitlab: warning: --workers 16 is more than the ${cores} core`);
    expect(run.stderr).toContain(`on ${Math.min(cores, 3)} worker thread`);
    const summary = JSON.parse(read(out, "sweep.json"));
    expect(summary.warnings).toEqual([expect.objectContaining({ code: "workers-capped", count: 16 - cores })]);
    const plain = join(folder, "plain");
    expect((await sweep(plain, "--workers", "1")).status).toBe(0);
    expect(JSON.parse(read(plain, "sweep.json")).warnings).toBeUndefined();
    expect(read(out, "sweep.csv")).toBe(read(plain, "sweep.csv"));
  });

  it("refuses a grid larger than the bound, stating the bound and how to raise it", async () => {
    const big = writeSweepFile(folder, "big.json", { grid: { "sizing.leverage": [1, 2, 3], seed: [1, 2, 3, 4] } });
    const run = await runSweepCli(["sweep", "--grid", big, "--data", data, "--out", join(folder, "big"), "--max-cells", "10"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/big\.json grid: the sweep has 12 cells, more than the bound of 10 \(.*raise the bound with --max-cells N\)/);
    expect(existsSync(join(folder, "big"))).toBe(false);
  });

  it("fails only the cell whose strategy calls process.exit, runs the others, and exits 1", async () => {
    const strategy = join(folder, "exiting.mjs");
    writeFileSync(strategy, [
      "export function computeSignals(series, params) {",
      "  if (params.quit) process.exit(7);",
      "  return Array.from({ length: series.length }, (_, i) => (i % 50 === 10 ? { action: 'BUY', confidence: 0.9 } : i % 50 === 30 ? { action: 'SELL', confidence: 0.9 } : null));",
      "}",
    ].join("\n"));
    const grid = writeSweepFile(folder, "quit.json", { grid: { "signals.params.quit": [false, true], "sizing.leverage": [1, 2] } });
    const out = join(folder, "quit");
    const run = await runSweepCli(["sweep", "--grid", grid, "--data", data, "--signals", strategy, "--out", out, "--workers", "2"]);
    expect(run.status, run.stderr).toBe(1);
    const rows = read(out, "sweep.csv").trimEnd().split("\n").slice(1);
    expect(rows.filter((row) => row.includes(",done,false,"))).toHaveLength(2);
    const failed = rows.filter((row) => row.includes(",failed,true,"));
    expect(failed).toHaveLength(2);
    for (const row of failed) expect(row).toMatch(/process\.exit\(7\) inside a sweep cell/);
    expect(JSON.parse(read(out, "sweep.json")).counts).toEqual({ cells: 4, done: 2, failed: 2, skipped: 0 });
  });

  it("writes no file an rl sizing's save names (cells write none), and says so in a counted warning", async () => {
    const saveTo = join(folder, "qtable.json");
    const out = join(folder, "rl");
    const grid = writeSweepFile(folder, "seeds.json", { grid: { seed: [1, 2, 3] } });
    const run = await runSweepCli(["sweep", "--grid", grid, "--data", data, "--out", out, "--sizing", "rl", "--rl-save", saveTo]);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(saveTo)).toBe(false);
    expect(run.stderr).toContain("exitlab: warning: sizing.save (--rl-save) is ignored in a sweep");
    expect(JSON.parse(read(out, "sweep.json")).warnings).toEqual([expect.objectContaining({ code: "sweep-rl-save-ignored", count: 3 })]);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSuiteFolder } from "../cli/cliHarness.js";
import { readCellLines, runSweepCli, writeSweepFile, writeSynthData } from "./sweepHarness.js";

/**
 * `exitlab sweep --search random|tpe` end to end on seeded synthetic data: the same cells and
 * the same bytes on 1 and 2 worker threads, resumable, and errors for what does not fit.
 */

const SPACE = {
  grid: {
    "exits.stopLossPct": { min: 0.005, max: 0.05, log: true },
    "exits.takeProfitPct": { min: 0.01, max: 0.1, step: 0.01 },
    "sizing.leverage": [1, 2, 3],
  },
  metric: "totalReturnPct",
};

let folder = "";
let data = "";
let spaceFile = "";
const read = (out: string, name: string): string => readFileSync(join(out, name), "utf8");
const sweep = (out: string, ...extra: string[]) => runSweepCli(["sweep", "--grid", spaceFile, "--data", data, "--out", out, "--min-trades", "0", ...extra]);

describe("exitlab sweep --search", { timeout: 120_000 }, () => {
  beforeAll(() => {
    folder = makeSuiteFolder();
    data = writeSynthData(join(folder, "data"), 3000);
    spaceFile = writeSweepFile(folder, "space.json", SPACE);
  });

  it.each(["random", "tpe"])("runs a %s search of N trials with byte-identical tables on 1 and 2 workers", async (method) => {
    const one = join(folder, `${method}-1`);
    const two = join(folder, `${method}-2`);
    const runOne = await sweep(one, "--search", method, "--trials", "18", "--seed", "3", "--workers", "1");
    expect(runOne.status, runOne.stderr).toBe(0);
    const runTwo = await sweep(two, "--search", method, "--trials", "18", "--seed", "3", "--workers", "2");
    expect(runTwo.status, runTwo.stderr).toBe(0);
    expect(read(one, "sweep.csv")).toBe(read(two, "sweep.csv"));
    expect(read(one, "sweep.json")).toBe(read(two, "sweep.json"));
    const summary = JSON.parse(read(one, "sweep.json"));
    expect(summary.counts.cells).toBe(18);
    expect(summary.search).toEqual(method === "tpe" ? { method, trials: 18, batch: 4 } : { method, trials: 18 });
    expect(readCellLines(one)).toHaveLength(18);
    for (const cell of summary.cells) {
      expect(cell.values["exits.stopLossPct"]).toBeGreaterThanOrEqual(0.005);
      expect(cell.values["exits.stopLossPct"]).toBeLessThanOrEqual(0.05);
      expect([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]).toContain(cell.values["exits.takeProfitPct"]);
    }
  });

  it("reports PBO and the deflated Sharpe ratio of the best cell over the ranked cells' daily returns", async () => {
    const out = join(folder, "overfitting");
    const run = await sweep(out, "--search", "random", "--trials", "12", "--seed", "3", "--pbo-partitions", "4");
    expect(run.status, run.stderr).toBe(0);
    const { overfitting, cells } = JSON.parse(read(out, "sweep.json"));
    expect(overfitting.trials).toBe(12);
    expect(overfitting.days).toBe(125); // 3000 hourly bars
    expect(overfitting.partitions).toBe(4);
    expect(overfitting.pboSplits).toBe(6);
    expect(overfitting.pbo * 6).toBe(Math.round(overfitting.pbo * 6));
    expect(overfitting.deflatedSharpe.cellId).toBe(cells[0].cellId);
    expect(overfitting.deflatedSharpe.probability).toBeGreaterThanOrEqual(0);
    expect(overfitting.deflatedSharpe.probability).toBeLessThanOrEqual(1);
    expect(run.stdout).toMatch(/overfitting: PBO [01]\.\d{3} over 12 ranked cells × 125 days \(S = 4, 6 splits\); deflated Sharpe of #1: /);
    const odd = await sweep(join(folder, "odd"), "--search", "random", "--trials", "4", "--pbo-partitions", "5");
    expect(odd.status).toBe(2);
    expect(odd.stderr).toContain("--pbo-partitions: \"5\" is not an even whole number from 2 to 24");
  });

  it("says why the overfitting statistics are missing when too few cells are ranked", async () => {
    const run = await runSweepCli(["sweep", "--grid", spaceFile, "--data", data, "--out", join(folder, "few"), "--search", "random", "--trials", "3", "--min-trades", "100000"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("overfitting: not computed (needs at least two ranked cells)");
  });

  it("proposes other cells for another seed", async () => {
    const run = await sweep(join(folder, "tpe-seed4"), "--search", "tpe", "--trials", "18", "--seed", "4", "--workers", "2");
    expect(run.status, run.stderr).toBe(0);
    expect(read(join(folder, "tpe-seed4"), "sweep.csv")).not.toBe(read(join(folder, "tpe-2"), "sweep.csv"));
  });

  it("resumes a TPE search from its journal without running a finished cell again", async () => {
    const again = await sweep(join(folder, "tpe-2"), "--search", "tpe", "--trials", "18", "--seed", "3", "--workers", "2");
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/\] cell [0-9a-f]{16} done/);
    expect(read(join(folder, "tpe-2"), "sweep.csv")).toBe(read(join(folder, "tpe-1"), "sweep.csv"));
  });

  it("ranks by --rank-by and leaves cells below --min-trades unranked", async () => {
    const out = join(folder, "calmar");
    const run = await runSweepCli(["sweep", "--grid", spaceFile, "--data", data, "--out", out, "--search", "random", "--trials", "6", "--rank-by", "calmarRatio", "--min-trades", "100000"]);
    expect(run.status, run.stderr).toBe(0);
    const lines = read(out, "sweep.csv").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^rank,cellId,status,exits\.stopLossPct,exits\.takeProfitPct,sizing\.leverage,calmarRatio,/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^,[0-9a-f]{16},done,.*not ranked: \d+ trades < min trades 100000$/);
    expect(run.stdout).toContain("6 cells with fewer than 100000 trades not ranked (--min-trades)");
  });

  it.each([
    [["--search", "grid"], "space.json grid.exits.stopLossPct: a grid search needs a step for every range"],
    [["--search", "tpe"], "--search: a tpe search needs a number of trials"],
    [["--search", "random", "--trials", "0"], "--trials: 0: Too small"],
    [["--search", "random", "--trials", "5", "--rank-by", "sharpe"], '--rank-by: "sharpe" is not a run metric'],
  ])("fails in one line for %j", async (flags, message) => {
    const run = await sweep(join(folder, "bad"), ...flags);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^exitlab: /);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

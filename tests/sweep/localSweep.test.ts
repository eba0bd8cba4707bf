import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeRun } from "../../workflows/backtest.js";
import { prepareFromArgv as prepareRun } from "../../cli/runArgs.js";
import { expandGrid, type ReadyCell } from "../../workflows/sweep/grid.js";
import { makeSuiteFolder } from "../cli/cliHarness.js";
import { readCellLines, runSweepCli, spawnExitlab, writeSweepFile, writeSynthData } from "./sweepHarness.js";

/**
 * A local sweep end to end on seeded synthetic data: 12 cells, 4 of them invalid (leverage
 * beyond 1 / maintenance margin), 8 run on a piscina pool over shared memory. Needs the
 * compiled worker (dist/workflows/sweep/worker.js): `npm test` builds it first.
 */

const GRID = {
  grid: { "exits.kind": ["static", "ai"], "exits.maxHoldingBars": [null, 48], "sizing.leverage": [1, 3, 500] },
  metric: "sharpeRatio",
  direction: "max",
};

let folder = "";
let data = "";
let sweepFile = "";
let reference = "";
const read = (out: string, name: string): string => readFileSync(join(out, name), "utf8");
const sweep = (out: string, ...extra: string[]) => runSweepCli(["sweep", "--grid", sweepFile, "--data", data, "--out", out, ...extra]);
/** The cell ids a run reports as finished on stderr. */
const ranCells = (stderr: string): string[] => [...stderr.matchAll(/\] cell ([0-9a-f]{16}) done/g)].map((match) => match[1]).sort();

describe("exitlab sweep on this machine", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    folder = makeSuiteFolder();
    data = writeSynthData(join(folder, "data"), 3000);
    sweepFile = writeSweepFile(folder, "sweep.json", GRID);
    reference = join(folder, "reference");
    const run = await sweep(reference, "--workers", "2");
    expect(run.status, run.stderr).toBe(0);
  }, 60_000);

  it("runs every valid cell once, skips the invalid ones with the schema's message, and ranks them", () => {
    const rows = read(reference, "sweep.csv").trimEnd().split("\n");
    expect(rows).toHaveLength(1 + 12);
    expect(rows.filter((row) => row.includes(",done,"))).toHaveLength(8);
    const skipped = rows.filter((row) => row.includes(",skipped,"));
    expect(skipped).toHaveLength(4);
    for (const row of skipped) expect(row).toContain("sizing.leverage: leverage must be below 1 / maintenanceMarginRate = 200");
    expect(rows.slice(1, 9).map((row) => row.split(",")[0])).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    const cells = readCellLines(reference);
    expect(cells).toHaveLength(8);
    expect(new Set(cells.map((cell) => cell.cellId)).size).toBe(8);
    const summary = JSON.parse(read(reference, "sweep.json"));
    expect(summary.counts).toEqual({ cells: 12, done: 8, failed: 0, skipped: 4 });
  });

  it("gives byte-identical tables on 1 and on 2 workers", async () => {
    const single = join(folder, "single");
    const run = await sweep(single, "--workers", "1");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("running 8 on 1 worker thread");
    expect(read(single, "sweep.csv")).toBe(read(reference, "sweep.csv"));
    expect(read(single, "sweep.json")).toBe(read(reference, "sweep.json"));
  });

  it("reports for a cell the same numbers as a backtest of that cell's config", async () => {
    const prepared = await prepareRun({ data: [data] }, {});
    const cell = expandGrid(prepared.config, [["exits.kind", ["ai"]], ["exits.maxHoldingBars", [48]], ["sizing.leverage", [3]]])[0] as ReadyCell;
    const stats = executeRun(prepared, cell.config).stats;
    const row = JSON.parse(read(reference, "sweep.json")).cells.find((entry: { cellId: string }) => entry.cellId === cell.cellId);
    // Cells run the compiled dist/ in worker threads; this side runs the sources.
    expect(row.metrics, "is dist/ older than the sources? run npx tsc -p tsconfig.json").toEqual({
      sharpeRatio: stats.sharpeRatio, totalReturnPct: stats.totalReturnPct, maxDrawdownPct: stats.maxDrawdownPct, winRatePct: stats.winRatePct,
      profitFactor: stats.profitFactor, tradeCount: stats.tradeCount, expectancyReturnOnMarginPct: stats.expectancyReturnOnMarginPct,
    });
    expect(stats.tradeCount).toBeGreaterThan(0);
  });

  it("resumes: runs only the cells missing from cells.jsonl, ignores a line cut short, and writes the same table", async () => {
    const resumed = join(folder, "resumed");
    cpSync(reference, resumed, { recursive: true });
    const lines = read(resumed, "cells.jsonl").split("\n").filter((line) => line !== "");
    const removed = [2, 5, 7].map((index) => JSON.parse(lines[index]).cellId as string).sort();
    writeFileSync(join(resumed, "cells.jsonl"), `${lines.filter((_, index) => ![2, 5, 7].includes(index)).join("\n")}\n`);
    appendFileSync(join(resumed, "cells.jsonl"), lines[3].slice(0, 40));
    // As a killed sweep leaves it: the marker lists the journal as still being written.
    const marker = JSON.parse(read(resumed, ".exitlab"));
    writeFileSync(join(resumed, ".exitlab"), JSON.stringify({ ...marker, files: { ...marker.files, "cells.jsonl": "pending" } }));
    const run = await sweep(resumed, "--workers", "2");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("5 already done); running 3");
    expect(ranCells(run.stderr)).toEqual(removed);
    expect(read(resumed, "sweep.csv")).toBe(read(reference, "sweep.csv"));
    expect(readCellLines(resumed)).toHaveLength(8);
  });

  it("resumes after the sweep process is killed mid-way", async () => {
    const killed = join(folder, "killed");
    const child = spawnExitlab(["sweep", "--grid", sweepFile, "--data", data, "--out", killed, "--workers", "1"]);
    const journal = join(killed, "cells.jsonl");
    while (!existsSync(journal) || readCellLinesSafe(killed) < 1) {
      if (child.child.exitCode !== null) throw new Error(`the sweep ended before it was killed:\n${child.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.child.kill("SIGKILL");
    await child.exited;
    expect(existsSync(join(killed, "sweep.csv"))).toBe(false);
    const survived = readCellLinesSafe(killed);
    expect(survived).toBeLessThan(8);
    const run = await sweep(killed, "--workers", "2");
    expect(run.status, run.stderr).toBe(0);
    expect(ranCells(run.stderr)).toHaveLength(8 - survived);
    expect(read(killed, "sweep.csv")).toBe(read(reference, "sweep.csv"));
  });

  it("refuses an out folder holding another grid's cells unless --force, then starts afresh", async () => {
    const other = join(folder, "other");
    cpSync(reference, other, { recursive: true });
    const otherGrid = writeSweepFile(folder, "other.json", { grid: { "sizing.leverage": [1, 2] } });
    const refused = await runSweepCli(["sweep", "--grid", otherGrid, "--data", data, "--out", other]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^exitlab: .*cells\.jsonl: holds the cells of another sweep \(a different grid\) \(pass another --out, or --force/);
    const forced = await runSweepCli(["sweep", "--grid", otherGrid, "--data", data, "--out", other, "--force"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readCellLines(other)).toHaveLength(2);
  });

  it("reports a cell whose strategy throws as failed, keeps the others, and exits 1", async () => {
    const strategy = join(folder, "strategy.mjs");
    writeFileSync(strategy, [
      "export function computeSignals(series, params) {",
      "  if (params.explode) throw new Error(`boom at ${series.symbol}`);",
      "  return Array.from({ length: series.length }, (_, i) => (i % 50 === 10 ? { action: 'BUY', confidence: 0.9 } : i % 50 === 30 ? { action: 'SELL', confidence: 0.9 } : null));",
      "}",
    ].join("\n"));
    const grid = writeSweepFile(folder, "explode.json", { grid: { "signals.params.explode": [false, true] } });
    const out = join(folder, "explode");
    const run = await runSweepCli(["sweep", "--grid", grid, "--data", data, "--signals", strategy, "--out", out]);
    expect(run.status, run.stderr).toBe(1);
    const rows = read(out, "sweep.csv").trimEnd().split("\n").slice(1);
    expect(rows[0]).toMatch(/^1,[0-9a-f]{16},done,false,/);
    expect(rows[1]).toMatch(/^,[0-9a-f]{16},failed,true,.*computeSignals threw for AAAUSDT \(3000 bars\): boom at AAAUSDT/);
  });

  it("runs every cell again with --no-resume", async () => {
    const again = join(folder, "again");
    cpSync(reference, again, { recursive: true });
    const run = await sweep(again, "--no-resume", "--workers", "2");
    expect(run.status, run.stderr).toBe(0);
    expect(ranCells(run.stderr)).toHaveLength(8);
    expect(read(again, "sweep.csv")).toBe(read(reference, "sweep.csv"));
  });
});

function readCellLinesSafe(out: string): number {
  try {
    return read(out, "cells.jsonl").split("\n").filter((line) => line.startsWith('{"type":"cell"')).length;
  } catch {
    return 0;
  }
}

/**
 * What a run folder costs and holds (issue 19): equity.csv at the resolution asked for (hourly
 * by default for long runs of sub-hour bars), equity.arrow with every row, formula cells
 * neutralised in the CSVs, and EXITLAB_TIMINGS, which prints phases without changing a byte.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  entriesOf, hourlyBarLines, makeSuiteFolder, makeTempFolder, PROJECT_ROOT, readCsvRows, readSummary, readTrades, runExitlab, snapshotFolder, writeLines,
} from "./cliHarness.js";

const MINUTE_BARS = 50_001 + 59; // 50,060 one-minute bars: over the 50,000 rows auto keeps, 835 hours

describe("equity.csv and equity.arrow", () => {
  const data = makeSuiteFolder();
  let synthesised: Promise<unknown> | null = null;
  const minuteData = async (): Promise<string> => {
    synthesised ??= runExitlab(["data", "synth", "--bars", String(MINUTE_BARS), "--timeframe", "1m", "--symbols", "MINUSDT", "--out", data]);
    await synthesised;
    return join(data, "MINUSDT.csv");
  };

  it("writes a long run of minute bars hourly, ending on the final equity, with every row in equity.arrow", async () => {
    const outDir = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", "--data", await minuteData(), "--out", outDir, "--quiet"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const rows = readCsvRows(join(outDir, "equity.csv"));
    expect(rows).toHaveLength(Math.ceil(MINUTE_BARS / 60));
    expect(rows.slice(0, 2).map((row) => row.time_iso)).toEqual(["2024-01-01T00:59:00.000Z", "2024-01-01T01:59:00.000Z"]);
    const summary = readSummary(outDir);
    expect(Number(rows.at(-1)!.equity)).toBe(summary.account.finalEquity);
    expect(summary.outputs).toEqual({ equityCsv: { resolution: "1h", rows: rows.length }, equityArrow: { rows: MINUTE_BARS } });

    const table = tableFromIPC(readFileSync(join(outDir, "equity.arrow")));
    expect(table.numRows).toBe(MINUTE_BARS);
    const equity = table.getChild("equity")!.toArray() as Float64Array;
    const time = table.getChild("timestamp")!.toArray() as BigInt64Array;
    for (const row of rows.slice(0, 50)) {
      const index = (Number(row.timestamp) - Number(time[0])) / 60_000;
      expect(String(equity[index])).toBe(row.equity);
    }
    expect(equity.at(-1)).toBe(summary.account.finalEquity);
  }, 60_000);

  it("writes every bar and no equity.arrow when asked for bar resolution, and equity.arrow alone when asked for it", async () => {
    const folder = makeTempFolder();
    const full = await runExitlab(["backtest", "--data", await minuteData(), "--out", join(folder, "bar"), "--quiet", "--equity-resolution", "bar"]);
    expect(full.status).toBe(0);
    expect(readCsvRows(join(folder, "bar", "equity.csv"))).toHaveLength(MINUTE_BARS);
    expect(entriesOf(join(folder, "bar"))).not.toContain("equity.arrow");

    const sample = await runExitlab(["backtest", "--out", join(folder, "sample"), "--quiet", "--equity-arrow"]);
    expect(sample.status).toBe(0);
    const rows = readCsvRows(join(folder, "sample", "equity.csv"));
    expect(tableFromIPC(readFileSync(join(folder, "sample", "equity.arrow"))).numRows).toBe(rows.length);
    expect(readSummary(join(folder, "sample")).outputs).toEqual({ equityCsv: { resolution: "bar", rows: rows.length }, equityArrow: { rows: rows.length } });
  }, 60_000);

  it("keeps hourly bars at full resolution by default, with no equity.arrow", async () => {
    const outDir = join(makeTempFolder(), "run");
    expect((await runExitlab(["backtest", "--out", outDir, "--quiet"])).status).toBe(0);
    const summary = readSummary(outDir);
    expect(summary.outputs.equityCsv.resolution).toBe("bar");
    expect(summary.outputs.equityArrow).toBeNull();
    expect(summary.outputs.equityCsv.rows).toBe(readCsvRows(join(outDir, "equity.csv")).length);
    expect(summary.outputs.equityCsv.rows).toBe(1587); // one row per timestamp of the two 1h symbols' timeline
    expect(entriesOf(outDir)).not.toContain("equity.arrow");
  }, 60_000);

  it("refuses an unknown resolution with a one-line error", async () => {
    const run = await runExitlab(["backtest", "--out", join(makeTempFolder(), "run"), "--equity-resolution", "2h"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/equity-resolution/);
  });
});

describe("CSV injection", () => {
  it("writes a symbol named after a file =HYPERLINK(…) as text, not as a formula", async () => {
    const folder = makeTempFolder();
    const file = writeLines(folder, '=HYPERLINK("evil","y").csv', hourlyBarLines(400));
    const outDir = join(folder, "run");
    const run = await runExitlab(["backtest", "--data", file, "--out", outDir, "--quiet"]);
    expect(run.status).toBe(0);
    const trades = readFileSync(join(outDir, "trades.csv"), "utf8");
    expect(readTrades(outDir).length).toBeGreaterThan(0);
    expect(trades).toContain(`,"'=HYPERLINK(""evil"",""y"")",`);
    for (const name of ["trades.csv", "fills.csv", "exit_stats.csv"]) {
      expect(readFileSync(join(outDir, name), "utf8"), name).not.toMatch(/(^|,)"?=HYPERLINK/m);
    }
  });
});

describe("EXITLAB_TIMINGS", () => {
  it("prints each phase with its share on stderr and changes no output byte", async () => {
    const folder = makeTempFolder();
    const plain = await runExitlab(["backtest", "--out", join(folder, "plain")], { spawn: true });
    const timed = await runExitlab(["backtest", "--out", join(folder, "timed")], { spawn: true, env: { EXITLAB_TIMINGS: "1" } });
    expect(timed.status).toBe(0);
    expect(plain.stderr).toBe("");
    for (const phase of ["start-up", "data load", "signals", "replay", "stats", "equity.csv", "trades.csv", "report.html", "total"]) {
      expect(timed.stderr).toMatch(new RegExp(`^  ${phase.replace(".", "\\.")} +\\d+\\.\\d ms`, "m"));
    }
    expect(timed.stderr).toMatch(/replay +[\d.]+ ms +[\d.]+ %/);
    expect(timed.stdout.replaceAll("timed", "plain")).toBe(plain.stdout);
    const summaryOf = (name: string) => { const s = readSummary(join(folder, name)); s.config.output.dir = ""; return s; };
    expect(summaryOf("timed")).toEqual(summaryOf("plain"));
    // summary.json names its folder, and the .exitlab marker lists summary.json's hash.
    const withoutSummary = (snapshot: Record<string, string>) => { delete snapshot["summary.json"]; delete snapshot[".exitlab"]; return snapshot; };
    expect(withoutSummary(snapshotFolder(join(folder, "timed")))).toEqual(withoutSummary(snapshotFolder(join(folder, "plain"))));

    const json = await runExitlab(["backtest", "--out", join(folder, "json"), "--quiet"], { spawn: true, env: { EXITLAB_TIMINGS: "json" } });
    const line = json.stderr.trim().split("\n").find((text) => text.startsWith("exitlab timings "))!;
    const { phases, pageFaults, peakRssMb } = JSON.parse(line.slice("exitlab timings ".length));
    expect(Object.keys(phases)[0]).toBe("start-up");
    expect(phases.total).toBeGreaterThanOrEqual(phases.replay);
    expect(peakRssMb).toBeGreaterThan(20);
    expect(timed.stderr).toMatch(/^  peak RSS \d+ MB$/m);
    // The process's minor page faults by the same phases; they add up to the total (a Node process faults thousands of pages).
    expect(Object.keys(pageFaults)).toEqual(Object.keys(phases));
    expect(Object.values(pageFaults).every((count) => Number.isInteger(count) && (count as number) >= 0)).toBe(true);
    const { total, ...parts } = pageFaults as Record<string, number>;
    expect(Object.values(parts).reduce((sum, count) => sum + count, 0)).toBe(total);
    expect(total).toBeGreaterThan(1000);
    expect(timed.stderr).toMatch(/^  replay +[\d.]+ ms +[\d.]+ % +\d+ faults$/m);
  }, 60_000);

  it("reports the process's own peak RSS, not that of the larger process that started it", () => {
    // Linux carries a parent's memory at fork into the child's getrusage maxRSS across exec: a run
    // started by the bench after its in-process scenarios reported the bench's ~400 MB as its own.
    const out = join(makeTempFolder(), "run");
    const parent = spawnSync(process.execPath, ["-e", `
      const held = Buffer.alloc(300 * 1024 * 1024, 1);
      const run = require("node:child_process").spawnSync(process.execPath, ["bin/exitlab.js", "backtest", "--out", ${JSON.stringify(out)}, "--quiet"], {
        env: { ...process.env, EXITLAB_TIMINGS: "json" }, encoding: "utf8",
      });
      const line = run.stderr.split("\\n").find((text) => text.startsWith("exitlab timings "));
      console.log(JSON.stringify({ status: run.status, held: held.length, parentRssMb: process.memoryUsage().rss / 1048576, child: JSON.parse(line.slice(16)).peakRssMb }));
    `], { cwd: PROJECT_ROOT, encoding: "utf8" });
    const { status, parentRssMb, child } = JSON.parse(parent.stdout);
    expect(status).toBe(0);
    expect(parentRssMb).toBeGreaterThan(300);
    expect(child).toBeGreaterThan(20);
    expect(child).toBeLessThan(250);
  }, 60_000);

  it("splits a sweep into its phases (data, cells, overfitting, each table) and changes none of its tables", async () => {
    const folder = makeTempFolder();
    const grid = join(folder, "grid.json");
    writeFileSync(grid, JSON.stringify({ grid: { "exits.stopLossPct": [0.02, 0.03] } }));
    const sweep = (name: string, env: Record<string, string>) => runExitlab(["sweep", "--grid", grid, "--workers", "1", "--out", join(folder, name), "--quiet"], { spawn: true, env });
    const plain = await sweep("plain", {});
    const timed = await sweep("timed", { EXITLAB_TIMINGS: "json" });
    expect([plain.status, timed.status]).toEqual([0, 0]);
    const line = timed.stderr.trim().split("\n").find((text) => text.startsWith("exitlab timings "))!;
    const { phases } = JSON.parse(line.slice("exitlab timings ".length));
    expect(Object.keys(phases)).toEqual([
      "start-up", "data load", "signal source load", "data hash", "data sharing", "cells", "ranking", "overfitting",
      "sweep.csv", "sweep.json", "sweep.html", "worker threads' end", "other", "total",
    ]);
    expect(phases.cells).toBeGreaterThan(0);
    // The journal's lines name the thread that ran each cell and its time; nothing else may differ.
    const bytesOf = (name: string, file: string) => readFileSync(join(folder, name, file), "utf8").replace(/,"ranBy":"[^"]*","elapsedMs":\d+/g, "");
    for (const file of ["sweep.csv", "sweep.json", "sweep.html", "cells.jsonl"]) expect(bytesOf("timed", file), file).toBe(bytesOf("plain", file));
  }, 60_000);
});

import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  expectNoOutputFolder, expectOneLineError, expectRunFolder, makeSuiteFolder, readCsvRows, readSummary, readTrades, runExitlab, snapshotFolder, writeText,
} from "../cli/cliHarness.js";

/**
 * `exitlab walkforward` end to end on the shipped sample (BTCUSDT + ETHUSDT 1h, 66 days):
 * a 2 × 2 grid in 5 rolling windows of 35 days in-sample, 6 days out-of-sample. Needs the
 * compiled worker (dist/workflows/walkforward/worker.js): `npm test` builds it first.
 */

const GRID = { grid: { "exits.stopLossPct": [0.02, 0.04], "exits.takeProfitPct": [0.04, 0.08] }, metric: "sharpeRatio" };
const WINDOW_FLAGS = ["--min-trades", "10", "--no-cache"];
const LENGTHS: Record<string, string> = { "--train": "35d", "--test": "6d" };
/** The window lengths; a flag in `flags` replaces the default one (repeated flags stay repeated). */
const lengths = (flags: readonly string[] = []): string[] => [
  ...Object.entries(LENGTHS).filter(([flag]) => !flags.includes(flag)).flat(), ...flags,
];

let folder = "";
let grid = "";
let out = "";
let terminal = "";
const walkforward = (target: string, ...extra: string[]) => runExitlab(["walkforward", "--grid", grid, ...lengths(), ...WINDOW_FLAGS, "--out", target, ...extra]);
const json = (dir: string, name: string): any => JSON.parse(readFileSync(join(dir, name), "utf8"));

describe("exitlab walkforward on the shipped sample", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    folder = makeSuiteFolder();
    grid = writeText(folder, "grid.json", JSON.stringify(GRID));
    out = join(folder, "wf");
    const run = await walkforward(out, "--workers", "2");
    expect(run.status, run.stderr).toBe(0);
    terminal = run.stdout;
  }, 120_000);

  it("shows the terminal's window table, stitched line and efficiency on the run's report.html", () => {
    const page = readFileSync(join(out, "report.html"), "utf8");
    expect(page).toContain('data-run-kind="walkforward"');
    const lines = terminal.split("\n");
    const header = lines.findIndex((line) => line.trimStart().startsWith("window"));
    const windowLines = lines.slice(header + 1, header + 6);
    expect(windowLines).toHaveLength(5);
    for (const line of windowLines) {
      const cells = line.trim().split(/\s{2,}/).map((cell) => cell.replace(/&/g, "&amp;").replace(/"/g, "&quot;"));
      expect(page).toMatch(new RegExp(cells.map((cell) => `<td[^>]*>${cell.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</td>`).join("")));
    }
    for (const prefix of ["out of sample (stitched):", "walk-forward efficiency:"]) {
      const line = lines.find((text) => text.startsWith(prefix)) ?? "";
      expect(line).not.toBe("");
      expect(page).toContain(`<p class="subtitle">${line}</p>`);
    }
  });

  it("writes a normal run folder plus the per-window table, one row per window", () => {
    expectRunFolder(out);
    const rows = readCsvRows(join(out, "walkforward.csv"));
    expect(rows.map((row) => row.window)).toEqual(["1", "2", "3", "4", "5"]);
    for (const row of rows) {
      expect(Date.parse(row.trainTo) - Date.parse(row.trainFrom)).toBe(35 * 86_400_000);
      expect(row.testFrom).toBe(row.trainTo);
      expect(Date.parse(row.testTo) - Date.parse(row.testFrom)).toBe(6 * 86_400_000);
      expect(row.cellId).toMatch(/^[0-9a-f]{16}$/);
      expect(Number(row["is.tradeCount"])).toBeGreaterThanOrEqual(10);
      expect(Number(row["is.longTradeCount"]) + Number(row["is.shortTradeCount"])).toBe(Number(row["is.tradeCount"]));
      expect(Number(row["oos.longTradeCount"]) + Number(row["oos.shortTradeCount"])).toBe(Number(row["oos.tradeCount"]));
      expect(row["is.cellsRun"]).toBe("4");
    }
    const document = json(out, "walkforward.json");
    expect(document.format).toBe("exitlab/walkforward/v1");
    expect(document.windows).toHaveLength(5);
    expect(document.settings).toMatchObject({ train: "35d", test: "6d", step: "6d", anchored: false, warmup: "all", minTrades: 10 });
  });

  it("carries each window's final equity into the next and reconciles the stitched money to 1e-9", () => {
    const windows = json(out, "walkforward.json").windows;
    expect(windows[0].outOfSample.initialEquity).toBe(10_000);
    for (let k = 1; k < windows.length; k++) expect(windows[k].outOfSample.initialEquity).toBe(windows[k - 1].outOfSample.finalEquity);
    const summary = readSummary(out);
    const account = summary.account;
    expect(account.finalEquity).toBe(windows[4].outOfSample.finalEquity);
    expect(Math.abs(account.finalEquity - (10_000 + account.realizedPnlUsd - account.feesUsd + account.fundingUsd))).toBeLessThan(1e-9 * 10_000);
    const net = readTrades(out).reduce((sum, trade) => sum + Number(trade.net_pnl_usd), 0);
    expect(Math.abs(10_000 + net - account.finalEquity)).toBeLessThan(1e-8);
    const equity = readCsvRows(join(out, "equity.csv"));
    expect(Number(equity[0].equity)).toBe(10_000);
    expect(Number(equity[equity.length - 1].equity)).toBe(account.finalEquity);
    expect(equity[0].time_iso).toBe(windows[0].window.testFrom);
  });

  it("closes what is open at a test window's end at its last close, as a counted END trade inside the window", () => {
    const windows = json(out, "walkforward.json").windows;
    const trades = readTrades(out);
    const ends = trades.filter((trade) => trade.exit_reason === "END");
    expect(ends.length).toBe(windows.reduce((sum: number, w: any) => sum + w.outOfSample.closedAtWindowEnd, 0));
    for (const trade of trades) {
      const w = windows.find((item: any) => Date.parse(item.window.testFrom) <= Number(trade.entry_time) && Number(trade.entry_time) < Date.parse(item.window.testTo));
      expect(w, `trade ${trade.id} lies in a test window`).toBeDefined();
      expect(Number(trade.exit_time)).toBeLessThan(Date.parse(w.window.testTo));
    }
    expect(new Set(trades.map((trade) => trade.id)).size).toBe(trades.length);
  });

  it("measures window 1's in-sample cell exactly as a backtest over the training days", async () => {
    const first = json(out, "walkforward.json").windows[0];
    const values = first.chosen.values;
    const target = join(folder, "is-backtest");
    const run = await runExitlab(["backtest", "--no-cache", "--to", first.window.trainTo, "--sl", String(values["exits.stopLossPct"]), "--tp", String(values["exits.takeProfitPct"]), "--out", target, "--quiet"]);
    expect(run.status, run.stderr).toBe(0);
    const stats = readSummary(target).metrics;
    expect(first.inSample.tradeCount).toBe(stats.tradeCount);
    expect(first.inSample.totalReturnPct).toBe(stats.totalReturnPct);
    expect(first.inSample.sharpeRatio).toBe(stats.sharpeRatio);
  });

  it("states the walk-forward efficiency as the stitched OOS annualised return over the mean IS one", () => {
    const document = json(out, "walkforward.json");
    const isMean = document.windows.reduce((sum: number, w: any) => sum + w.inSample.annualizedReturnPct, 0) / 5;
    expect(document.efficiency.meanInSampleAnnualizedReturnPct).toBeCloseTo(isMean, 12);
    expect(document.efficiency.outOfSampleAnnualizedReturnPct).toBe(readSummary(out).metrics.annualizedReturnPct);
    if (isMean > 0) expect(document.efficiency.walkForwardEfficiency).toBeCloseTo(document.efficiency.outOfSampleAnnualizedReturnPct / isMean, 12);
    for (const w of document.windows) expect(w.overfitting.trials).toBe(Number(w.inSampleCells.ranked));
  });

  it("is a run folder the other commands read: montecarlo runs on it", async () => {
    const run = await runExitlab(["montecarlo", "--run", out, "--n", "200", "--quiet"]);
    expect(run.status, run.stderr).toBe(0);
    expect(json(out, "montecarlo.json").trades).toBe(readTrades(out).length);
  });

  it("gates the stitched run against a regress baseline: written with --update, passes unchanged, refuses other settings", async () => {
    const baseline = join(folder, "wf-baseline.json");
    const target = join(folder, "gated");
    const update = await walkforward(target, "--quiet", "--baseline", baseline, "--update");
    expect(update.status, update.stderr).toBe(0);
    const written = JSON.parse(readFileSync(baseline, "utf8"));
    expect(written.tradeCount).toBe(readTrades(out).length);
    expect(written.config.walkforward).toMatchObject({ train: "35d", test: "6d", anchored: false });
    const pass = await walkforward(target, "--quiet", "--baseline", baseline);
    expect(pass.status, pass.stdout).toBe(0);
    expect(pass.stdout).toContain("PASS");
    const other = await walkforward(target, "--quiet", "--baseline", baseline, "--anchored");
    expect(other.status).toBe(1);
    expect(other.stdout).toContain("CONFIG DIFFERS");
    expect(other.stdout).toContain("walkforward.anchored");
  });

  it("reports an in-sample cell whose strategy throws in the window's note, keeps the others, and exits 1", async () => {
    const strategy = writeText(folder, "strategy.mjs", [
      "export function computeSignals(series, params) {",
      "  if (params.explode) throw new Error(`boom at ${series.symbol}`);",
      "  return Array.from({ length: series.length }, (_, i) => (i % 50 === 10 ? { action: 'BUY', confidence: 0.9 } : i % 50 === 30 ? { action: 'SELL', confidence: 0.9 } : null));",
      "}",
    ].join("\n"));
    const explode = writeText(folder, "explode.json", JSON.stringify({ grid: { "signals.params.explode": [false, true] } }));
    const target = join(folder, "explode");
    const run = await runExitlab(["walkforward", "--grid", explode, ...lengths(), "--min-trades", "1", "--no-cache", "--signals", strategy, "--out", target, "--quiet"]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain("5 in-sample cells failed");
    const windows = json(target, "walkforward.json").windows;
    expect(windows).toHaveLength(5);
    for (const row of windows) {
      expect(row.chosen.values["signals.params.explode"]).toBe(false);
      expect(row.note).toMatch(/1 in-sample cell failed, e\.g\. [0-9a-f]{16}: .*boom at/);
    }
  });

  it("anchors every training part at the first bar with --anchored, and takes a shorter warm-up with --warmup", async () => {
    const target = join(folder, "anchored");
    const run = await walkforward(target, "--anchored", "--warmup", "10d", "--quiet");
    expect(run.status, run.stderr).toBe(0);
    const rows = readCsvRows(join(target, "walkforward.csv"));
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((row) => row.trainFrom)).size).toBe(1);
    expect(rows.map((row) => (Date.parse(row.trainTo) - Date.parse(row.trainFrom)) / 86_400_000)).toEqual([35, 41, 47, 53, 59]);
    const document = json(target, "walkforward.json");
    expect(document.settings).toMatchObject({ anchored: true, warmup: "10d" });
    // Window 1 trains from the first bar either way, so a shorter warm-up changes nothing there.
    expect(document.windows[0].inSample).toEqual(json(out, "walkforward.json").windows[0].inSample);
  });

  it("writes byte-identical folders for the same seed on 1 and 2 workers, with a TPE search", async () => {
    const target = join(folder, "tpe");
    const tpe = ["--search", "tpe", "--trials", "6", "--batch", "2", "--seed", "3"];
    const two = await walkforward(target, ...tpe, "--workers", "2", "--quiet");
    expect(two.status, two.stderr).toBe(0);
    const first = snapshotFolder(target);
    rmSync(target, { recursive: true });
    const one = await walkforward(target, ...tpe, "--workers", "1", "--quiet");
    expect(one.status, one.stderr).toBe(0);
    expect(snapshotFolder(target)).toEqual(first);
    expect(json(target, "walkforward.json").settings.search).toMatchObject({ method: "tpe", trials: 6 });
  });

  it.each([
    [["--test", "200d"], "--test", "longer than the data"],
    [["--train", "0d"], "--train", "longer than 0"],
    [["--step", "3d"], "--step", "test windows would overlap"],
    [["--train", "60"], "--train", "not a length"],
    [["--warmup", "lots"], "--warmup", "not a length"],
    [["--step", "30d", "--step", "40d"], "--step", "given 2 times"],
  ])("refuses %j in one line with exit 2 and writes nothing", async (flags, where, reason) => {
    const target = join(folder, `bad-${where.slice(2)}`);
    const run = await runExitlab(["walkforward", "--grid", grid, ...lengths(flags), ...WINDOW_FLAGS, "--out", target]);
    expectOneLineError(run, 2, where, reason);
    expectNoOutputFolder(target);
  });
});

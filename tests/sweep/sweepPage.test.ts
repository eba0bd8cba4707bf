import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSuiteFolder } from "../cli/cliHarness.js";
import { runSweepCli, writeSweepFile, writeSynthData } from "./sweepHarness.js";

/**
 * `sweep.html`: the sweep's ranking page carries the terminal's own lines and rows — every
 * ranked cell, the overfitting line, the cells without a rank and why — as static HTML.
 */

const GRID = { grid: { "exits.stopLossPct": [0.01, 0.02, 0.04], "exits.takeProfitPct": [0.02, 0.05] }, metric: "sharpeRatio" };
const cellsOf = (line: string): string[] => line.trim().split(/\s{2,}/);
const escaped = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const rowPattern = (cells: readonly string[]): RegExp =>
  new RegExp(`<tr>${cells.map((cell) => `<td[^>]*>${escaped(cell).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</td>`).join("")}</tr>`);

let out = "";
let terminal = "";
let page = "";

describe("sweep.html", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const folder = makeSuiteFolder();
    const data = writeSynthData(join(folder, "data"), 3000);
    const grid = writeSweepFile(folder, "grid.json", GRID);
    out = join(folder, "sweep");
    // --min-trades 150 leaves 2 of the 6 cells (110 and 129 trades) unranked; --top 2 shows fewer rows than the page.
    const run = await runSweepCli(["sweep", "--grid", grid, "--data", data, "--out", out, "--min-trades", "150", "--top", "2", "--pbo-partitions", "4"]);
    expect(run.status, run.stderr).toBe(0);
    terminal = run.stdout;
    page = readFileSync(join(out, "sweep.html"), "utf8");
  });

  it("shows the terminal's first line, its overfitting line and its ranked rows, and names the file it wrote", () => {
    const lines = terminal.split("\n");
    expect(page).toContain('data-run-kind="sweep"');
    expect(page).toContain(`<p class="subtitle">${escaped(lines[0])}</p>`);
    const overfitting = lines.find((line) => line.startsWith("overfitting: ")) ?? "";
    expect(overfitting).not.toBe("");
    expect(page).toContain(`<p class="subtitle">${escaped(overfitting)}</p>`);
    const header = cellsOf(lines[1]);
    expect(page).toMatch(new RegExp(`<tr>${header.map((cell) => `<th[^>]*>${escaped(cell).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</th>`).join("")}</tr>`));
    for (const line of lines.slice(2, 4)) expect(page).toMatch(rowPattern(cellsOf(line)));
    expect(terminal).toContain("(sweep.csv, sweep.json, sweep.html, cells.jsonl)");
  });

  it("lists every ranked cell of sweep.json (more than the terminal's --top) and every cell without a rank with its reason", () => {
    const { cells } = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    const ranked = cells.filter((cell: { rank: number | null }) => cell.rank !== null);
    const unranked = cells.filter((cell: { rank: number | null }) => cell.rank === null);
    expect(ranked.length).toBeGreaterThan(2);
    expect(unranked.length).toBeGreaterThan(0);
    expect(page).toContain(`Ranked cells (${ranked.length})`);
    for (const cell of ranked) expect(page).toMatch(new RegExp(`<td class="n">${cell.rank}</td><td>${cell.cellId}</td>`));
    expect(page).toContain(`Cells without a rank (${unranked.length})`);
    for (const cell of unranked) expect(page).toContain(`<td>not ranked</td><td>${cell.cellId}</td>`);
    for (const cell of unranked) expect(page).toContain(escaped(cell.message));
  });

  it("is static: no script, and nothing fetched from the network", () => {
    expect(page).not.toContain("<script");
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/https?:\/\//);
  });
});

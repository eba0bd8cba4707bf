/**
 * The tiers page: `exitlab tiers` on the shipped sample, its report.html opened from disk in
 * headless Chromium (network blocked) shows the same calibration verdict and the same
 * per-tier rows — trades, win rate, expectancy, TP/SL/trail hit rates — as the terminal printed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const inCi = (process.env.CI ?? "") !== "";
const skipBrowser = !existsSync(CHROMIUM) && !inCi;

/** The tier table of the terminal output: the rows between the dashed rule and the notes, cells split on runs of 2+ spaces. */
function terminalTierRows(text: string): string[][] {
  const lines = text.split("\n");
  const rule = lines.findIndex((line) => /^-+ {2}-+/.test(line));
  expect(rule, "the terminal prints the tier table").toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (let i = rule + 1; i < lines.length && !lines[i].startsWith("Shares of"); i++) rows.push(lines[i].trim().split(/ {2,}/));
  return rows;
}

/** A page row without its trailing empty cells (the terminal's lines end where the text does). */
const trimEnd = (row: string[]): string[] => {
  const cells = row.map((cell) => cell.trim());
  while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
  return cells;
};

describe.skipIf(skipBrowser)("the tiers page in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let folder: string;
  let terminal: string;
  const errors: string[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "exitlab-tiers-page-"));
    terminal = execFileSync(process.execPath, [join(ROOT, "bin/exitlab.js"), "tiers", "--out", join(folder, "run")], { cwd: ROOT, encoding: "utf8" });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
    page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(pathToFileURL(join(folder, "run", "report.html")).href, { waitUntil: "load" });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it("shows the terminal's calibration verdict line word for word", async () => {
    const verdict = terminal.split("\n").find((line) => line.startsWith("Calibration ("));
    expect(verdict, "the terminal prints a calibration verdict").toBeDefined();
    const lines = await page.locator("[data-workflow] p.subtitle").allTextContents();
    expect(lines).toContain(verdict);
  });

  it("shows the per-tier table with the terminal's header and rows, ALL included", async () => {
    const table = page.locator('[data-workflow] table[data-title="Confidence tiers"]');
    const header = await table.locator("thead th").allTextContents();
    expect(header).toEqual(["tier", "confidence", "trades", "win rate", "expectancy USD", "expectancy RoM", "avg R", "TP hit", "SL hit", "trail hit", "mean conf.", "judged"]);
    const rows = await Promise.all((await table.locator("tbody tr").all()).map((row) => row.locator("td").allTextContents()));
    const expected = terminalTierRows(terminal);
    expect(rows.map(trimEnd)).toEqual(expected);
    expect(expected[expected.length - 1][0]).toBe("ALL");
  });

  it("says it is a tiers run and logs no error", async () => {
    expect(await page.locator("body").getAttribute("data-run-kind")).toBe("tiers");
    expect(await page.title()).toMatch(/^exitlab tiers — /);
    expect(errors).toEqual([]);
  });
});

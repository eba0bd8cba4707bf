/**
 * The compare page: `exitlab compare` on the shipped sample, its report.html opened from
 * disk in headless Chromium (network blocked) shows the same paired-difference tables —
 * every plan's interval and verdict — as the terminal printed, and says that its cards and
 * trade list describe the baseline plan.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOCS = join(ROOT, "docs");
const inCi = (process.env.CI ?? "") !== "";
const skipBrowser = !existsSync(CHROMIUM) && !inCi;

/** The rows under a titled table of the terminal output, as cells split on runs of 2+ spaces. */
function terminalRows(text: string, title: string): string[][] {
  const lines = text.split("\n");
  const start = lines.indexOf(title);
  expect(start, `the terminal prints "${title}"`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (let i = start + 3; i < lines.length && lines[i].trim() !== "" && !lines[i].startsWith("Δ"); i++) rows.push(lines[i].trim().split(/ {2,}/));
  return rows;
}

describe.skipIf(skipBrowser)("the compare page in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let folder: string;
  let terminal: string;
  const errors: string[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "exitlab-compare-page-"));
    terminal = execFileSync(process.execPath, [join(ROOT, "bin/exitlab.js"), "compare", "--out", join(folder, "run")], { cwd: ROOT, encoding: "utf8" });
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

  it("shows each paired-difference table with the terminal's rows: intervals and verdicts per plan", async () => {
    for (const title of ["Return on margin, paired vs static", "Net PnL (USD), paired vs static"]) {
      const table = page.locator(`[data-workflow] table[data-title="${title}"]`);
      const rows = await Promise.all((await table.locator("tbody tr").all()).map((row) => row.locator("td").allTextContents()));
      const expected = terminalRows(terminal, title);
      expect(rows).toEqual(expected);
      expect(rows.map((row) => row[row.length - 1]).every((verdict) => ["better", "worse", "no clear difference", "too few pairs"].includes(verdict))).toBe(true);
    }
  });

  it("labels the cards and trade list as the baseline plan's, and logs no error", async () => {
    expect(await page.locator("[data-baseline]").getAttribute("data-baseline")).toBe("static");
    expect(await page.locator("[data-baseline]").textContent()).toContain("baseline plan static");
    expect(errors).toEqual([]);
    if (process.env.EXITLAB_SCREENSHOTS === "1") {
      mkdirSync(DOCS, { recursive: true });
      writeFileSync(join(DOCS, "report-compare.png"), await page.screenshot());
    }
  });
});

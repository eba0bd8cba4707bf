/**
 * report.html end to end: a real run's report, opened from disk in headless Chromium,
 * draws its three charts, lists and sorts its trades, logs no error and fetches nothing.
 *
 * Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`). Without it the suite
 * is skipped on a developer's machine, but under CI (CI set) it runs and fails, so a
 * missing browser cannot turn into a silent green.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderRunReport, type RunReportInput } from "../../reports/html/renderReport.js";
import { buildSampleReportInput } from "./sampleRun.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const OUTPUT_DIR = fileURLToPath(new URL("./__output__/", import.meta.url));
const inCi = (process.env.CI ?? "") !== "";
const skipBrowser = !existsSync(CHROMIUM) && !inCi;
if (skipBrowser) {
  console.warn(`report.test.ts: skipping the browser tests — ${CHROMIUM} not found (apt-get install -y chromium; under CI they run and fail instead)`);
}

/**
 * Texts of one column of the trade table, top to bottom. (Locators and attributes only: the
 * tests' TypeScript has no DOM library, so no callback here names a DOM type.)
 */
async function columnTexts(page: Page, key: string): Promise<string[]> {
  const keys = await attributesOf(page.locator('table[data-table="trades"] thead th'), "data-key");
  expect(keys).toContain(key);
  return page.locator(`table[data-table="trades"] tbody tr td:nth-child(${keys.indexOf(key) + 1})`).allTextContents();
}

async function attributesOf(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((element) => element.getAttribute(name)));
}

/** "−1 234.56 %" style cells back to numbers (thin-space groups, optional unit). */
const numberOf = (text: string): number => Number(text.replace(/[\u2009 %]/g, ""));

describe.skipIf(skipBrowser)(`report.html in headless Chromium${skipBrowser ? ` (skipped: no ${CHROMIUM})` : ""}`, () => {
  let input: RunReportInput;
  let browser: Browser;
  let page: Page;
  let folder: string;
  let fileUrl: string;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `CI needs ${CHROMIUM}: apt-get install -y chromium`).toBe(true);
    input = await buildSampleReportInput();
    folder = mkdtempSync(join(tmpdir(), "exitlab-report-"));
    const file = join(folder, "report.html");
    writeFileSync(file, renderRunReport(input));
    fileUrl = pathToFileURL(file).href;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("requestfailed", (request) => failedRequests.push(request.url()));
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(fileUrl, { waitUntil: "load" });
    await page.waitForFunction('document.querySelectorAll("[data-chart][data-rendered]").length === 3', null, { timeout: 10_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it("marks all three charts as rendered", async () => {
    const charts = page.locator("[data-chart]");
    expect(await attributesOf(charts, "data-chart")).toEqual(["equity", "drawdown", "exit-reasons"]);
    expect(await attributesOf(charts, "data-rendered")).toEqual(["true", "true", "true"]);
  });

  it("draws real shapes: curves with hundreds of points and one pair of bars per exit reason", async () => {
    const equityPaths = await attributesOf(page.locator('[data-chart="equity"] svg path'), "d");
    expect(Math.max(...equityPaths.map((d) => (d ?? "").split("L").length))).toBeGreaterThan(100);
    const drawdownFills = await attributesOf(page.locator('[data-chart="drawdown"] svg path'), "fill");
    expect(drawdownFills.filter((fill) => fill !== "none"), "the drawdown area").toHaveLength(1);
    const reasons = input.exitStats.filter((row) => row.group === "all").length;
    expect(reasons).toBeGreaterThan(0);
    expect(await page.locator('[data-chart="exit-reasons"] svg rect[height="12"]').count()).toBe(2 * reasons);
    for (const chart of ["equity", "drawdown", "exit-reasons"]) {
      const box = await page.locator(`[data-chart="${chart}"] svg`).boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(500);
      expect(box?.height ?? 0).toBeGreaterThan(100);
    }
  });

  it("saves a screenshot of the whole page", async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const image = await page.screenshot({ fullPage: true });
    writeFileSync(join(OUTPUT_DIR, "report.png"), image);
    const extra = process.env.EXITLAB_SCREENSHOT;
    if (extra !== undefined && extra !== "") {
      mkdirSync(dirname(extra), { recursive: true });
      writeFileSync(extra, image);
    }
    expect(image.length).toBeGreaterThan(10_000);
  });

  it("lists one row per trade", async () => {
    expect(input.trades.length).toBeGreaterThan(10);
    expect(await page.locator('table[data-table="trades"] tbody tr').count()).toBe(input.trades.length);
  });

  it("sorts numerically when a numeric header is clicked, and reverses on a second click", async () => {
    const header = page.locator('table[data-table="trades"] th[data-key="netPnl"]');
    await header.click();
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    const expected = input.trades.map((trade) => trade.netPnlUsd).sort((a, b) => a - b);
    const ascending = (await columnTexts(page, "netPnl")).map(numberOf);
    expect(ascending.slice(0, 3)).toEqual(expected.slice(0, 3).map((value) => Number(value.toFixed(2))));
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

    await header.click();
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    const descending = (await columnTexts(page, "netPnl")).map(numberOf);
    expect(descending[0]).toBe(Number(expected[expected.length - 1].toFixed(2)));

    // Bars held spans 1- to 3-digit numbers: a text sort would put "114" before "35".
    await page.locator('table[data-table="trades"] th[data-key="bars"]').click();
    const bars = (await columnTexts(page, "bars")).map(numberOf);
    expect(bars).toEqual([...bars].sort((a, b) => a - b));
    expect(bars[0]).toBe(Math.min(...input.trades.map((trade) => trade.barsHeld)));
  });

  it("draws a run without trades or equity rows without an error", async () => {
    const empty: RunReportInput = {
      ...input,
      equity: { ...input.equity, length: 0, time: new Float64Array(0), equity: new Float64Array(0), drawdown: new Float64Array(0) },
      trades: [],
      exitStats: [],
    };
    const file = join(folder, "empty.html");
    writeFileSync(file, renderRunReport(empty));
    const emptyPage = await browser.newPage();
    const errors: string[] = [];
    emptyPage.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    emptyPage.on("pageerror", (error) => errors.push(error.message));
    await emptyPage.goto(pathToFileURL(file).href, { waitUntil: "load" });
    expect(await attributesOf(emptyPage.locator("[data-chart]"), "data-rendered")).toEqual(["true", "true", "true"]);
    expect(await emptyPage.locator('table[data-table="trades"] tbody tr').count()).toBe(0);
    expect(errors).toEqual([]);
    await emptyPage.close();
  });

  it("logs no console error, throws no page error and requests nothing but the file itself", () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });
});

/**
 * A long trade list in report.html (above 500 trades), opened from disk in headless Chromium:
 * only the rows in view of its scroll box are in the page, yet scrolling reaches every trade,
 * sorting orders all of them, the columns keep their widths, and printing lays out every row.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Trade } from "../../engine/types.js";
import { renderRunReport, type RunReportInput } from "../../reports/html/renderReport.js";
import { buildSampleReportInput } from "./sampleRun.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const inCi = (process.env.CI ?? "") !== "";
const skipBrowser = !existsSync(CHROMIUM) && !inCi;
const TRADES = 1_500;

const list = 'table[data-table="trades"]';
/** The box's scroll position, set from the page (no DOM typings here: a string function). */
const scrollTo = (page: Page, top: number | "bottom"): Promise<unknown> =>
  page.evaluate(`(() => { const box = document.querySelector('${list}').parentElement; box.scrollTop = ${top === "bottom" ? "box.scrollHeight" : top}; })()`);
const drawnRows = (page: Page): Locator => page.locator(`${list} tbody tr:not(.spacer)`);
const firstCells = (page: Page): Promise<string[]> => page.locator(`${list} tbody tr:not(.spacer) td:first-child`).allTextContents();
const idOf = (text: string): number => Number(text.replace(/\D/g, ""));
async function headerWidths(page: Page): Promise<number[]> {
  return Promise.all((await page.locator(`${list} thead th`).all()).map(async (th) => Math.round((await th.boundingBox())?.width ?? 0)));
}

describe.skipIf(skipBrowser)(`a trade list of ${TRADES} trades in headless Chromium`, () => {
  let trades: Trade[];
  let browser: Browser;
  let page: Page;
  let folder: string;
  const errors: string[] = [];

  beforeAll(async () => {
    const sample = await buildSampleReportInput();
    // The sample's trades over and over, numbered on: a long list without a long run.
    trades = Array.from({ length: TRADES }, (_, i) => {
      const trade = sample.trades[i % sample.trades.length];
      return { ...trade, id: i + 1, netPnlUsd: trade.netPnlUsd + i * 1e-6 };
    });
    const input: RunReportInput = { ...sample, trades, price: undefined };
    folder = mkdtempSync(join(tmpdir(), "exitlab-long-list-"));
    const file = join(folder, "report.html");
    writeFileSync(file, renderRunReport(input));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForSelector(`${list}[data-rendered="true"]`, { timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it("puts only the rows in view (and a few around) into the page", async () => {
    expect(await page.locator(list).getAttribute("data-windowed")).toBe("true");
    const drawn = await drawnRows(page).count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(120);
    expect((await firstCells(page)).slice(0, 3).map(idOf)).toEqual([1, 2, 3]);
  });

  it("reaches the last trade when scrolled to the bottom, with the columns as wide as before", async () => {
    const before = await headerWidths(page);
    await scrollTo(page, "bottom");
    await expect.poll(async () => (await firstCells(page)).map(idOf).at(-1)).toBe(TRADES);
    expect(await headerWidths(page)).toEqual(before);
    await scrollTo(page, 0);
    await expect.poll(async () => idOf((await firstCells(page))[0])).toBe(1);
  });

  it("sorts every trade, not only the drawn ones: net PnL descending starts with the largest", async () => {
    const header = page.locator(`${list} th[data-key="netPnl"]`);
    await header.click();
    await header.click();
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    const best = trades.reduce((a, b) => (b.netPnlUsd > a.netPnlUsd ? b : a));
    await expect.poll(async () => idOf((await firstCells(page))[0])).toBe(best.id);
  });

  it("lays out every row for printing, and goes back to the rows in view after", async () => {
    await page.evaluate('window.dispatchEvent(new Event("beforeprint"))');
    expect(await drawnRows(page).count()).toBe(TRADES);
    await page.evaluate('window.dispatchEvent(new Event("afterprint"))');
    expect(await drawnRows(page).count()).toBeLessThan(120);
    expect(errors).toEqual([]);
  });
});

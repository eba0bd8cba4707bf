/**
 * report.html's "Price and trades" section and trade drill-down, opened from disk in
 * headless Chromium with every network request blocked: the candle charts render, clicking
 * a trade opens its drill-down with the levels the engine traced and the fills the run
 * made, and nothing logs an error. Saves the screenshots the README shows (docs/).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderRunReport, type RunReportInput } from "../../reports/html/renderReport.js";
import { CANDLE_BUDGET, decodeOhlc, tradeDrillMaker, type Candles } from "../../reports/html/priceData.js";
import { buildLongReportInput, buildSampleReportInput } from "./sampleRun.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const DOCS = fileURLToPath(new URL("../../docs/", import.meta.url));
const inCi = (process.env.CI ?? "") !== "";
const skipBrowser = !existsSync(CHROMIUM) && !inCi;

describe.skipIf(skipBrowser)("the trade drill-down of report.html in headless Chromium", () => {
  let input: RunReportInput;
  let browser: Browser;
  let page: Page;
  let folder: string;
  let openMs = 0;
  const errors: string[] = [];
  const blocked: string[] = [];

  beforeAll(async () => {
    input = await buildSampleReportInput();
    folder = mkdtempSync(join(tmpdir(), "exitlab-drill-"));
    const file = join(folder, "report.html");
    writeFileSync(file, renderRunReport(input));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith("file:")) return route.continue();
      blocked.push(route.request().url());
      return route.abort();
    });
    page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    page.on("pageerror", (error) => errors.push(error.message));
    const started = Date.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForSelector("[data-price-chart][data-rendered] canvas", { timeout: 20_000 });
    openMs = Date.now() - started;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it("draws one candle chart per symbol, with canvases", async () => {
    const symbols = [...new Set(input.price?.bars.map((series) => series.symbol))];
    expect(await page.locator("[data-price-chart]").count()).toBe(symbols.length);
    expect(await page.locator("[data-price-chart] canvas").count()).toBeGreaterThan(symbols.length);
    console.info(`report.html opened and drew its charts in ${openMs} ms`);
  });

  it("opens a trailing-stop trade's drill-down on a click, with its traced levels and its fills", async () => {
    const trade = input.trades.find((t) => t.exitReason === "TRAIL") ?? input.trades[0];
    const traced = input.price?.levels?.byTrade().get(trade.id);
    expect(traced, "the engine traced this trade's levels").toBeDefined();
    await page.locator(`table[data-table="trades"] tbody tr:has(td:first-child:text-is("${trade.id}"))`).click();
    const drill = page.locator("#trade-drill");
    await expect.poll(() => drill.getAttribute("data-trade-id")).toBe(String(trade.id));
    expect(await drill.getAttribute("data-rendered")).toBe("true");
    expect(await drill.locator("h3").textContent()).toContain(`Trade #${trade.id}`);
    expect(await drill.locator("[data-level]").count()).toBe(traced?.time.length);
    expect(await drill.locator('[data-level="stop"]').count()).toBeGreaterThan(0);
    if (trade.exitReason === "TRAIL") expect(await drill.locator('[data-level="trail"]').count()).toBeGreaterThan(0);
    const fills = input.price?.fills.filter((fill) => fill.tradeId === trade.id) ?? [];
    expect(await drill.locator("[data-fill]").count()).toBe(fills.length);
    expect(await attributes(drill.locator("[data-fill]"))).toEqual(fills.map((fill) => fill.reason));
    expect(await drill.locator('[data-fact="excursion"]').textContent()).toContain((trade.maePct * 100).toFixed(2));
    expect(await drill.locator(".lw canvas").count()).toBeGreaterThan(0);
    mkdirSync(DOCS, { recursive: true });
    if (process.env.EXITLAB_SCREENSHOTS === "1") {
      writeFileSync(join(DOCS, "report-drilldown.png"), await drill.screenshot());
      await page.evaluate("window.scrollTo(0, 0)");
      writeFileSync(join(DOCS, "report-backtest.png"), await page.screenshot());
    }
  }, 60_000);

  it("shows what the other intrabar path would have done for a path-dependent trade, in words and as markers", async () => {
    const byTrade = input.price?.levels?.byTrade();
    const trade = input.trades.find((t) => t.pathDependent && byTrade?.get(t.id)?.otherPath !== undefined);
    expect(trade, "the sample run has a path-dependent exit").toBeDefined();
    const bars = byTrade?.get(trade?.id ?? -1)?.otherPath ?? [];
    await page.locator(`table[data-table="trades"] tbody tr:has(td:first-child:text-is("${trade?.id}"))`).click();
    const drill = page.locator("#trade-drill");
    await expect.poll(() => drill.getAttribute("data-trade-id")).toBe(String(trade?.id));
    const box = drill.locator(".other-path");
    expect(await box.getAttribute("data-other-path")).toBe(String(bars.length));
    const lines = await box.locator("[data-other-bar]").allTextContents();
    expect(lines).toHaveLength(bars.length);
    bars.forEach((bar, k) => {
      expect(lines[k]).toContain(`the other path (open → ${bar.order === "low-first" ? "low → high" : "high → low"} → close)`);
      for (const reason of bar.reason) expect(lines[k]).toContain(`${reason} at `);
      expect(lines[k]).toContain(bar.taken.length === 0 ? "filled nothing" : `took ${bar.taken.join(" + ")}`);
    });
    expect(await attributesOf(box.locator("[data-other-bar]"), "data-other-reason")).toEqual(bars.map((bar) => bar.reason.join(" ")));
    // A trade none of whose bars the other path would have filled differently shows no box.
    const plain = input.trades.find((t) => byTrade?.get(t.id)?.otherPath === undefined);
    await page.locator(`table[data-table="trades"] tbody tr:has(td:first-child:text-is("${plain?.id}"))`).click();
    await expect.poll(() => drill.getAttribute("data-trade-id")).toBe(String(plain?.id));
    expect(await drill.locator(".other-path").count()).toBe(0);
  }, 60_000);

  it("leads with a warning where the other path would have hit the trailing stop the run did not", async () => {
    const byTrade = input.price?.levels?.byTrade();
    const trade = input.trades.find((t) => (byTrade?.get(t.id)?.otherPath ?? []).some((bar) => bar.reason.includes("TRAIL") && !bar.taken.includes("TRAIL")));
    expect(trade, "the sample run has a trade the other path would have trailed out of").toBeDefined();
    await page.locator(`table[data-table="trades"] tbody tr:has(td:first-child:text-is("${trade?.id}"))`).click();
    const drill = page.locator("#trade-drill");
    await expect.poll(() => drill.getAttribute("data-trade-id")).toBe(String(trade?.id));
    const warning = drill.locator('.other-path [data-other-trail="true"]').first();
    expect(await warning.textContent()).toContain("The trailing stop would have triggered on the other path");
    expect(await warning.textContent()).toMatch(/TRAIL at [0-9.]+/);
    if (!trade?.pathDependent) expect(await drill.locator('[data-fact="path-dependent"]').textContent()).toContain("the other order would have exited");
    if (process.env.EXITLAB_SCREENSHOTS === "1") writeFileSync(join(DOCS, "report-drilldown-other-path.png"), await drill.screenshot());
  }, 60_000);

  it("renders the exit analytics: one scatter mark per trade (winners and losers apart), efficiency and monthly rows, and the buy-and-hold line", async () => {
    const trades = input.trades.filter((t) => Number.isFinite(t.maePct) && Number.isFinite(t.mfePct));
    const section = page.locator("[data-analytics-section]");
    expect(await section.locator('[data-analytics="mae-mfe"] [data-winner="1"]').count()).toBe(trades.filter((t) => t.netPnlUsd > 0).length);
    expect(await section.locator('[data-analytics="mae-mfe"] [data-winner="0"]').count()).toBe(trades.filter((t) => t.netPnlUsd <= 0).length);
    const reasons = new Set(input.trades.map((t) => t.exitReason));
    const efficiency = await section.locator('[data-analytics="efficiency"] tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(efficiency.filter((reason) => reason !== "all"))).toEqual(reasons);
    expect(await section.locator('[data-analytics="monthly"] tbody tr').count()).toBeGreaterThan(0);
    const legend = await page.locator('[data-chart="equity"] svg text').allTextContents();
    expect(legend).toContain(`buy & hold ${input.price?.bars[0].symbol}`);
  });

  it("logs no console error and sends nothing to the network", () => {
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });
});

describe.skipIf(skipBrowser)("a long run's report.html in headless Chromium (each drill-down with candles of its own)", () => {
  it("decodes the symbol's and a trade's candles to exactly the prices the report wrote, and draws them", async () => {
    const input = buildLongReportInput();
    const [series] = input.price?.bars ?? [];
    expect(series.length).toBeGreaterThan(CANDLE_BUDGET);
    const folder = mkdtempSync(join(tmpdir(), "exitlab-drill-long-"));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const file = join(folder, "report.html");
      writeFileSync(file, renderRunReport(input));
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.waitForSelector("[data-price-chart][data-rendered] canvas", { timeout: 20_000 });
      // A trade of many bars (its candles aggregated) and one of a few (every bar).
      const long = input.trades.reduce((a, b) => (b.barsHeld > a.barsHeld ? b : a));
      const short = input.trades.find((t) => t.barsHeld < 5) ?? input.trades[0];
      const drills = tradeDrillMaker(input.trades, input.price?.fills ?? [], [series], input.price?.levels?.byTrade() ?? null);
      for (const trade of [long, short]) {
        await page.locator(`table[data-table="trades"] tbody tr:has(td:first-child:text-is("${trade.id}"))`).click();
        const drill = page.locator("#trade-drill");
        await expect.poll(() => drill.getAttribute("data-trade-id")).toBe(String(trade.id));
        expect(await drill.getAttribute("data-rendered")).toBe("true");
        expect(await drill.locator(".lw canvas").count()).toBeGreaterThan(0);
        const written = drills(trade).candles as Candles;
        const decoded = await page.evaluate((id) => {
          const found = (globalThis as unknown as { exitlabReportData: { price: { trades: { id: number; candles: DecodedCandles }[] } } })
            .exitlabReportData.price.trades.find((t) => t.id === id);
          const { open, high, low, close, time, barsPerCandle } = found?.candles ?? ({} as Partial<DecodedCandles>);
          return { open, high, low, close, time, barsPerCandle };
        }, trade.id);
        const times = Array.from({ length: decodeOhlc(written).open.length }, (_, i) => written.start + i * written.step);
        expect(decoded).toEqual({ ...decodeOhlc(written), time: written.time ?? times, barsPerCandle: written.barsPerCandle });
        // The decoded prices are the bars' own: the first candle opens at the first bar's open, the last closes at the last bar's close.
        const from = times[0] === undefined ? -1 : series.time.indexOf(times[0]);
        expect(decoded.open?.[0]).toBe(series.open[from]);
      }
      expect(drills(long).candles).toMatchObject({ barsPerCandle: expect.any(Number) });
      expect((drills(long).candles as Candles).barsPerCandle).toBeGreaterThan(1);
      const symbol = await page.evaluate(() => {
        const { open, close } = (globalThis as unknown as { exitlabReportData: { price: { symbols: { candles: DecodedCandles }[] } } })
          .exitlabReportData.price.symbols[0].candles;
        return { candles: open.length, firstOpen: open[0], lastClose: close[close.length - 1] };
      });
      expect(symbol).toEqual({ candles: CANDLE_BUDGET, firstOpen: series.open[0], lastClose: series.close[series.length - 1] });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Candles as the page's script leaves them once decoded (reports/html/priceScript.ts). */
interface DecodedCandles {
  open: number[]; high: number[]; low: number[]; close: number[]; time: number[]; barsPerCandle: number;
}

async function attributes(locator: ReturnType<Page["locator"]>): Promise<(string | null)[]> {
  return attributesOf(locator, "data-fill");
}

async function attributesOf(locator: ReturnType<Page["locator"]>, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((element) => element.getAttribute(name)));
}

/**
 * `npm run bench -- page`: how long a report.html takes to open — from the navigation's
 * start to every chart drawn and the trade list built (the `data-rendered` marks the page
 * sets), in Debian `chromium` through `playwright-core`, loaded from disk with the network
 * blocked, as the browser tests load it. Each open is a fresh browser context (no cache);
 * the pages are opened interleaved, `REPEATS` times each, and reported as the median with
 * the range. Also read from the page: DOMContentLoaded and first paint (Navigation and Paint
 * Timing), and the file's size.
 *
 * The pages: the shipped perp sample's report (`exitlab backtest`, ai exits) and the peer
 * workload's (200,000 1-minute bars, 3,900 trades; written by bench/endToEnd.ts's data), both
 * written by the CLI into `.exitlab-bench/page/`; or the files named in
 * `EXITLAB_PAGE_FILES` (comma-separated), e.g. a before and an after of one change.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const REPEATS = Number(process.env.EXITLAB_BENCH_PAGE_REPEATS ?? 7);
const ROOT = join(".exitlab-bench", "page");

/* eslint-disable @typescript-eslint/no-explicit-any -- these run in the page; the bench has no DOM typings */
/** Everything the page draws on load has marked itself rendered (reportScript.ts, priceScript.ts). */
function rendered(): boolean {
  const doc = (globalThis as any).document;
  const marked = (selector: string): boolean => [...doc.querySelectorAll(selector)].every((node: any) => node.getAttribute("data-rendered") === "true");
  const charts = doc.querySelectorAll("[data-chart]").length > 0 && marked("[data-chart]");
  const table = doc.querySelector('table[data-table="trades"]')?.getAttribute("data-rendered") === "true";
  const price = doc.getElementById("price-charts") === null
    || (doc.querySelectorAll("[data-price-chart]").length > 0 && marked("[data-price-chart]") && doc.querySelector("[data-price-chart] canvas") !== null);
  return charts && table && price;
}

/** DOMContentLoaded's end and the first paint, ms from the navigation's start. */
function timings(): { dcl: number; paint: number } {
  const performance = (globalThis as any).performance;
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByType("paint").find((entry: any) => entry.name === "first-paint");
  return { dcl: nav ? nav.domContentLoadedEventEnd : NaN, paint: paint ? paint.startTime : NaN };
}

export interface PageOpenResult {
  readonly file: string;
  readonly bytes: number;
  readonly runs: number;
  readonly openMs: { readonly median: number; readonly min: number; readonly max: number };
  readonly domContentLoadedMs: number;
  readonly firstPaintMs: number;
}

function reportOf(name: string, args: readonly string[]): string {
  const out = join(ROOT, name);
  const made = spawnSync(process.execPath, ["bin/exitlab.js", ...args, "--out", out, "--quiet", "--force"], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`exitlab ${args[0]} for the ${name} page failed: ${made.stderr}`);
  return join(out, "report.html");
}

function defaultPages(peerArgs: readonly string[] | null): string[] {
  mkdirSync(ROOT, { recursive: true });
  const pages = [reportOf("sample", ["backtest", "--exit", "ai"])];
  if (peerArgs !== null) pages.push(reportOf("peer", peerArgs));
  return pages;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Opens each page `REPEATS` times, interleaved; `peerArgs` are the peer workload's CLI arguments (null: sample only). */
export async function runPageOpenBench(peerArgs: readonly string[] | null): Promise<PageOpenResult[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`bench page needs ${CHROMIUM} (apt-get install -y chromium)`);
  const listed = (process.env.EXITLAB_PAGE_FILES ?? "").split(",").filter((file) => file !== "");
  const files = (listed.length > 0 ? listed : defaultPages(peerArgs)).map((file) => resolve(file));
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const samples = new Map<string, { open: number[]; dcl: number[]; paint: number[] }>(files.map((file) => [file, { open: [], dcl: [], paint: [] }]));
  try {
    for (let r = -1; r < REPEATS; r++) { // r = -1: one unmeasured open each, to warm the browser and the disk
      for (const file of files) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        await page.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        const started = performance.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: "commit" });
        await page.waitForFunction(rendered, undefined, { polling: "raf", timeout: 60_000 });
        const openMs = performance.now() - started;
        const timing = await page.evaluate(timings);
        await context.close();
        if (errors.length > 0) throw new Error(`${file}: page errors ${errors.join("; ")}`);
        if (r < 0) continue;
        const sample = samples.get(file)!;
        sample.open.push(openMs);
        sample.dcl.push(timing.dcl);
        sample.paint.push(timing.paint);
      }
    }
  } finally {
    await browser.close();
  }
  return files.map((file) => {
    const sample = samples.get(file)!;
    return {
      file, bytes: statSync(file).size, runs: sample.open.length,
      openMs: { median: median(sample.open), min: Math.min(...sample.open), max: Math.max(...sample.open) },
      domContentLoadedMs: median(sample.dcl), firstPaintMs: median(sample.paint),
    };
  });
}

export function formatPageOpenResult(result: PageOpenResult): string {
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return `(page) ${result.file} — ${(result.bytes / 1e6).toFixed(2)} MB\n` +
    `  open to all charts and the trade list drawn ${ms(result.openMs.median)} median of ${result.runs} (${ms(result.openMs.min)}–${ms(result.openMs.max)}); ` +
    `DOMContentLoaded ${ms(result.domContentLoadedMs)}, first paint ${ms(result.firstPaintMs)}\n`;
}

/**
 * renderRunReport without a browser: self-contained (no URL of any kind), safe against
 * hostile text, deterministic, and small for long curves. (Pure unit tests; they live
 * beside the browser test because they share its sample run.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { EquityCurve, Fill, Trade } from "../../engine/types.js";
import { computeExitStats } from "../../reports/exitStats.js";
import { downsampleMinMax } from "../../reports/html/downsample.js";
import { renderRunReport, streamRunReport, type RunReportInput } from "../../reports/html/renderReport.js";
import type { ReportData } from "../../reports/html/reportData.js";
import { REPORT_SCRIPT } from "../../reports/html/reportScript.js";
import { chartLibrarySource } from "../../reports/html/chartLibrary.js";
import { computeTierRows } from "../../reports/html/tierRows.js";
import { computeStats } from "../../reports/stats.js";
import { buildSummary } from "../../reports/summary.js";
import { makeEquityCurve, makeFill, makeRunResult, makeTrade } from "../reports/fixtures.js";
import { buildSampleReportInput } from "./sampleRun.js";
import { collected } from "../fixtures/chunks.js";

const HOSTILE = "</script><script>alert(1)</script>";

/** A hand-made run: one TP1 winner and one SL loser, both in the HIGH tier. */
function handMadeInput(overrides: { symbol?: string; title?: string; equity?: EquityCurve } = {}): RunReportInput {
  const symbol = overrides.symbol ?? "BTCUSDT";
  const trades: Trade[] = [
    makeTrade({ id: 1, symbol }),
    makeTrade({ id: 2, symbol, exitPrice: 97, realizedPnlUsd: -3, netPnlUsd: -3, returnOnMargin: -0.3, rMultiple: -1, exitReason: "SL" }),
  ];
  const fills: Fill[] = [
    makeFill({ seq: 1, tradeId: 1, symbol }),
    makeFill({ seq: 2, tradeId: 1, symbol, reason: "TP1", price: 105, realizedPnlUsd: 5, orderSide: -1, barsHeld: 2 }),
    makeFill({ seq: 3, tradeId: 2, symbol }),
    makeFill({ seq: 4, tradeId: 2, symbol, reason: "SL", price: 97, realizedPnlUsd: -3, orderSide: -1, barsHeld: 2 }),
  ];
  const result = makeRunResult({ trades, fills, ...(overrides.equity === undefined ? {} : { equity: overrides.equity }) });
  const stats = computeStats({
    trades, equity: result.equity, timeframeMs: result.timeframeMs, initialBalance: 100,
    account: result.account, counters: result.counters, fills,
  });
  return {
    title: overrides.title ?? "hand-made run",
    runKind: "backtest",
    summary: buildSummary({ engineVersion: "test", config: { seed: 1 }, fingerprint: [], result, stats }),
    equity: result.equity,
    trades,
    exitStats: computeExitStats(trades, fills),
  };
}

const DATA_BLOCK = /<script type="application\/json" id="exitlab-data">([\s\S]*?)<\/script>/;

function dataOf(html: string): ReportData {
  const match = DATA_BLOCK.exec(html);
  expect(match, "the JSON data block").not.toBeNull();
  return JSON.parse((match as RegExpExecArray)[1]) as ReportData;
}

describe("renderRunReport", () => {
  let sample: RunReportInput;
  let sampleHtml: string;
  beforeAll(async () => {
    sample = await buildSampleReportInput();
    sampleHtml = renderRunReport(sample);
  }, 60_000);

  it("names no URL of any kind outside the inlined chart library: no http(s), no external src or href, no CSS url()", () => {
    // The library's own text holds its license URL and an attribution-logo link the page turns off;
    // the CSP and the browser test prove nothing is fetched.
    const library = chartLibrarySource();
    expect(sampleHtml.split(library)).toHaveLength(2);
    const page = sampleHtml.replace(library, "");
    expect(page).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(page).not.toMatch(/\b(?:src|href)\s*=\s*"(?!data:)/i);
    expect(page).not.toMatch(/url\(|@import/i);
  });

  it("is one HTML document marked as exitlab's, with the three chart containers and the trade table", () => {
    expect(sampleHtml.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(sampleHtml).toContain('<meta name="generator" content="exitlab">');
    for (const chart of ["equity", "drawdown", "exit-reasons"]) expect(sampleHtml).toContain(`data-chart="${chart}"`);
    expect(sampleHtml).toContain('data-table="trades"');
  });

  it("embeds the run as a JSON data block with one row per trade and the exit reasons", () => {
    const data = dataOf(sampleHtml);
    expect(data.tradeRows).toHaveLength(sample.trades.length);
    expect(data.tradeRows.map((row) => row[0])).toEqual(sample.trades.map((trade) => trade.id));
    expect(data.exitReasons.map((bar) => bar.reason)).toEqual(
      sample.exitStats.filter((row) => row.group === "all").map((row) => row.reason),
    );
    expect(data.series).toHaveLength(1);
  });

  it("keeps a hostile symbol and title as text: the data block cannot be closed early", () => {
    const html = renderRunReport(handMadeInput({ symbol: HOSTILE, title: '<img src=x onerror="alert(1)">' }));
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<img src=x");
    // Only the data block and the page script close a script element.
    expect(html.split("</script>")).toHaveLength(3);
    expect(dataOf(html).tradeRows[0][1]).toBe(HOSTILE);
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("streams in pieces the very bytes of the page as one string, hostile text included", () => {
    expect(collected((sink) => streamRunReport(sample, sink)).equals(Buffer.from(sampleHtml))).toBe(true);
    const hostile = handMadeInput({ symbol: `${HOSTILE} ₿ \u2028`, title: "a & b" });
    expect(collected((sink) => streamRunReport(hostile, sink)).toString("utf8")).toBe(renderRunReport(hostile));
  });

  it("gives the same string for the same input, built twice", () => {
    expect(renderRunReport(handMadeInput())).toBe(renderRunReport(handMadeInput()));
    expect(renderRunReport(sample)).toBe(sampleHtml);
  });

  it("ships a page script that parses as JavaScript", () => {
    expect(() => new Function(REPORT_SCRIPT)).not.toThrow();
  });

  it("draws a 1M-row curve from a few thousand points, keeping the highest equity and the deepest drawdown", () => {
    const rows = 1_000_000;
    const equity = Array.from({ length: rows }, (_, i) => 100 + 10 * Math.sin(i / 5_000) + ((i * 7919) % 13) / 10);
    const curve = makeEquityCurve({ equity, timeframeMs: 60_000 });
    const html = renderRunReport(handMadeInput({ equity: curve }));
    expect(html.length).toBeLessThan(200_000);
    const [series] = dataOf(html).series;
    expect(series.equity.time.length).toBeLessThanOrEqual(2 * 960 + 2);
    expect(Math.max(...series.equity.value)).toBeCloseTo(curve.equity.reduce((a, b) => Math.max(a, b)), 6);
    expect(Math.min(...series.drawdown.value)).toBeCloseTo(curve.drawdown.reduce((a, b) => Math.min(a, b)), 5);
  });

  it("draws each comparison as one more curve and one more metrics column", () => {
    const input = handMadeInput();
    const other = { name: "static exits", equity: makeEquityCurve({ equity: [100, 95, 104] }), metrics: input.summary.metrics };
    const html = renderRunReport({ ...input, runKind: "compare", runName: "ai exits", comparisons: [other] });
    expect(dataOf(html).series.map((series) => series.name)).toEqual(["ai exits", "static exits"]);
    expect(html).toMatch(/<table class="metrics"><thead><tr><th>Metric<\/th><th class="n">ai exits<\/th><th class="n">static exits<\/th>/);
  });
});

describe("downsampleMinMax", () => {
  it("keeps every point of a short curve", () => {
    expect(downsampleMinMax([1, 2, 3], [5, 4, 6], 10)).toEqual({ time: [1, 2, 3], value: [5, 4, 6] });
  });

  it("keeps the lowest and highest point of each column, in time order, plus both ends", () => {
    const time = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const value = [5, 9, 1, 6, 4, 3, 8, 2, 7, 6];
    // Two columns: times 0–4 (max 9 at 1, min 1 at 2) and 5–9 (max 8 at 6, min 2 at 7); ends 0 and 9 added.
    expect(downsampleMinMax(time, value, 2)).toEqual({ time: [0, 1, 2, 6, 7, 9], value: [5, 9, 1, 8, 2, 6] });
  });
});

describe("computeTierRows", () => {
  it("counts each tier's trades, win rate, expectancy, average R and TP/SL hit shares", () => {
    const input = handMadeInput();
    expect(computeTierRows(input.trades, input.exitStats)).toEqual([
      { tier: "HIGH", trades: 2, winRatePct: 0.5, expectancyUsd: 1, averageR: (5 / 3 - 1) / 2, takeProfitHitPct: 0.5, stopLossHitPct: 0.5 },
    ]);
  });
});

/**
 * report.html (SPEC §7): one self-contained page — inline CSS, inline script, the data as a
 * JSON block — with the equity and drawdown charts, the exit statistics, the tier table,
 * the metrics and the sortable trade list. It opens from disk and fetches nothing: a
 * Content-Security-Policy that allows only its own script and style (by hash) enforces it.
 *
 * Pure and deterministic (STYLE §9, §10): the same input gives the same string; no clock,
 * no locale, no environment.
 */
import { createHash } from "node:crypto";
import { stableStringify } from "../summary.js";
import { streamDataBlock } from "./dataBlock.js";
import { escapeHtml, formatCount, formatTimeUtc, jsonForScript } from "./format.js";
import { assembleReportData, reportDataParts, type ReportDataParts } from "./reportData.js";
import type { RunReportInput } from "./reportInput.js";
import { REPORT_SCRIPT } from "./reportScript.js";
import { chartLibrarySource } from "./chartLibrary.js";
import { PRICE_SCRIPT } from "./priceScript.js";
import { REPORT_STYLE } from "./reportStyle.js";
import {
  renderAccountTable, renderCountersTable, renderExitStatsTable, renderHeadline, renderMetricsTable, renderTierTable,
} from "./reportTables.js";
import { computeTierRows } from "./tierRows.js";
import { renderWorkflowBlock } from "./workflowSections.js";
import { renderExitAnalytics } from "./exitAnalyticsHtml.js";

export type { ComparisonRun, ReportRunKind, ReportSummary, RunReportInput, TierRow } from "./reportInput.js";

const hashOf = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** Nothing may load from anywhere; only this page's own scripts and style run. */
function contentSecurityPolicy(scripts: readonly string[]): string {
  return `default-src 'none'; script-src ${scripts.map(hashOf).join(" ")}; style-src ${hashOf(REPORT_STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;
}

function priceSection(input: RunReportInput): string {
  if (input.price === undefined) return "";
  return `
<h2>Price and trades</h2>
<p class="subtitle">Click a trade in the trade list for its drill-down: its bars, levels over time and fills. Charts: TradingView Lightweight Charts™.</p>
<div id="price-charts"></div>
<section id="trade-drill" class="drill" hidden></section>
`;
}

function chart(name: string, label: string, caption: string): string {
  return `<figure class="chart" data-chart="${name}"><svg role="img" aria-label="${escapeHtml(label)}"></svg>` +
    `<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function subtitleOf(input: RunReportInput): string {
  const { equity } = input;
  const span = equity.length === 0
    ? "no equity rows"
    : `${formatTimeUtc(equity.time[0])} → ${formatTimeUtc(equity.time[equity.length - 1])}`;
  return `${input.runKind} · ${span} · ${formatCount(equity.length)} equity rows · ${formatCount(input.trades.length)} trades`;
}

function sampledCaption(input: RunReportInput, drawnPoints: number): string {
  const rows = input.equity.length;
  return drawnPoints < rows
    ? `Drawn from ${formatCount(drawnPoints)} of ${formatCount(rows)} rows: the lowest and highest value per pixel column.`
    : `All ${formatCount(rows)} rows.`;
}

export function renderRunReport(input: RunReportInput): string {
  const parts = reportDataParts(input);
  const { head, tail } = renderPage(input, parts);
  return head + jsonForScript(assembleReportData(input, parts)) + tail;
}

/**
 * The page as UTF-8 bytes handed to `sink` in order — the markup before the data block, the data
 * block (dataBlock.ts: made one trade at a time, never whole in memory, in chunks of one reused
 * buffer), the rest — so a writer can stream them to the file. A chunk is valid only during the
 * call. Joined, they are `renderRunReport(input)`'s bytes.
 */
export function streamRunReport(input: RunReportInput, sink: (bytes: Uint8Array) => void): void {
  const parts = reportDataParts(input);
  const { head, tail } = renderPage(input, parts);
  sink(Buffer.from(head));
  streamDataBlock(input, parts, sink);
  sink(Buffer.from(tail));
}

/** The markup before and after the data block. */
function renderPage(input: RunReportInput, data: ReportDataParts): { head: string; tail: string } {
  const runName = input.runName ?? "run";
  const runs = [{ name: runName, metrics: input.summary.metrics }, ...(input.comparisons ?? [])];
  const tiers = input.tiers ?? computeTierRows(input.trades, input.exitStats);
  const main = data.head.series[0];
  const scripts = input.price === undefined ? [REPORT_SCRIPT] : [REPORT_SCRIPT, chartLibrarySource(), PRICE_SCRIPT];
  const head = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="exitlab">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts)}">
<link rel="icon" href="data:,">
<title>${escapeHtml(input.title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body data-run-kind="${escapeHtml(input.runKind)}">
<header>
<h1>${escapeHtml(input.title)}</h1>
<p class="subtitle">${escapeHtml(subtitleOf(input))}</p>
</header>
<noscript><p>The charts and the trade list need JavaScript; the tables below do not.</p></noscript>
${renderWorkflowBlock(input.workflow)}
${input.comparisons === undefined || input.comparisons.length === 0 ? "" : `<p class="baseline-note" data-baseline="${escapeHtml(runName)}">The cards, price charts, exit statistics, exit analytics and trade list below describe the baseline plan <strong>${escapeHtml(runName)}</strong>; the equity and drawdown charts and the metrics table show every plan.</p>`}
<section class="cards">${renderHeadline(input.summary.metrics)}</section>

${priceSection(input)}
<h2>Equity (USDT)</h2>
${chart("equity", "Equity curve", sampledCaption(input, main.equity.time.length) + (data.benchmark === undefined ? "" : ` Benchmark: ${data.benchmark.name} — the initial balance × close / first close, no fees, funding or leverage.`))}
<h2>Drawdown</h2>
${chart("drawdown", "Drawdown from the running peak", sampledCaption(input, main.drawdown.time.length))}

<h2>Exit statistics</h2>
${chart("exit-reasons", "Exit reasons", "Per exit reason and TP stage: share of trades with such a fill, and share of the entered quantity it closed.")}
${renderExitStatsTable(input.exitStats, "all")}
<details><summary>By confidence tier</summary>${renderExitStatsTable(input.exitStats, "tier")}</details>
<details><summary>By symbol</summary>${renderExitStatsTable(input.exitStats, "symbol")}</details>

${renderExitAnalytics(input.trades, input.equity)}

<h2>Confidence tiers</h2>
${renderTierTable(tiers)}

<h2>Metrics</h2>
<div class="columns">
${renderMetricsTable(runs)}
<div>${renderAccountTable(input.summary.account)}
${renderCountersTable(input.summary.counters)}</div>
</div>

<h2>Trades (${formatCount(input.trades.length)})</h2>
<p class="subtitle">Click a column header to sort; click again to reverse.</p>
<div class="scroll"><table class="trades" data-table="trades"><thead><tr></tr></thead><tbody></tbody></table></div>

<h2>Configuration</h2>
<details><summary>Resolved configuration</summary><pre>${escapeHtml(stableStringify(input.summary.config ?? null))}</pre></details>

<script type="application/json" id="exitlab-data">`;
  const tail = `</script>
${scripts.map((script) => `<script>${script}</script>`).join("\n")}
</body>
</html>
`;
  return { head, tail };
}

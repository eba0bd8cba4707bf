/**
 * The static tables of the HTML report, rendered as HTML text: metrics (one column per
 * run), account totals, counters, exit statistics and the tier table. Every value passes
 * through a formatter of format.ts and every text through `escapeHtml`.
 */
import type { AccountTotals } from "../../engine/types.js";
import type { ExitStatsGroup, ExitStatsRow } from "../exitStats.js";
import type { RunStats } from "../stats.js";
import {
  escapeHtml, formatCount, formatDurationMs, formatFixed, formatNumber, formatPct, formatUsd,
} from "./format.js";
import type { TierRow } from "./reportInput.js";

/** A cell: HTML text, numeric cells right-aligned. */
interface Cell {
  readonly html: string;
  readonly numeric?: boolean;
}

const text = (value: string): Cell => ({ html: escapeHtml(value) });
const number = (formatted: string): Cell => ({ html: escapeHtml(formatted), numeric: true });

function renderTable(headers: readonly Cell[], rows: readonly (readonly Cell[])[], className: string): string {
  const cellHtml = (tag: string, cell: Cell): string => `<${tag}${cell.numeric === true ? ' class="n"' : ""}>${cell.html}</${tag}>`;
  const head = `<thead><tr>${headers.map((cell) => cellHtml("th", cell)).join("")}</tr></thead>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => cellHtml("td", cell)).join("")}</tr>`).join("\n");
  return `<table class="${className}">${head}<tbody>\n${body}\n</tbody></table>`;
}

type ScalarMetric = { [K in keyof RunStats]: RunStats[K] extends number | null ? K : never }[keyof RunStats];

const ratio = (value: number | null): string => formatFixed(value, 2);

/** The metrics of SPEC §7, in reading order; the compiler keeps the keys in step with RunStats. */
const METRIC_ROWS: readonly [ScalarMetric, string, (value: number | null) => string][] = [
  ["totalReturnPct", "Total return", formatPct],
  ["annualizedReturnPct", "Annualised return", formatPct],
  ["annualizedVolatilityPct", "Annualised volatility", formatPct],
  ["sharpeRatio", "Sharpe", ratio],
  ["sortinoRatio", "Sortino", ratio],
  ["calmarRatio", "Calmar", ratio],
  ["maxDrawdownPct", "Max drawdown", formatPct],
  ["maxDrawdownDurationMs", "Max drawdown duration", formatDurationMs],
  ["exposureTimePct", "Exposure time", formatPct],
  ["tradeCount", "Trades", formatCount],
  ["longTradeCount", "Long trades", formatCount],
  ["shortTradeCount", "Short trades", formatCount],
  ["winRatePct", "Win rate", formatPct],
  ["profitFactor", "Profit factor", ratio],
  ["expectancyUsd", "Expectancy (USDT)", formatUsd],
  ["expectancyReturnOnMarginPct", "Expectancy on margin", formatPct],
  ["averageR", "Average R", ratio],
  ["sqn", "SQN", ratio],
  ["averageHoldingTimeMs", "Average holding time", formatDurationMs],
  ["averageHoldingBars", "Average bars held", ratio],
  ["bestTradeNetPnlUsd", "Best trade (USDT)", formatUsd],
  ["worstTradeNetPnlUsd", "Worst trade (USDT)", formatUsd],
  ["grossProfitUsd", "Gross profit (USDT)", formatUsd],
  ["grossLossUsd", "Gross loss (USDT)", formatUsd],
  ["feesPaidUsd", "Fees paid (USDT)", formatUsd],
  ["fundingNetUsd", "Funding, net received (USDT)", formatUsd],
  ["liquidationCount", "Liquidations", formatCount],
];

/** The headline figures above the charts. */
const HEADLINE_KEYS: readonly ScalarMetric[] = ["totalReturnPct", "maxDrawdownPct", "sharpeRatio", "winRatePct", "profitFactor", "tradeCount"];

export function renderHeadline(metrics: RunStats): string {
  return HEADLINE_KEYS.map((key) => {
    const [, label, format] = METRIC_ROWS.find((row) => row[0] === key) as (typeof METRIC_ROWS)[number];
    return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(format(metrics[key]))}</div></div>`;
  }).join("");
}

export function renderMetricsTable(runs: readonly { readonly name: string; readonly metrics: RunStats }[]): string {
  const headers = [text("Metric"), ...runs.map((run) => ({ ...text(run.name), numeric: true }))];
  const rows = METRIC_ROWS.map(([key, label, format]) => [text(label), ...runs.map((run) => number(format(run.metrics[key])))]);
  return renderTable(headers, rows, "metrics");
}

export function renderAccountTable(account: AccountTotals): string {
  const rows: [string, string][] = [
    ["Initial balance", formatUsd(account.initialBalance)],
    ["Final balance", formatUsd(account.finalBalance)],
    ["Final equity", formatUsd(account.finalEquity)],
    ["Realised PnL", formatUsd(account.realizedPnlUsd)],
    ["Fees", formatUsd(account.feesUsd)],
    ["Funding (received +)", formatUsd(account.fundingUsd)],
    ["Reconciliation error", formatNumber(account.reconciliationError)],
  ];
  return renderTable([text("Account (USDT)"), { ...text(""), numeric: true }], rows.map(([label, value]) => [text(label), number(value)]), "kv");
}

/** Nested counter objects flattened to `parent.child` rows, in the summary's key order. */
export function renderCountersTable(counters: object): string {
  const rows: Cell[][] = [];
  const visit = (prefix: string, value: unknown): void => {
    if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(prefix === "" ? key : `${prefix}.${key}`, item);
    } else {
      rows.push([text(prefix), number(typeof value === "number" ? formatNumber(value) : String(value))]);
    }
  };
  visit("", counters);
  return renderTable([text("Counter"), { ...text(""), numeric: true }], rows, "kv");
}

export function renderExitStatsTable(rows: readonly ExitStatsRow[], group: ExitStatsGroup): string {
  const selected = rows.filter((row) => row.group === group);
  const headers = [
    ...(group === "all" ? [] : [text(group === "tier" ? "Tier" : "Symbol")]),
    text("Reason"), number("Fills"), number("Trades"), number("Share of trades"), number("Share of quantity"),
    number("Avg net PnL"), number("Total net PnL"), number("Avg bars to hit"),
  ];
  const body = selected.map((row) => [
    ...(group === "all" ? [] : [text(row.groupValue)]),
    text(row.reason), number(formatCount(row.fills)), number(formatCount(row.trades)),
    number(formatPct(row.shareOfTrades)), number(formatPct(row.shareOfQuantity)),
    number(formatUsd(row.averageNetPnlUsd)), number(formatUsd(row.totalNetPnlUsd)), number(formatFixed(row.averageBarsToHit, 1)),
  ]);
  return renderTable(headers, body, `exit-stats exit-stats-${group}`);
}

export function renderTierTable(tiers: readonly TierRow[]): string {
  const headers = [text("Tier"), number("Trades"), number("Win rate"), number("Expectancy (USDT)"), number("Avg R"), number("TP hit"), number("SL hit")];
  const rows = tiers.map((tier) => [
    text(tier.tier), number(formatCount(tier.trades)), number(formatPct(tier.winRatePct)), number(formatUsd(tier.expectancyUsd)),
    number(formatFixed(tier.averageR, 2)), number(formatPct(tier.takeProfitHitPct)), number(formatPct(tier.stopLossHitPct)),
  ]);
  return renderTable(headers, rows, "tiers");
}

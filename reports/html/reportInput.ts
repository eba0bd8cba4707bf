/**
 * What `renderRunReport` draws (SPEC §7 report.html): plain data a run already has — the
 * summary's metrics, account and counters, the equity curve, the trades and the exit
 * statistics — plus two optional extension points for the `tiers` and `compare` workflows
 * (SPEC §8). Nothing here is computed by the page; the writer only formats (STYLE §10).
 */
import type { LevelTrace } from "../../engine/index.js";
import type { WorkflowBlock } from "./workflowSections.js";
import type { AccountTotals, BarSeries, EquityCurve, Fill, Trade } from "../../engine/types.js";
import type { ExitStatsRow } from "../exitStats.js";
import type { RunStats } from "../stats.js";
import type { SummaryCounters } from "../summary.js";

export type ReportRunKind = "backtest" | "compare" | "tiers" | "walkforward";

/** The parts of summary.json the page shows; a whole `RunSummary` fits here. */
export interface ReportSummary {
  readonly metrics: RunStats;
  readonly account: AccountTotals;
  /** Shown as a flat two-column table; nested objects become `funding.timesPaid` and so on. */
  readonly counters: SummaryCounters;
  /** The resolved configuration, shown as JSON. */
  readonly config: unknown;
}

/** One row of the tier table: the trades of one confidence tier (SPEC §4.2, §8 tiers). */
export interface TierRow {
  /** Tier label (`VERY_HIGH` … `VERY_LOW`, `NONE` without a confidence, or a custom label). */
  readonly tier: string;
  readonly trades: number;
  /** Winning trades / trades, a fraction; null without trades. */
  readonly winRatePct: number | null;
  /** Mean net PnL per trade, USDT; null without trades. */
  readonly expectancyUsd: number | null;
  /** Mean R-multiple over the tier's trades that have one; null if none has. */
  readonly averageR: number | null;
  /** Share of the tier's trades with at least one take-profit fill, a fraction. */
  readonly takeProfitHitPct: number;
  /** Share of the tier's trades closed (wholly or partly) by the stop loss, a fraction. */
  readonly stopLossHitPct: number;
}

/**
 * Another run drawn beside the main one (the `compare` workflow): its equity becomes one
 * more line on the equity and drawdown charts, its metrics one more column of the metrics
 * table.
 */
export interface ComparisonRun {
  /** Legend and column label; plain text, escaped by the writer. */
  readonly name: string;
  readonly equity: EquityCurve;
  readonly metrics: RunStats;
}

export interface RunReportInput {
  /** Page title and heading; plain text, escaped by the writer. */
  readonly title: string;
  readonly runKind: ReportRunKind;
  /** Legend and column label of the main run when comparisons are drawn; default `"run"`. */
  readonly runName?: string;
  readonly summary: ReportSummary;
  readonly equity: EquityCurve;
  readonly trades: readonly Trade[];
  readonly exitStats: readonly ExitStatsRow[];
  /** The tier table; when absent it is computed from the trades and the exit statistics. */
  readonly tiers?: readonly TierRow[];
  readonly comparisons?: readonly ComparisonRun[];
  /**
   * The "Price and trades" section and the trade drill-down (reports/html/priceData.ts):
   * the main bars, the fills, and the engine's level trace when the run recorded one.
   * Without it the page has no price chart.
   */
  /** The workflow's own result tables (compare's paired differences and verdicts), shown first. */
  readonly workflow?: WorkflowBlock;
  readonly price?: { readonly bars: readonly BarSeries[]; readonly fills: readonly Fill[]; readonly levels: LevelTrace | null };
}

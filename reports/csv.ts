/**
 * CSV writers for trades.csv, fills.csv and exit_stats.csv (SPEC §7; equity.csv is in
 * `equityCsv.ts`). Formatting only: the same input gives byte-identical text (STYLE §9).
 *
 * Format: a header row, fixed column order, `\n` line ends (also after the last row),
 * numbers as `String(x)` (shortest round-trip form, so parsing gives the same float64),
 * an empty field for null / NaN / ±Infinity, booleans as `true` / `false`, times as epoch ms
 * plus an ISO-8601 UTC column, a field quoted only when it holds `,`, `"`, `\r` or `\n`, and
 * text a spreadsheet would run as a formula prefixed with `'` (`neutralizeFormula`).
 *
 * Each table has a `write…` form that streams into a `CsvWriter` (what the CLI uses, straight
 * to the file) and a `format…` form returning the same bytes as a string.
 */
import { EXIT_STATS_COLUMNS, type ExitStatsRow } from "./exitStats.js";
import type { ExitPlan, Fill, Trade } from "../engine/types.js";
import { confidenceTier } from "./confidenceTier.js";
import { neutralizeFormula, writeToString, type CsvField, type CsvWriter } from "./csvWriter.js";

export { confidenceTier } from "./confidenceTier.js";
export { neutralizeFormula } from "./csvWriter.js";
export { formatIsoTime } from "./isoTime.js";
export { EQUITY_COLUMNS, formatEquityCsv } from "./equityCsv.js";

/** A number as text: `String(x)`, or empty when it is missing or not finite. */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "" : String(value);
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One field as CSV text: formulas neutralised, quoted (with `"` doubled) only when needed. */
export function formatCsvField(value: CsvField): string {
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null || value === undefined) return "";
  const safe = neutralizeFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function writeHeader(writer: CsvWriter, columns: readonly string[]): void {
  writer.raw(columns.join(","));
  writer.newline();
}

export const TRADE_COLUMNS = [
  "id", "symbol", "side",
  "entry_time", "entry_time_iso", "exit_time", "exit_time_iso",
  "entry_price", "exit_price", "quantity", "leverage", "margin_usd",
  "confidence", "score", "tier",
  "plan_source", "sl_pct", "tp_stages", "trail_pct", "trail_activation_pct", "trail_after_stage",
  "breakeven_offset_pct", "max_holding_bars", "stop_loss_price",
  "realized_pnl_usd", "fees_usd", "funding_usd", "net_pnl_usd",
  "return_on_margin", "r_multiple", "mae_pct", "mfe_pct", "bars_held",
  "exit_reason", "legs", "fallback", "path_dependent",
] as const;

/** TP stages as `move:fraction|move:fraction` (e.g. `0.02:0.5|0.035:0.3`); empty without stages. */
export function formatTakeProfitStages(plan: ExitPlan): string {
  return plan.stages.map((stage) => `${formatNumber(stage.movePct)}:${formatNumber(stage.fraction)}`).join("|");
}

/** The columns written as ISO-8601 times (from the epoch ms given in their place). */
const TRADE_ISO_COLUMNS = [TRADE_COLUMNS.indexOf("entry_time_iso"), TRADE_COLUMNS.indexOf("exit_time_iso")];

function sideLabel(side: 1 | -1): string {
  return side === 1 ? "long" : "short";
}

/** trades.csv: one row per closed trade, in the order given (the engine's trade order). */
export function writeTradesCsv(writer: CsvWriter, trades: readonly Trade[]): void {
  writeHeader(writer, TRADE_COLUMNS);
  for (const t of trades) {
    const plan = t.plan;
    writer.row([
      t.id, t.symbol, sideLabel(t.side),
      t.entryTimeMs, t.entryTimeMs, t.exitTimeMs, t.exitTimeMs,
      t.entryPrice, t.exitPrice, t.quantity, t.leverage, t.marginUsd,
      t.confidence, t.score, confidenceTier(t.confidence),
      plan.source, plan.stopLossPct, formatTakeProfitStages(plan),
      plan.trailing?.distancePct, plan.trailing?.activationPct, plan.trailing?.afterStage,
      plan.breakevenOffsetPct, plan.maxHoldingBars, t.stopLossPrice,
      t.realizedPnlUsd, t.feesUsd, t.fundingUsd, t.netPnlUsd,
      t.returnOnMargin, t.rMultiple, t.maePct, t.mfePct, t.barsHeld,
      t.exitReason, t.legs, plan.fallback, t.pathDependent,
    ], TRADE_ISO_COLUMNS);
  }
}

export function formatTradesCsv(trades: readonly Trade[]): string {
  return writeToString((writer) => writeTradesCsv(writer, trades));
}

export const FILL_COLUMNS = [
  "seq", "trade_id", "symbol", "time", "time_iso", "reason", "side",
  "price", "quantity", "fee_usd", "realized_pnl_usd", "funding_usd",
  "liquidity", "path_dependent", "gap", "bars_held",
] as const;

const FILL_ISO_COLUMNS = [FILL_COLUMNS.indexOf("time_iso")];

/** fills.csv: one row per fill in execution order (the order given). */
export function writeFillsCsv(writer: CsvWriter, fills: readonly Fill[]): void {
  writeHeader(writer, FILL_COLUMNS);
  for (const f of fills) {
    writer.row([
      f.seq, f.tradeId, f.symbol, f.timeMs, f.timeMs, f.reason,
      f.orderSide === 1 ? "buy" : "sell",
      f.price, f.quantity, f.feeUsd, f.realizedPnlUsd, f.fundingUsd,
      f.liquidity, f.pathDependent, f.gap, f.barsHeld,
    ], FILL_ISO_COLUMNS);
  }
}

export function formatFillsCsv(fills: readonly Fill[]): string {
  return writeToString((writer) => writeFillsCsv(writer, fills));
}

/** exit_stats.csv: the TP/SL hit statistics of `computeExitStats`, in its order. */
export function writeExitStatsCsv(writer: CsvWriter, rows: readonly ExitStatsRow[]): void {
  writeHeader(writer, EXIT_STATS_COLUMNS);
  for (const r of rows) {
    writer.row([
      r.group, r.groupValue, r.reason, r.fills, r.trades, r.shareOfTrades, r.quantity, r.shareOfQuantity,
      r.totalNetPnlUsd, r.averageNetPnlUsd, r.averageBarsToHit, r.groupTrades,
    ]);
  }
}

export function formatExitStatsCsv(rows: readonly ExitStatsRow[]): string {
  return writeToString((writer) => writeExitStatsCsv(writer, rows));
}

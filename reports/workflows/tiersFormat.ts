/**
 * Formatters of a `TierTable`: aligned terminal text, Markdown and CSV. Formatting only.
 */
import { formatCsvField } from "../csv.js";
import type { WorkflowBlock } from "../html/workflowSections.js";
import type { TierRow, TierTable } from "./tiers.js";
import {
  displayNumber,
  displayPercent,
  displaySignedNumber,
  displaySignedPercent,
  formatAlignedTable,
  formatMarkdownTable,
  MISSING,
  type Align,
  type TextTable,
} from "./textTable.js";

function rangeText(row: TierRow): string {
  if (row.minConfidence === null && row.maxConfidence === null) return MISSING;
  const low = row.minConfidence === null || !Number.isFinite(row.minConfidence) ? null : row.minConfidence;
  if (low === null) return `< ${row.maxConfidence}`;
  if (row.maxConfidence === null) return `≥ ${low}`;
  return `${low}–${row.maxConfidence}`;
}

const HEADER = ["tier", "confidence", "trades", "win rate", "expectancy USD", "expectancy RoM", "avg R", "TP hit", "SL hit", "trail hit", "mean conf.", "judged"];
const ALIGN: Align[] = ["left", "left", ...HEADER.slice(2, -1).map((): Align => "right"), "left"];

function cells(row: TierRow): string[] {
  return [
    row.tier,
    rangeText(row),
    String(row.trades),
    displayPercent(row.winRatePct, 1),
    displaySignedNumber(row.expectancyUsd),
    displaySignedPercent(row.expectancyReturnOnMarginPct),
    displaySignedNumber(row.averageR),
    displayPercent(row.tpHitPct, 1),
    displayPercent(row.slHitPct, 1),
    displayPercent(row.trailHitPct, 1),
    displayNumber(row.meanConfidence, 3),
    row.inCalibration ? "yes" : "",
  ];
}

function tableOf(table: TierTable): TextTable {
  return { header: HEADER, rows: [...table.rows, table.total].map(cells), align: ALIGN };
}

const NOTES =
  "Shares of the tier's trades: TP hit = any TPn exit, SL hit = an SL or BREAKEVEN stop exit, trail hit = a TRAIL exit " +
  "(a trade can count in several). RoM = return on margin; judged = counted in the calibration.";

function calibrationHeading(table: TierTable): string {
  return `Calibration (tiers with at least ${table.calibration.minTrades} trades)`;
}

/**
 * The tier table and the calibration verdict as report.html's workflow block (reports/html/
 * workflowSections.ts): the same cells and verdict line the terminal prints.
 */
export function tierWorkflowBlock(table: TierTable): WorkflowBlock {
  return {
    heading: "Tiers: metrics per confidence tier",
    lines: [`${calibrationHeading(table)}: ${table.calibration.verdict}`],
    sections: [{ title: "Confidence tiers", table: tableOf(table), note: NOTES }],
  };
}

/** Aligned plain text for the terminal, ending in a newline. */
export function formatTierTerminal(table: TierTable): string {
  return [
    "exitlab tiers",
    "",
    formatAlignedTable(tableOf(table)),
    NOTES,
    "",
    `${calibrationHeading(table)}: ${table.calibration.verdict}`,
  ].join("\n") + "\n";
}

/** Markdown, ending in a newline. */
export function formatTierMarkdown(table: TierTable): string {
  return [
    "## exitlab tiers",
    "",
    formatMarkdownTable(tableOf(table)),
    "",
    `_${NOTES}_`,
    "",
    `### ${calibrationHeading(table)}`,
    "",
    table.calibration.verdict,
  ].join("\n") + "\n";
}

export const TIER_CSV_COLUMNS = [
  "tier", "min_confidence", "max_confidence", "trades", "winning_trades", "win_rate_pct",
  "expectancy_usd", "expectancy_return_on_margin_pct", "trades_with_r", "average_r",
  "tp_hit_pct", "sl_hit_pct", "breakeven_hit_pct", "trail_hit_pct", "mean_confidence", "in_calibration",
] as const;

/** One row per tier and a last `ALL` row; fractions as fractions, empty = null (an open bound too). */
export function formatTierCsv(table: TierTable): string {
  const lines = [TIER_CSV_COLUMNS.join(",")];
  for (const row of [...table.rows, table.total]) {
    lines.push(
      [
        row.tier, row.minConfidence, row.maxConfidence, row.trades, row.winningTrades, row.winRatePct,
        row.expectancyUsd, row.expectancyReturnOnMarginPct, row.tradesWithR, row.averageR,
        row.tpHitPct, row.slHitPct, row.breakevenHitPct, row.trailHitPct, row.meanConfidence, row.inCalibration,
      ].map(formatCsvField).join(","),
    );
  }
  return lines.join("\n") + "\n";
}

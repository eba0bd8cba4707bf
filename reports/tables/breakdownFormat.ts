/**
 * Writers for the breakdown tables (`breakdown.ts`): one long CSV holding all three tables,
 * and a compact terminal pivot of the tier × reason table. Formatting only: the same input
 * gives byte-identical text (STYLE §9), rows in the order `computeBreakdowns` sorted them.
 */
import { formatCsvField } from "../csv.js";
import { compareReasons } from "../reasons.js";
import { displayNumber, displayPercent, formatAlignedTable, type Align } from "../workflows/textTable.js";
import type { Breakdowns, ReasonBreakdown, TierReasonRow } from "./breakdown.js";

export const BREAKDOWN_CSV_COLUMNS = ["table", "tier", "symbol", "reason", "metric", "value"] as const;

/** Metrics of the two reason tables, in CSV order; fractions as fractions. */
const REASON_METRICS: readonly (readonly [string, keyof ReasonBreakdown])[] = [
  ["legs", "legs"],
  ["quantity", "quantity"],
  ["share_of_quantity", "shareOfQuantity"],
  ["total_net_pnl_usd", "totalNetPnlUsd"],
  ["average_net_pnl_usd", "averageNetPnlUsd"],
  ["average_bars_to_hit", "averageBarsToHit"],
];

type CsvField = string | number | null;

function line(fields: readonly CsvField[]): string {
  return fields.map(formatCsvField).join(",");
}

/**
 * All three tables in one long CSV: `table` is `tier_reason`, `symbol_reason` or
 * `tier_symbol`; the key columns a table does not have are empty; one line per metric.
 * Metrics: legs, quantity, share_of_quantity, total_net_pnl_usd, average_net_pnl_usd,
 * average_bars_to_hit (reason tables); trades, winning_trades, win_rate, total_net_pnl_usd
 * (tier_symbol). Empty value = null (not defined). Ends in a newline.
 */
export function formatBreakdownCsv(breakdowns: Breakdowns): string {
  const lines = [BREAKDOWN_CSV_COLUMNS.join(",")];
  for (const row of breakdowns.tierReason) {
    for (const [metric, field] of REASON_METRICS) lines.push(line(["tier_reason", row.tier, null, row.reason, metric, row[field]]));
  }
  for (const row of breakdowns.symbolReason) {
    for (const [metric, field] of REASON_METRICS) lines.push(line(["symbol_reason", null, row.symbol, row.reason, metric, row[field]]));
  }
  for (const row of breakdowns.tierSymbol) {
    const metrics: readonly (readonly [string, number | null])[] = [
      ["trades", row.trades],
      ["winning_trades", row.winningTrades],
      ["win_rate", row.winRate],
      ["total_net_pnl_usd", row.totalNetPnlUsd],
    ];
    for (const [metric, value] of metrics) lines.push(line(["tier_symbol", row.tier, row.symbol, null, metric, value]));
  }
  return lines.join("\n") + "\n";
}

/** Tiers in the rows' order (already sorted), each once. */
function tiersOf(rows: readonly TierReasonRow[]): string[] {
  return [...new Set(rows.map((row) => row.tier))];
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  let sum = 0;
  for (const value of values) {
    if (value === null) return null;
    sum += value;
  }
  return sum;
}

const TERMINAL_HEADING = "Exit mix by confidence tier (share of the tier's closed quantity)";
const TERMINAL_NOTES = "— = no leg closed with that reason. Net PnL in USDT, entry fees included.";

/**
 * The tier × reason table as an aligned pivot for the terminal: tiers as rows, reasons as
 * columns (canonical order), each cell the reason's share of the tier's closed quantity as a
 * percentage; then the tier's legs and total net PnL. Ends in a newline.
 */
export function formatTierReasonTerminal(breakdowns: Breakdowns): string {
  const rows = breakdowns.tierReason;
  if (rows.length === 0) return `${TERMINAL_HEADING}\n\nNo closed legs.\n`;
  const reasons = [...new Set(rows.map((row) => row.reason))].sort(compareReasons);
  const body = tiersOf(rows).map((tier) => {
    const cells = rows.filter((row) => row.tier === tier);
    const shareOf = (reason: string): string => {
      const cell = cells.find((row) => row.reason === reason);
      return cell === undefined ? "—" : displayPercent(cell.shareOfQuantity, 1);
    };
    return [
      tier,
      ...reasons.map(shareOf),
      String(cells.reduce((legs, row) => legs + row.legs, 0)),
      displayNumber(sumOrNull(cells.map((row) => row.totalNetPnlUsd)), 2),
    ];
  });
  const header = ["tier", ...reasons, "legs", "net PnL"];
  const align: Align[] = ["left", ...header.slice(1).map((): Align => "right")];
  return [TERMINAL_HEADING, "", formatAlignedTable({ header, rows: body, align }), TERMINAL_NOTES].join("\n") + "\n";
}

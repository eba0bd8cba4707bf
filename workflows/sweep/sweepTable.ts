import { formatCsvField } from "../../reports/csv.js";
import { stableStringify } from "../../reports/summary.js";
import type { RunWarning } from "../../strategies/warnings/runWarning.js";
import type { CellOutcome } from "./cellRunner.js";
import type { SweepIdentity } from "./cellLog.js";
import type { CellValues, GridCell } from "./grid.js";
import type { SweepOverfitting } from "./overfitting.js";
import type { RangeParam } from "./searchSpace.js";
import { tableMetricsOf, type SweepSpec } from "./sweepFile.js";
import type { Align, TextTable } from "../../reports/workflows/textTable.js";

/**
 * The ranked sweep table: pure functions from the grid's cells and their outcomes to rows and
 * their CSV, JSON and terminal forms. Rows depend only on cell results — never on which worker
 * or machine ran a cell, or in which order — so any run of the same sweep writes the same bytes.
 */

export interface SweepRow {
  /** 1 = best by the metric; null for failed and skipped cells and for done cells with fewer trades than minTrades. */
  readonly rank: number | null;
  readonly cellId: string;
  readonly status: "done" | "failed" | "skipped";
  readonly values: CellValues;
  /** The table metrics (ranking metric first); null values where undefined, or for cells without a result. */
  readonly metrics: Readonly<Record<string, number | null>> | null;
  readonly tradeFingerprint: string | null;
  /** Why a cell was skipped (invalid combination), failed, or is not ranked (too few trades). */
  readonly message: string | null;
}

/**
 * Done cells with at least `minTrades` trades by the metric in the chosen direction (a cell
 * whose metric is undefined after every defined one), ties by cell id; then done cells with
 * too few trades (unranked, same order); then failed cells, then skipped ones, each by cell id.
 */
export function rankCells(cells: readonly GridCell[], outcomes: ReadonlyMap<string, CellOutcome>, spec: Pick<SweepSpec, "metric" | "direction" | "minTrades">): SweepRow[] {
  const columns = tableMetricsOf(spec.metric);
  const rows = cells.map((cell): SweepRow => {
    const outcome = outcomes.get(cell.cellId);
    if (cell.status === "skipped") return { rank: null, cellId: cell.cellId, status: "skipped", values: cell.values, metrics: null, tradeFingerprint: null, message: cell.message };
    if (outcome === undefined) throw new Error(`rankCells: cell ${cell.cellId} has no outcome`);
    if (outcome.status === "failed") return { rank: null, cellId: cell.cellId, status: "failed", values: cell.values, metrics: null, tradeFingerprint: null, message: outcome.message };
    const metrics = Object.fromEntries(columns.map((name) => [name, outcome.metrics[name] ?? null]));
    const trades = outcome.metrics.tradeCount ?? 0;
    const message = trades < spec.minTrades ? `not ranked: ${trades} trades < min trades ${spec.minTrades}` : null;
    return { rank: null, cellId: cell.cellId, status: "done", values: cell.values, metrics, tradeFingerprint: outcome.tradeFingerprint, message };
  });
  const sign = spec.direction === "max" ? -1 : 1;
  const statusOrder = { done: 0, failed: 1, skipped: 2 };
  rows.sort((a, b) => {
    if (a.status !== b.status) return statusOrder[a.status] - statusOrder[b.status];
    if ((a.message === null) !== (b.message === null)) return a.message === null ? -1 : 1;
    if (a.status === "done") {
      const x = a.metrics?.[spec.metric] ?? null;
      const y = b.metrics?.[spec.metric] ?? null;
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return sign * (x - y);
      }
    }
    return a.cellId < b.cellId ? -1 : a.cellId > b.cellId ? 1 : 0;
  });
  return rows.map((row, index) => (row.status === "done" && row.message === null ? { ...row, rank: index + 1 } : row));
}

/**
 * sweep.csv: rank, cell id, status, one column per grid path, the table metrics (full precision),
 * fingerprint, message. Text a spreadsheet would run as a formula is neutralised as in the other
 * CSVs (reports/csv.ts).
 */
export function formatSweepCsv(rows: readonly SweepRow[], spec: SweepSpec): string {
  const paths = spec.space.map(([path]) => path);
  const metrics = tableMetricsOf(spec.metric);
  const header = ["rank", "cellId", "status", ...paths, ...metrics, "tradeFingerprint", "message"];
  const lines = rows.map((row) => [
    row.rank === null ? "" : String(row.rank), row.cellId, row.status,
    ...paths.map((path) => valueText(row.values[path])),
    ...metrics.map((name) => numberText(row.metrics?.[name] ?? null)),
    row.tradeFingerprint ?? "", row.message ?? "",
  ].map(formatCsvField).join(","));
  return [header.map(formatCsvField).join(","), ...lines].join("\n") + "\n";
}

/** sweep.json: the sweep's identity and counts and every row, in rank order. */
export function formatSweepJson(
  rows: readonly SweepRow[], spec: SweepSpec, identity: SweepIdentity, overfitting?: SweepOverfitting, warnings: readonly RunWarning[] = [],
): string {
  const count = (status: SweepRow["status"]): number => rows.filter((row) => row.status === status).length;
  return stableStringify({
    format: "exitlab/sweep/v1",
    metric: spec.metric,
    direction: spec.direction,
    grid: Object.fromEntries(spec.space.map(([path, param]) => [path, param.kind === "list" ? param.values : rangeJson(param)])),
    minTrades: spec.minTrades,
    search: spec.search.method === "grid" ? { method: "grid" } : spec.search.method === "random" ? { method: "random", trials: spec.search.trials } : spec.search,
    gridHash: identity.gridHash,
    baseHash: identity.baseHash,
    counts: { cells: rows.length, done: count("done"), failed: count("failed"), skipped: count("skipped") },
    ...(overfitting === undefined ? {} : { overfitting }),
    // Only when there are any, so the same sweep on 1 or N (≤ cores) workers writes the same bytes.
    ...(warnings.length === 0 ? {} : { warnings }),
    cells: rows,
  });
}

/** The ranking as a table: the best `top` ranked cells with the terminal's columns (`Infinity`: all of them). */
export function sweepRankingTable(rows: readonly SweepRow[], spec: SweepSpec, top: number): TextTable {
  const paths = spec.space.map(([path]) => path);
  const metrics = tableMetricsOf(spec.metric);
  return {
    header: ["#", "cell", ...paths, ...metrics],
    rows: rows.filter((row) => row.rank !== null).slice(0, top).map((row) => [
      String(row.rank), row.cellId, ...paths.map((path) => valueText(row.values[path])),
      ...metrics.map((name) => displayNumber(row.metrics?.[name] ?? null)),
    ]),
    align: ["right", "left", ...paths.map((): Align => "left"), ...metrics.map((): Align => "right")],
  };
}

/** The cells without a rank (too few trades, failed, skipped): status, cell, values and why. */
export function sweepUnrankedTable(rows: readonly SweepRow[], spec: SweepSpec): TextTable {
  const paths = spec.space.map(([path]) => path);
  return {
    header: ["status", "cell", ...paths, "message"],
    rows: rows.filter((row) => row.rank === null).map((row) => [
      row.status === "done" ? "not ranked" : row.status, row.cellId, ...paths.map((path) => valueText(row.values[path])),
      row.message ?? "",
    ]),
  };
}

/** The terminal's first line: how many cells ran, how they ended, and the ranking rule. */
export function sweepHeaderLine(rows: readonly SweepRow[], spec: SweepSpec): string {
  const ranked = rows.filter((row) => row.rank !== null).length;
  const unranked = rows.filter((row) => row.status === "done" && row.rank === null).length;
  return `sweep: ${rows.length} cells — ${ranked + unranked} done${unranked > 0 ? ` (${unranked} with fewer than ${spec.minTrades} trades, not ranked)` : ""}, ${countOf(rows, "failed")} failed, ${countOf(rows, "skipped")} skipped; ranked by ${spec.metric} (${spec.direction})`;
}

/** The terminal table: the best `top` done cells, then a line per failed and skipped cell (up to `top`). */
export function formatSweepTerminal(rows: readonly SweepRow[], spec: SweepSpec, top: number): string {
  const paths = spec.space.map(([path]) => path);
  const ranking = sweepRankingTable(rows, spec, top);
  const done = rows.filter((row) => row.rank !== null);
  const table = [ranking.header, ...ranking.rows];
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
  const lines = table.map((line) => line.map((cell, column) => (column < 2 + paths.length ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ").trimEnd());
  const unranked = rows.filter((row) => row.status === "done" && row.rank === null).length;
  const out = [sweepHeaderLine(rows, spec), ...lines];
  if (done.length > top) out.push(`… ${done.length - top} more in sweep.csv`);
  const others = rows.filter((row) => row.status !== "done");
  if (unranked > 0) out.push(`${unranked} cell${unranked === 1 ? "" : "s"} with fewer than ${spec.minTrades} trades not ranked (--min-trades); see sweep.csv`);
  for (const row of others.slice(0, top)) out.push(`${row.status} ${row.cellId} ${paths.map((path) => `${path}=${valueText(row.values[path])}`).join(" ")}: ${row.message}`);
  if (others.length > top) out.push(`… ${others.length - top} more failed or skipped cells in sweep.csv`);
  return out.join("\n") + "\n";
}

/** A range as the sweep file writes it (step and log only when set). */
function rangeJson(range: RangeParam): Record<string, unknown> {
  return { min: range.min, max: range.max, ...(range.step === null ? {} : { step: range.step }), ...(range.log ? { log: true } : {}) };
}

function countOf(rows: readonly SweepRow[], status: SweepRow["status"]): number {
  return rows.filter((row) => row.status === status).length;
}

/** A grid value as text: strings bare, everything else as JSON. */
function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? "null";
}

/** Shortest round-trip text of a float64 (String), empty for null: exact, and the same on every machine. */
function numberText(value: number | null): string {
  return value === null ? "" : String(value);
}

function displayNumber(value: number | null): string {
  if (value === null) return "—";
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(4);
}

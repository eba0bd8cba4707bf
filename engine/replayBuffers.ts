/**
 * Column buffers reused by runs made one after another in one thread — sweep cells. A run's
 * equity curve and merged timeline are seven float64 columns of one row per timestamp: 56 MB
 * for a million rows. Fresh, every one of their pages is zeroed and mapped by the kernel on
 * first write (a third of a million-bar run's replay; and page faults of several threads of
 * one process contend for its memory map). Reused, they are just overwritten.
 *
 * Opt-in and scoped: `withReplayBuffers(buffers, work)` makes the runs inside `work` write
 * their timeline and equity columns into `buffers`, so each run's result is valid only until
 * the next run with the same buffers starts. The sweep's cell runner reads what it needs
 * (statistics, daily returns, fingerprint) before its thread's next cell, and compare keeps only
 * the trades, fills and statistics of its other-path runs; nothing else opts in.
 * Every row of a reused column is written by the run, so results are the same bytes.
 *
 * `recorded: "statistics"` (sweep cells, compare's other-path runs) records only the equity
 * columns the run's statistics read — equity and margin used (reports/stats.ts) — and leaves the
 * curve's balance, unrealized PnL, exposure and drawdown empty (length 0): a third of the
 * writes, and less memory traffic for threads running cells side by side to contend for.
 */
export class ReplayBuffers {
  private readonly columns: Float64Array[] = [];

  constructor(readonly recorded: RecordedColumns = "all") {}

  /** Column `k` as `rows` values (contents undefined: the caller writes every row). */
  column(k: number, rows: number): Float64Array {
    let buffer = this.columns[k];
    if (buffer === undefined || buffer.length < rows) {
      buffer = new Float64Array(rows);
      this.columns[k] = buffer;
    }
    return buffer.length === rows ? buffer : buffer.subarray(0, rows);
  }
}

/** Which equity columns a run records: all six, or only those its statistics read (equity, margin used). */
export type RecordedColumns = "all" | "statistics";

/** Timeline, then the six equity columns (engine/equityRecorder.ts). */
export const TIMELINE_COLUMN = 0;
export const EQUITY_COLUMNS_FROM = 1;

let active: ReplayBuffers | null = null;

/** Runs `work` with its replays writing into `buffers` (see the file comment). */
export function withReplayBuffers<T>(buffers: ReplayBuffers, work: () => T): T {
  const previous = active;
  active = buffers;
  try {
    return work();
  } finally {
    active = previous;
  }
}

/** The buffers of the enclosing `withReplayBuffers`, or null (fresh columns). */
export function activeReplayBuffers(): ReplayBuffers | null {
  return active;
}

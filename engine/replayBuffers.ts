import type { TypedArrayClass } from "./freshMemory.js";

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
 * The ledgers' columns (engine/ledgers.ts) are reused the same way: a sweep cell of 50,000 trades
 * filled ~7,000 fresh pages of them (tens of MB of fills and trades, grown 16,384 → 32,768 →
 * 65,536 rows), each a page fault, in every cell. Within `withReplayBuffers`, a ledger's column
 * comes from a buffer an earlier run with the same buffers used, zeroed, as a fresh one is; the
 * buffers handed out during a run are free again when the next run starts. So the trades and
 * fills of a run, like its equity columns, are valid only until the next run with the same
 * buffers: read them (or their objects, `result.trades`, which are copies) inside.
 *
 * `recorded: "statistics"` (sweep cells, compare's other-path runs) records only the equity
 * columns the run's statistics read — equity and margin used (reports/stats.ts) — and leaves the
 * curve's balance, unrealized PnL, exposure and drawdown empty (length 0): a third of the
 * writes, and less memory traffic for threads running cells side by side to contend for.
 */
export class ReplayBuffers {
  private readonly columns: Float64Array[] = [];
  /** Ledger buffers handed out since the current run started, and those free for it. */
  private ledgerInUse: ArrayBuffer[] = [];
  private readonly ledgerFree: ArrayBuffer[] = [];

  constructor(readonly recorded: RecordedColumns = "all") {}

  /** A run starts (engine/replayState.ts): the previous run's ledger buffers are free again. */
  beginRun(): void {
    for (const buffer of this.ledgerInUse) this.ledgerFree.push(buffer);
    this.ledgerInUse = [];
  }

  /** A zeroed `Type` of `length` for a ledger column: in the smallest free buffer it fits, else in a new one kept for later runs. */
  ledgerColumn<T>(Type: TypedArrayClass<T>, length: number): T {
    const bytes = length * Type.BYTES_PER_ELEMENT;
    let best = -1;
    for (let i = 0; i < this.ledgerFree.length; i++) {
      const size = (this.ledgerFree[i] as ArrayBuffer).byteLength;
      if (size >= bytes && (best < 0 || size < (this.ledgerFree[best] as ArrayBuffer).byteLength)) best = i;
    }
    if (best < 0) {
      const buffer = new ArrayBuffer(bytes);
      this.ledgerInUse.push(buffer);
      return new Type(buffer, 0, length);
    }
    const buffer = this.ledgerFree[best] as ArrayBuffer;
    this.ledgerFree[best] = this.ledgerFree[this.ledgerFree.length - 1] as ArrayBuffer;
    this.ledgerFree.pop();
    this.ledgerInUse.push(buffer);
    const column = new Type(buffer, 0, length);
    (column as unknown as Uint8Array).fill(0);
    return column;
  }

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

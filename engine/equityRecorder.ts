import { freshArray } from "./freshMemory.js";
import type { PaperExchange } from "./paperExchange.js";
import type { RecordedColumns } from "./replayBuffers.js";
import type { EquityCurve } from "./types.js";

function freshColumn(_k: number, rows: number): Float64Array {
  return freshArray(Float64Array, rows);
}

/** An unrecorded column (`recorded: "statistics"`). */
const NOT_RECORDED = new Float64Array(0);

/**
 * Step 5 of SPEC §1: marks every open position to its symbol's last close and writes one
 * row of the equity curve into preallocated columns. A class rather than a closure, and
 * no double arguments: V8 updates an object's double fields in place, while a captured
 * `let` double or a double argument of a call it does not inline is boxed on every bar.
 */
export class EquityRecorder {
  private readonly columns: EquityCurve;
  private peak: number;
  private last: number;
  /** Balance, unrealized PnL, exposure and drawdown are written too (not only equity and margin used). */
  private readonly all: boolean;

  /**
   * `column(k, rows)` gives the k-th column (0–5); by default fresh ones (engine/replayBuffers.ts
   * reuses them). `recorded: "statistics"` writes only equity and margin used, and gives the
   * other four as empty columns.
   */
  constructor(
    timeline: Float64Array, initialBalance: number, column: (k: number, rows: number) => Float64Array = freshColumn, recorded: RecordedColumns = "all",
  ) {
    const rows = timeline.length;
    const all = recorded === "all";
    this.all = all;
    this.columns = {
      length: rows,
      time: timeline,
      equity: column(0, rows),
      balance: all ? column(1, rows) : NOT_RECORDED,
      unrealizedPnl: all ? column(2, rows) : NOT_RECORDED,
      marginUsed: column(3, rows),
      exposure: all ? column(4, rows) : NOT_RECORDED,
      drawdown: all ? column(5, rows) : NOT_RECORDED,
    };
    this.peak = initialBalance;
    this.last = initialBalance;
  }

  /** Row `row` of the timeline (its time is already in the column). */
  record(row: number, ex: PaperExchange, lastClose: Float64Array): void {
    const book = ex.book;
    let unrealized = 0;
    let gross = 0;
    if (ex.account.openPositions > 0) {
      for (let s = 0; s < lastClose.length; s++) {
        const side = book.side[s];
        if (side === 0) continue;
        const mark = lastClose[s];
        unrealized += side * (mark - book.entryPrice[s]) * book.quantity[s];
        gross += mark * book.quantity[s];
      }
    }
    const value = ex.account.balance + unrealized;
    if (value > this.peak) this.peak = value;
    const c = this.columns;
    c.equity[row] = value;
    c.marginUsed[row] = ex.account.marginUsed;
    if (this.all) {
      c.balance[row] = ex.account.balance;
      c.unrealizedPnl[row] = unrealized;
      c.exposure[row] = value > 0 ? gross / value : 0;
      c.drawdown[row] = this.peak > 0 ? value / this.peak - 1 : 0;
    }
    this.last = value;
  }

  /**
   * Rows [from, to) with no position open anywhere and nothing changing the cash: `record`
   * would write the same values into each, so the first row is recorded and copied down.
   */
  recordFlat(from: number, to: number, ex: PaperExchange, lastClose: Float64Array): void {
    this.record(from, ex, lastClose);
    // Loops rather than `fill`: a double handed to a builtin is boxed, once per column and call.
    const c = this.columns;
    const equity = c.equity[from];
    const marginUsed = c.marginUsed[from];
    for (let row = from + 1; row < to; row++) {
      c.equity[row] = equity;
      c.marginUsed[row] = marginUsed;
    }
    if (!this.all) return;
    const balance = c.balance[from];
    const unrealized = c.unrealizedPnl[from];
    const exposure = c.exposure[from];
    const drawdown = c.drawdown[from];
    for (let row = from + 1; row < to; row++) {
      c.balance[row] = balance;
      c.unrealizedPnl[row] = unrealized;
      c.exposure[row] = exposure;
      c.drawdown[row] = drawdown;
    }
  }

  /**
   * Rows [from, to) of one symbol's run (row = bar) while its position in `slot` is the only one
   * open and nothing changes the account (engine/quietBars.ts): `record` with the position
   * marked to each bar's close, the same operations in the same order.
   */
  recordHeld(from: number, to: number, ex: PaperExchange, slot: number, close: Float64Array): void {
    const book = ex.book;
    const side = book.side[slot];
    const entry = book.entryPrice[slot];
    const quantity = book.quantity[slot];
    const balance = ex.account.balance;
    const marginUsed = ex.account.marginUsed;
    const c = this.columns;
    let peak = this.peak;
    let value = this.last;
    if (!this.all) {
      for (let row = from; row < to; row++) {
        let unrealized = 0;
        unrealized += side * (close[row] - entry) * quantity;
        value = balance + unrealized;
        if (value > peak) peak = value;
        c.equity[row] = value;
        c.marginUsed[row] = marginUsed;
      }
      this.peak = peak;
      this.last = value;
      return;
    }
    for (let row = from; row < to; row++) {
      const mark = close[row];
      let unrealized = 0;
      let gross = 0;
      unrealized += side * (mark - entry) * quantity;
      gross += mark * quantity;
      value = balance + unrealized;
      if (value > peak) peak = value;
      c.equity[row] = value;
      c.balance[row] = balance;
      c.unrealizedPnl[row] = unrealized;
      c.marginUsed[row] = marginUsed;
      c.exposure[row] = value > 0 ? gross / value : 0;
      c.drawdown[row] = peak > 0 ? value / peak - 1 : 0;
    }
    this.peak = peak;
    this.last = value;
  }

  lastEquity(): number {
    return this.last;
  }

  curve(): EquityCurve {
    return this.columns;
  }
}

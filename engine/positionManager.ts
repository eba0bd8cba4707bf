import {
  ORDER_HIGH_FIRST, ORDER_LOW_FIRST, advanceWithoutFill, manageBar, mayFillInBar, pathOrder,
} from "./intrabar.js";
import type { LevelTrace } from "./levelTrace.js";
import type { MarkPrices } from "./markPrices.js";
import type { PaperExchange } from "./paperExchange.js";
import type { BarSeries } from "./types.js";

/**
 * Step 3 of SPEC §1 for one symbol and bar: walks the open position along the bar's path —
 * or, with lower-timeframe detail bars that aggregate exactly to the main bar, along each
 * detail bar in turn (SPEC §6.2) — and checks every bar that produced an exit for path
 * dependence.
 */
export class PositionManager {
  private readonly ex: PaperExchange;
  private readonly mode: number;
  readonly detail: (BarSeries | null)[];
  private readonly detailCursor: Int32Array;
  pathDependentFills = 0;
  /**
   * Managed main bars inside the detail files' time span whose detail was missing or did
   * not aggregate to the main bar. Bars outside the span simply have no detail data.
   */
  detailFallbacks = 0;
  /** Managed main bars resolved from detail bars. */
  detailBarsUsed = 0;
  /** The last dry replays' split: low-first fills in [0, drySplit), high-first after (engine/dryRun.ts). */
  private drySplit = 0;

  /** Mark prices for liquidation (null: the last price everywhere). */
  readonly mark: MarkPrices | null;

  constructor(ex: PaperExchange, mode: number, detail: (BarSeries | null)[], mark: MarkPrices | null = null) {
    this.ex = ex;
    this.mark = mark;
    this.mode = mode;
    this.detail = detail;
    this.detailCursor = new Int32Array(detail.length);
  }

  /** Manages the position of symbol `s` along main bar `i`; true when it is flat afterwards. */
  manage(s: number, bars: BarSeries, i: number): boolean {
    const mark = this.mark;
    if (mark !== null) this.ex.markOn = mark.load(s, i, this.ex.markBar);
    if (!mayFillInBar(this.ex, s, bars, i)) {
      // Nothing can fill in this bar: only excursions and trail move (the common case, kept cheap).
      advanceWithoutFill(this.ex, s, bars, i);
      return false;
    }
    const detail = this.detail[s];
    if (detail !== null) {
      const first = this.findDetail(s, detail, bars, i);
      if (first >= 0) {
        this.detailBarsUsed++;
        const end = this.detailEnd(detail, first, bars.time[i] + bars.timeframeMs);
        for (let j = first; j < end; j++) {
          this.loadDetailMark(s, bars, i, detail, first, end, j);
          if (this.manageOne(s, detail, j)) return true;
        }
        return false;
      }
      const start = bars.time[i];
      if (start >= detail.time[0] && start <= detail.time[detail.length - 1]) this.detailFallbacks++;
    }
    return this.manageOne(s, bars, i);
  }

  /** The mark prices of detail bar `j` of main bar `i` (markPrices.ts), when mark prices are used. */
  loadDetailMark(s: number, bars: BarSeries, i: number, detail: BarSeries, first: number, end: number, j: number): void {
    const mark = this.mark;
    if (mark !== null) this.ex.markOn = mark.loadDetail(s, i, bars, detail, first, end, j, this.ex.markBar);
  }

  /** One (main or detail) bar: walk it, then test its exits for path dependence. */
  manageOne(s: number, bars: BarSeries, i: number): boolean {
    const ex = this.ex;
    const book = ex.book;
    if (!mayFillInBar(ex, s, bars, i)) {
      advanceWithoutFill(ex, s, bars, i);
      return false;
    }
    const fillsBefore = ex.fillCount;
    book.copySlot(s, book.snapshotSlot);
    const flat = manageBar(ex, s, bars, i, pathOrder(this.mode, book.side[s], bars, i));
    if (ex.fillCount > fillsBefore && this.isPathDependent(bars, i)) {
      this.pathDependentFills += ex.markPathDependent(s, fillsBefore, flat);
    }
    if (ex.trace !== null) this.traceOtherPath(bars, i, fillsBefore);
    return flat;
  }

  /**
   * Report runs only (engine/otherPath.ts): after a bar walked from the snapshot slot, keeps
   * what the path not taken would have done — on a path-dependent exit bar (its dry replays
   * just ran), or on a bar the taken path filled nothing in (replayed here; not an exit, so
   * nothing is flagged) when the other order would have filled.
   */
  private traceOtherPath(bars: BarSeries, i: number, fillsBefore: number): void {
    const ex = this.ex;
    const book = ex.book;
    const exited = ex.fillCount > fillsBefore;
    if (exited ? ex.fillLedger.pathDependent[fillsBefore] !== 1 : !this.isPathDependent(bars, i)) return;
    const taken = pathOrder(this.mode, book.side[book.snapshotSlot], bars, i);
    (ex.trace as LevelTrace).otherPath.record(book, ex.dryRun, ex.fillLedger, bars.time[i], taken !== ORDER_LOW_FIRST, fillsBefore, this.drySplit);
  }

  /**
   * Index of the first detail bar of main bar `i` when the detail bars in [t, t + timeframe)
   * aggregate exactly to it (first open, max high, min low, last close); −1 otherwise.
   */
  findDetail(s: number, detail: BarSeries, bars: BarSeries, i: number): number {
    const start = bars.time[i];
    let j = this.detailCursor[s];
    while (j < detail.length && detail.time[j] < start) j++;
    this.detailCursor[s] = j;
    const end = this.detailEnd(detail, j, start + bars.timeframeMs);
    if (end === j || detail.open[j] !== bars.open[i] || detail.close[end - 1] !== bars.close[i]) return -1;
    let high = -Infinity;
    let low = Infinity;
    for (let k = j; k < end; k++) {
      if (detail.high[k] > high) high = detail.high[k];
      if (detail.low[k] < low) low = detail.low[k];
    }
    return high === bars.high[i] && low === bars.low[i] ? j : -1;
  }

  detailEnd(detail: BarSeries, from: number, endMs: number): number {
    let k = from;
    while (k < detail.length && detail.time[k] < endMs) k++;
    return k;
  }

  /**
   * Replays the bar from the saved state adverse-first and favourable-first without
   * committing; the exits are path-dependent when the two give different fills (SPEC §6.2).
   */
  private isPathDependent(bars: BarSeries, index: number): boolean {
    const ex = this.ex;
    const book = ex.book;
    const dryRun = ex.dryRun;
    ex.dry = true;
    dryRun.count = 0;
    book.copySlot(book.snapshotSlot, book.drySlot);
    manageBar(ex, book.drySlot, bars, index, ORDER_LOW_FIRST);
    const firstCount = dryRun.count;
    this.drySplit = firstCount;
    book.copySlot(book.snapshotSlot, book.drySlot);
    manageBar(ex, book.drySlot, bars, index, ORDER_HIGH_FIRST);
    ex.dry = false;
    return dryRun.differs(firstCount);
  }
}

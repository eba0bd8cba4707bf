/**
 * What the other intrabar path would have done (the report's drill-down): for each (main or
 * detail) bar whose exits were path-dependent (SPEC §6.2), the fills the dry replay of the
 * path the run did NOT take gave — the bar replayed open → high → low → close when the run
 * went open → low → high → close, and the reverse — with the gross PnL of those fills next to
 * the gross PnL of the fills the run took in that bar, and the quantity the other path would
 * have left open. Recorded only when the level trace is (a run that writes a report), on
 * path-dependent exit bars and on bars the taken path filled nothing in where the other would
 * have filled (engine/positionManager.ts `traceOtherPath`): columnar rows, nothing on any other bar.
 */
import type { DryRun } from "./dryRun.js";
import { type FillLedger, REASON_ENTRY, reasonName } from "./ledgers.js";

/** The position book's columns a record reads (engine/positionBook.ts; structural, to keep the import graph acyclic). */
export interface SnapshotColumns {
  readonly snapshotSlot: number;
  readonly side: ArrayLike<number>;
  readonly entryPrice: ArrayLike<number>;
  readonly quantity: ArrayLike<number>;
  readonly tradeId: ArrayLike<number>;
}

/** The other path of one bar, as handed to the report. */
export interface OtherPathBar {
  /** Open time of the bar (the detail bar when detail bars were used). */
  readonly time: number;
  /** The other path's order of the bar's extremes. */
  readonly order: "low-first" | "high-first";
  /** Its fills in path order (reason with TP stage, price, quantity); empty when it fills nothing. */
  readonly reason: string[];
  readonly price: number[];
  readonly quantity: number[];
  /** Reasons of the fills the run took in that bar (empty: the taken path filled nothing there). */
  readonly taken: string[];
  /** Gross PnL (before fees and funding) of its fills, and of the fills the run took in that bar. */
  readonly pnl: number;
  readonly takenPnl: number;
  /** Quantity it would have left open after the bar (0: it closes the position too). */
  readonly openAfter: number;
}

export class OtherPathTrace {
  length = 0;
  readonly tradeId: number[] = [];
  readonly timeMs: number[] = [];
  /** 1 when the other path is open → low → high → close, 0 when open → high → low → close. */
  readonly lowFirst: number[] = [];
  readonly pnl: number[] = [];
  readonly takenPnl: number[] = [];
  readonly openAfter: number[] = [];
  /** Reasons of each bar's taken fills. */
  private readonly takenReason: string[][] = [];
  /** Each bar's fills are `fillReason` … rows [fillStart[i], fillStart[i + 1]). */
  readonly fillStart: number[] = [0];
  readonly fillReason: number[] = [];
  readonly fillPrice: number[] = [];
  readonly fillQuantity: number[] = [];

  /**
   * Records the bar just walked from the book's snapshot slot, whose taken fills are the fill
   * ledger's rows from `fillsBefore` on; the dry run holds the low-first replay's fills in
   * [0, split) and the high-first one's in [split, count); `otherLowFirst` says which of the
   * two the run did not take.
   */
  record(book: SnapshotColumns, dry: DryRun, fills: FillLedger, timeMs: number, otherLowFirst: boolean, fillsBefore: number, split: number): void {
    const slot = book.snapshotSlot;
    const from = otherLowFirst ? 0 : split;
    const to = otherLowFirst ? split : dry.count;
    const side = book.side[slot];
    let pnl = 0;
    let closed = 0;
    for (let k = from; k < to; k++) {
      if (dry.reason[k] === REASON_ENTRY) continue;
      pnl += side * (dry.price[k] - book.entryPrice[slot]) * dry.quantity[k];
      closed += dry.quantity[k];
      this.fillReason.push(dry.reason[k]);
      this.fillPrice.push(dry.price[k]);
      this.fillQuantity.push(dry.quantity[k]);
    }
    let takenPnl = 0;
    const taken: string[] = [];
    for (let k = fillsBefore; k < fills.length; k++) {
      if (fills.reason[k] === REASON_ENTRY) continue;
      takenPnl += fills.pnl[k];
      taken.push(reasonName(fills.reason[k]));
    }
    this.takenReason.push(taken);
    const left = book.quantity[slot] - closed;
    this.tradeId.push(book.tradeId[slot]);
    this.timeMs.push(timeMs);
    this.lowFirst.push(otherLowFirst ? 1 : 0);
    this.pnl.push(pnl);
    this.takenPnl.push(takenPnl);
    this.openAfter.push(left > 1e-9 * book.quantity[slot] ? left : 0);
    this.fillStart.push(this.fillReason.length);
    this.length++;
  }

  /** The rows of each trade, by trade id (one pass). */
  byTrade(): Map<number, OtherPathBar[]> {
    const out = new Map<number, OtherPathBar[]>();
    for (let i = 0; i < this.length; i++) {
      const a = this.fillStart[i];
      const b = this.fillStart[i + 1];
      const bar: OtherPathBar = {
        time: this.timeMs[i], order: this.lowFirst[i] === 1 ? "low-first" : "high-first",
        reason: this.fillReason.slice(a, b).map(reasonName), price: this.fillPrice.slice(a, b), quantity: this.fillQuantity.slice(a, b),
        taken: this.takenReason[i], pnl: this.pnl[i], takenPnl: this.takenPnl[i], openAfter: this.openAfter[i],
      };
      const list = out.get(this.tradeId[i]);
      if (list === undefined) out.set(this.tradeId[i], [bar]);
      else list.push(bar);
    }
    return out;
  }
}

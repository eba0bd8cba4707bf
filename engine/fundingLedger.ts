import type { Account } from "./account.js";
import type { FundingSchedule } from "./fundingSchedule.js";
import type { PaperExchange } from "./paperExchange.js";
import type { PositionBook } from "./positionBook.js";

/**
 * Funding (SPEC §1 step 2, §6.1): walks each symbol's funding schedule alongside the replay
 * and pays each funding time into the account.
 * `nextTime[s]` lets the loop skip the call on the many bars without a funding time.
 */
export class FundingLedger {
  readonly schedules: readonly FundingSchedule[];
  readonly cursor: Int32Array;
  /** Next unpaid funding time per symbol; Infinity when none is left. */
  readonly nextTime: Float64Array;
  timesPaid = 0;
  timesFromData = 0;
  timesFromConstant = 0;
  readonly timesUncovered: number;

  constructor(schedules: readonly FundingSchedule[]) {
    this.schedules = schedules;
    this.timesUncovered = schedules.reduce((sum, schedule) => sum + schedule.uncovered, 0);
    this.cursor = new Int32Array(schedules.length);
    this.nextTime = new Float64Array(schedules.length);
    for (let s = 0; s < schedules.length; s++) this.nextTime[s] = schedules[s].length > 0 ? schedules[s].time[0] : Infinity;
  }

  /**
   * Settles every funding time before `limitMs` on the quantity open now, at `price`;
   * times pass unpaid when the symbol is flat. Coverage counts every time in the span.
   */
  settleBefore(ex: PaperExchange, s: number, limitMs: number, price: number): void {
    const schedule = this.schedules[s];
    let k = this.cursor[s];
    while (k < schedule.length && schedule.time[k] < limitMs) {
      if (ex.book.side[s] !== 0) {
        payFunding(ex.book, ex.account, s, schedule.rate[k], price);
        this.timesPaid++;
      }
      if (schedule.fromData[k] === 1) this.timesFromData++;
      else this.timesFromConstant++;
      k++;
    }
    this.cursor[s] = k;
    this.nextTime[s] = k < schedule.length ? schedule.time[k] : Infinity;
  }
}

/**
 * Pays one funding time on the open quantity of `slot` (SPEC §6.1): rate × quantity × price,
 * longs pay when the rate is positive. Accrued per unit so each closing leg carries its share.
 */
export function payFunding(book: PositionBook, account: Account, slot: number, rate: number, price: number): void {
  const quantity = book.quantity[slot];
  const payment = -book.side[slot] * rate * quantity * price;
  account.receiveFunding(payment);
  book.funding[slot] += payment;
  book.fundingPerUnit[slot] += payment / quantity;
}

import type { Account } from "./account.js";
import type { FundingSchedule } from "./fundingSchedule.js";
import type { PaperExchange } from "./paperExchange.js";
import type { BracketTable } from "./brackets.js";
import { isolatedLiquidationPrice } from "./liquidation.js";
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
  /** Positions liquidated at a funding time: the payment moved their liquidation price past the price. */
  fundingLiquidations = 0;
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
  settleBefore(ex: PaperExchange, s: number, limitMs: number, price: number, barTimeMs: number): void {
    const schedule = this.schedules[s];
    let k = this.cursor[s];
    while (k < schedule.length && schedule.time[k] < limitMs) {
      if (ex.book.side[s] !== 0) {
        if (payFunding(ex.book, ex.account, s, schedule.rate[k], price, ex.maintenanceMarginRate, ex.bracketTableOf(s))) {
          this.fundingLiquidations++;
          ex.liquidateAt(s, price, barTimeMs);
        }
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
 *
 * A perpetual position's funding is settled in its isolated wallet, as on Binance (README
 * "Margin and liquidation"): the wallet is the open quantity's margin plus its net funding, and
 * the liquidation price is recomputed with that wallet — SPEC §6.3's formula with the wallet in
 * place of the margin, or with leverage brackets (`table`) Binance's formula with WB = the
 * wallet (engine/brackets.ts). Paying funding moves it toward the market, receiving funding away
 * from it. A payment is capped at what the wallet holds; when the price is then at or beyond
 * the new liquidation price the function returns true and the caller liquidates the position
 * at `price`. A position without a liquidation price and without brackets (spot, `liquidation:
 * off`) just pays.
 */
export function payFunding(
  book: PositionBook, account: Account, slot: number, rate: number, price: number, mmr: number, table: BracketTable | null = null,
): boolean {
  const quantity = book.quantity[slot];
  let payment = -book.side[slot] * rate * quantity * price;
  const liquidation = book.liquidationPrice[slot];
  if (liquidation !== liquidation && table === null) {
    account.receiveFunding(payment);
    book.funding[slot] += payment;
    book.fundingPerUnit[slot] += payment / quantity;
    return false;
  }
  const side = book.side[slot];
  // The open quantity's wallet: earlier partial exits took their margin and funding share with them.
  const fundingOfOpen = quantity === book.originalQuantity[slot] ? book.funding[slot] : quantity * book.fundingPerUnit[slot];
  const wallet = book.margin[slot] + fundingOfOpen;
  if (payment < -wallet) payment = -Math.max(0, wallet);
  account.receiveFunding(payment);
  book.funding[slot] += payment;
  book.fundingPerUnit[slot] += payment / quantity;
  book.liquidationPrice[slot] = isolatedLiquidationPrice(table, book.entryPrice[slot], side, quantity, wallet + payment, mmr);
  const moved = book.liquidationPrice[slot];
  return moved === moved && side * price <= side * moved;
}

/**
 * The account of a run (SPEC §6.1, §6.3): the cash balance, the isolated margin locked by
 * open positions and the running totals that reconcile it (final balance = initial +
 * realised PnL − fees ± funding). It changes only through these methods, called by the
 * exchange at each fill and by the funding ledger at each funding time. Pure accounting:
 * it knows nothing of prices, orders or positions.
 */
export class Account {
  readonly initialBalance: number;
  balance: number;
  /** Isolated margin locked by the open positions. */
  marginUsed = 0;
  realizedPnlTotal = 0;
  feesTotal = 0;
  /** Signed: received positive. */
  fundingTotal = 0;
  openPositions = 0;

  constructor(initialBalance: number) {
    this.initialBalance = initialBalance;
    this.balance = initialBalance;
  }

  /** Balance not locked as isolated margin. */
  availableBalance(): number {
    return this.balance - this.marginUsed;
  }

  /** Whether an entry locking `margin` and paying `fee` exceeds the available balance (relative tolerance 1e-12). */
  exceedsAvailable(margin: number, fee: number): boolean {
    return margin + fee > this.availableBalance() * (1 + 1e-12);
  }

  /** An entry fill: the fee is paid and the margin locked. */
  open(margin: number, fee: number): void {
    this.balance -= fee;
    this.feesTotal += fee;
    this.marginUsed += margin;
    this.openPositions++;
  }

  /** A closing leg: its realised PnL and fee are settled and its share of the margin released. */
  settleLeg(pnl: number, fee: number, marginReleased: number): void {
    this.balance += pnl - fee;
    this.marginUsed -= marginReleased;
    this.realizedPnlTotal += pnl;
    this.feesTotal += fee;
  }

  /** The last leg of a position closed. */
  closed(): void {
    this.openPositions--;
  }

  /** A funding payment (signed: received positive). */
  receiveFunding(payment: number): void {
    this.balance += payment;
    this.fundingTotal += payment;
  }
}

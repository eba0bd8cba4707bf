/** Capacity of the dry-run fill buffer: more legs than any plan has in one bar. */
const DRY_CAPACITY = 64;

/**
 * The fills of dry replays (SPEC §6.2 path dependence): a bar is replayed from the same
 * state adverse-first and favourable-first without committing; each replay's fills go here
 * (reason, price, quantity) and the two sequences are compared. Fixed-size typed arrays:
 * dry replays run on every exit bar and allocate nothing.
 */
export class DryRun {
  count = 0;
  readonly reason = new Int32Array(DRY_CAPACITY);
  readonly price = new Float64Array(DRY_CAPACITY);
  readonly quantity = new Float64Array(DRY_CAPACITY);

  record(reason: number, price: number, quantity: number): void {
    if (this.count >= DRY_CAPACITY) return;
    this.reason[this.count] = reason;
    this.price[this.count] = price;
    this.quantity[this.count] = quantity;
    this.count++;
  }

  /** True when fills [0, split) and [split, count) differ (reason, or price/quantity beyond a relative 1e-12). */
  differs(split: number): boolean {
    if (this.count - split !== split) return true;
    for (let k = 0; k < split; k++) {
      const j = split + k;
      if (this.reason[k] !== this.reason[j]) return true;
      if (Math.abs(this.price[k] - this.price[j]) > 1e-12 * Math.abs(this.price[k])) return true;
      if (Math.abs(this.quantity[k] - this.quantity[j]) > 1e-12 * Math.abs(this.quantity[k])) return true;
    }
    return false;
  }
}

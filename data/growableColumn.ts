/**
 * A Float64Array that grows by doubling, so loaders append values without knowing the row
 * count up front and without keeping rows as objects (STYLE §2).
 */
export class GrowableColumn {
  private values: Float64Array;
  private count = 0;

  constructor(initialCapacity = 4096) {
    this.values = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  /** Value at an index below `length`. */
  at(index: number): number {
    return this.values[index];
  }

  /** A right-sized copy; the spare capacity is released with this column. */
  toArray(): Float64Array {
    return this.values.slice(0, this.count);
  }
}

/** The six columns of a bar series while it is being loaded. */
export class BarColumns {
  readonly time = new GrowableColumn();
  readonly open = new GrowableColumn();
  readonly high = new GrowableColumn();
  readonly low = new GrowableColumn();
  readonly close = new GrowableColumn();
  readonly volume = new GrowableColumn();

  get length(): number {
    return this.time.length;
  }

  append(timeMs: number, open: number, high: number, low: number, close: number, volume: number): void {
    this.time.push(timeMs);
    this.open.push(open);
    this.high.push(high);
    this.low.push(low);
    this.close.push(close);
    this.volume.push(volume);
  }
}

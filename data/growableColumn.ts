/**
 * A Float64Array that grows by doubling, so loaders append values without knowing the row
 * count up front and without keeping rows as objects (STYLE §2). A loader that can estimate
 * the row count (file size over the first row's length) reserves it once, sparing the
 * doublings' copies.
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

  /** Values it holds before it must grow again. */
  get capacity(): number {
    return this.values.length;
  }

  push(value: number): void {
    if (this.count === this.values.length) this.resize(this.values.length * 2);
    this.values[this.count++] = value;
  }

  /**
   * Makes room for at least `capacity` values in all (never shrinks). Grows at least twofold,
   * so that reserving file by file over a folder of monthly files copies O(n) values, not O(n²).
   */
  reserve(capacity: number): void {
    if (capacity > this.values.length) this.resize(Math.max(capacity, this.values.length * 2));
  }

  private resize(capacity: number): void {
    const grown = new Float64Array(capacity);
    grown.set(this.values.subarray(0, this.count));
    this.values = grown;
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

  /** Makes room for `rows` more bars in every column. */
  reserve(rows: number): void {
    const capacity = this.length + rows;
    for (const column of [this.time, this.open, this.high, this.low, this.close, this.volume]) column.reserve(capacity);
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

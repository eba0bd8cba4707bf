import type { BarSeries } from "./types.js";

/**
 * Mark-price bars aligned to the main bars (SPEC §6.3 extended): per symbol, the mark open,
 * high, low and close of each main bar — aggregated from the mark bars inside
 * [t, t + timeframe) when those are finer — or NaN when the mark bars do not cover the whole
 * main bar (that bar's liquidation is then checked on the last price, and counted).
 *
 * Before managing a position along a (main or detail) bar, `load` / `loadDetail` write the
 * mark prices of that bar into `into` (open, high, low, close; NaN = unknown at that point) and
 * return 1 when liquidation is to be checked on them, 0 for the last price.
 */
export class MarkPrices {
  readonly open: (Float64Array | null)[];
  readonly high: (Float64Array | null)[];
  readonly low: (Float64Array | null)[];
  readonly close: (Float64Array | null)[];
  /** Main bars without complete mark bars, over all symbols (a symbol without mark data counts every bar). */
  readonly uncoveredBars: number;

  constructor(bars: readonly BarSeries[], mark: ReadonlyMap<string, BarSeries>) {
    this.open = [];
    this.high = [];
    this.low = [];
    this.close = [];
    let uncovered = 0;
    for (const series of bars) {
      const given = mark.get(series.symbol);
      if (given === undefined) {
        this.open.push(null);
        this.high.push(null);
        this.low.push(null);
        this.close.push(null);
        uncovered += series.length;
        continue;
      }
      const aligned = alignMarkBars(series, given);
      this.open.push(aligned.open);
      this.high.push(aligned.high);
      this.low.push(aligned.low);
      this.close.push(aligned.close);
      uncovered += aligned.uncovered;
    }
    this.uncoveredBars = uncovered;
  }

  /** Main bar `i` of symbol `s`: its mark open, high, low, close into `into`; 1 when covered. */
  load(s: number, i: number, into: Float64Array): number {
    const open = this.open[s];
    if (open === null || open[i] !== open[i]) return 0;
    into[0] = open[i];
    into[1] = (this.high[s] as Float64Array)[i];
    into[2] = (this.low[s] as Float64Array)[i];
    into[3] = (this.close[s] as Float64Array)[i];
    return 1;
  }

  /**
   * Detail bar `j` (of `first..end − 1`, the detail bars of main bar `i`): the mark open sits at
   * the first detail bar's open, the mark high and low at the first detail bar whose last-price
   * high / low equals the main bar's (where the last price makes its extreme), the mark close at
   * the last detail bar's close; every other point is unknown (NaN).
   */
  loadDetail(s: number, i: number, main: BarSeries, detail: BarSeries, first: number, end: number, j: number, into: Float64Array): number {
    const open = this.open[s];
    if (open === null || open[i] !== open[i]) return 0;
    into[0] = j === first ? open[i] : NaN;
    into[1] = j === firstReaching(detail.high, main.high[i], first, end) ? (this.high[s] as Float64Array)[i] : NaN;
    into[2] = j === firstReaching(detail.low, main.low[i], first, end) ? (this.low[s] as Float64Array)[i] : NaN;
    into[3] = j === end - 1 ? (this.close[s] as Float64Array)[i] : NaN;
    return 1;
  }
}

function firstReaching(column: Float64Array, value: number, first: number, end: number): number {
  for (let k = first; k < end; k++) if (column[k] === value) return k;
  return -1;
}

/** The mark bars of each main bar, aggregated (first open, max high, min low, last close); NaN where incomplete. */
export function alignMarkBars(main: BarSeries, mark: BarSeries): {
  open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; uncovered: number;
} {
  const n = main.length;
  const open = new Float64Array(n).fill(NaN);
  const high = new Float64Array(n).fill(NaN);
  const low = new Float64Array(n).fill(NaN);
  const close = new Float64Array(n).fill(NaN);
  const perBar = Math.round(main.timeframeMs / mark.timeframeMs);
  let uncovered = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const start = main.time[i];
    const end = start + main.timeframeMs;
    while (j < mark.length && mark.time[j] < start) j++;
    let k = j;
    let hi = -Infinity;
    let lo = Infinity;
    while (k < mark.length && mark.time[k] < end) {
      if (mark.high[k] > hi) hi = mark.high[k];
      if (mark.low[k] < lo) lo = mark.low[k];
      k++;
    }
    if (k - j !== perBar || mark.time[j] !== start) {
      uncovered++;
      continue;
    }
    open[i] = mark.open[j];
    high[i] = hi;
    low[i] = lo;
    close[i] = mark.close[k - 1];
  }
  return { open, high, low, close, uncovered };
}

import { unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";
import { ConfigError, StrategyError, type BarSeries, type SignalColumns } from "../../engine/index.js";

export type SignalField = "action" | "confidence" | "score" | "sizeMultiplier";

const SIGNAL_FIELDS: readonly SignalField[] = ["action", "confidence", "score", "sizeMultiplier"];

export interface LookaheadOptions {
  /** Cut points to try: about half spread evenly, the rest drawn at random (duplicates dropped). Default 50. */
  readonly cuts?: number;
  /** Seed of the random cut points; default 1. */
  readonly seed?: number;
  /** Smallest cut index (skip the warm-up, for example); default 0. */
  readonly minIndex?: number;
  /** Violations listed at most (all are counted); default 1000. */
  readonly maxViolations?: number;
}

/** A bar whose signal changed when the bars after the cut were removed: the source looked ahead. */
export interface LookaheadViolation {
  /** The last bar kept in the truncated run. */
  readonly cutIndex: number;
  readonly barIndex: number;
  readonly timeMs: number;
  readonly field: SignalField;
  /** The value in the run over the full series. */
  readonly full: number;
  /** The value in the run over bars 0..cutIndex. */
  readonly truncated: number;
}

export interface LookaheadReport {
  readonly cutsChecked: number;
  /** The cut points tried, ascending. */
  readonly cutIndexes: readonly number[];
  /** Every differing value found, including those not listed. */
  readonly violationCount: number;
  /** The first `maxViolations` violations, by cut then bar then field. */
  readonly violations: readonly LookaheadViolation[];
}

/**
 * Checks a signal source for look-ahead (SPEC §1 step 6): the signal at bar i must not
 * change when the bars after i are removed. Runs `compute` on the whole series and on the
 * series truncated after each cut point c, and reports every bar ≤ c and field whose value
 * differs between the two runs (NaN equals NaN). A source that passes could still leak
 * between the cut points tried, so more cuts give more assurance; an empty report over
 * many cuts is strong evidence, a violation is proof.
 *
 * The truncated series are zero-copy `subarray` views of the full one.
 */
export function checkLookahead(
  compute: (series: BarSeries) => SignalColumns, series: BarSeries, options: LookaheadOptions = {},
): LookaheadReport {
  const cuts = options.cuts ?? 50;
  const minIndex = options.minIndex ?? 0;
  const maxViolations = options.maxViolations ?? 1000;
  if (!(Number.isInteger(cuts) && cuts >= 1)) throw new ConfigError(`cuts must be a whole number ≥ 1, got ${cuts}`, "lookahead.cuts");
  if (!(Number.isInteger(minIndex) && minIndex >= 0)) throw new ConfigError(`minIndex must be a whole number ≥ 0, got ${minIndex}`, "lookahead.minIndex");
  const full = computeChecked(compute, series);
  const cutIndexes = chooseCuts(series.length, cuts, minIndex, options.seed ?? 1);
  const violations: LookaheadViolation[] = [];
  let violationCount = 0;
  for (const cutIndex of cutIndexes) {
    const truncated = computeChecked(compute, truncateSeries(series, cutIndex));
    violationCount += compareCut(series, cutIndex, full, truncated, violations, maxViolations);
  }
  return { cutsChecked: cutIndexes.length, cutIndexes, violationCount, violations };
}

/** Counts the values of bars 0..cutIndex that differ between the full and the truncated run (NaN equals NaN); lists up to `maxViolations`. */
export function compareCut(
  series: BarSeries, cutIndex: number, full: SignalColumns, truncated: SignalColumns, violations: LookaheadViolation[], maxViolations: number,
): number {
  let count = 0;
  for (let bar = 0; bar <= cutIndex; bar++) {
    for (const field of SIGNAL_FIELDS) {
      const a = full[field][bar];
      const b = truncated[field][bar];
      if (a === b || (a !== a && b !== b)) continue;
      count++;
      if (violations.length < maxViolations) {
        violations.push({ cutIndex, barIndex: bar, timeMs: series.time[bar], field, full: a, truncated: b });
      }
    }
  }
  return count;
}

/** Bars 0..lastIndex of a series as zero-copy views of its columns. */
export function truncateSeries(series: BarSeries, lastIndex: number): BarSeries {
  const end = lastIndex + 1;
  return {
    symbol: series.symbol,
    timeframeMs: series.timeframeMs,
    length: end,
    time: series.time.subarray(0, end),
    open: series.open.subarray(0, end),
    high: series.high.subarray(0, end),
    low: series.low.subarray(0, end),
    close: series.close.subarray(0, end),
    volume: series.volume.subarray(0, end),
  };
}

/**
 * Cut points in [minIndex, length − 2] (cutting after the last bar would compare the full
 * run with itself): `ceil(cuts / 2)` spread evenly, the rest drawn with a seeded generator;
 * duplicates are dropped, so fewer cuts are checked on short series. With `cuts` at least the
 * number of candidate bars, every bar in the range is a cut.
 */
export function chooseCuts(length: number, cuts: number, minIndex: number, seed: number): number[] {
  const last = length - 2;
  if (last < minIndex) return [];
  // As many cuts as candidate bars (or more): every bar is a cut, which catches a leak on any single bar.
  if (cuts >= last - minIndex + 1) return Array.from({ length: last - minIndex + 1 }, (_, k) => minIndex + k);
  const chosen = new Set<number>();
  const even = Math.ceil(cuts / 2);
  for (let k = 0; k < even; k++) {
    chosen.add(even === 1 ? last : minIndex + Math.round((k * (last - minIndex)) / (even - 1)));
  }
  const generator = xoroshiro128plus(seed);
  for (let k = even; k < cuts; k++) chosen.add(unsafeUniformIntDistribution(minIndex, last, generator));
  return [...chosen].sort((a, b) => a - b);
}

function computeChecked(compute: (series: BarSeries) => SignalColumns, series: BarSeries): SignalColumns {
  return checkColumns(compute(series), series);
}

/** The columns a signal source returned, checked to hold one value per bar. */
export function checkColumns(columns: SignalColumns, series: BarSeries): SignalColumns {
  for (const field of SIGNAL_FIELDS) {
    if (columns[field]?.length !== series.length) {
      throw new StrategyError(
        `the signal source returned ${field} with ${columns[field]?.length ?? "no"} values for ${series.length} bars of ${series.symbol}`,
        series.symbol, "return one value per bar in every column",
      );
    }
  }
  return columns;
}

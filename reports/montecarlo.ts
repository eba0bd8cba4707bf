import { xoroshiro128plus } from "pure-rand";
import { SeededRandom } from "../data/seededRandom.js";

/**
 * Monte Carlo over a run's trades (`exitlab montecarlo`): the trades' net PnL in USD (fees and
 * funding included) are replayed in another order (`shuffle`: a random permutation, so the
 * final equity is always the run's and only the path changes) or drawn with replacement
 * (`bootstrap`: as many trades as the run had, so the final equity varies too). Each path
 * starts at the initial balance and adds one trade's PnL at a time — PnL is additive in USD,
 * not rescaled with equity (the run's own sizing is kept, as it was). Pure and seeded.
 */

/** `shuffle` and `bootstrap` replay trade PnLs; `block` resamples daily returns in blocks (reports/montecarloBlock.ts). */
export type MonteCarloMethod = "shuffle" | "bootstrap" | "block";

export interface MonteCarloInput {
  readonly pnls: readonly number[];
  readonly initialBalance: number;
  readonly method: Exclude<MonteCarloMethod, "block">;
  readonly simulations: number;
  readonly seed: number;
  /** A path is ruined when its drawdown from the running peak reaches this fraction (0.5 = −50 %). */
  readonly ruinDrawdown: number;
}

export interface PathStats {
  readonly finalEquity: number;
  /** Deepest fall below the running peak (which starts at the initial balance), as a positive fraction. */
  readonly maxDrawdownPct: number;
  /** Most steps in a row spent below the running peak: trades (shuffle, bootstrap) or days (block). */
  readonly longestDrawdownTrades: number;
}

export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export interface MonteCarloResult {
  readonly method: MonteCarloMethod;
  readonly simulations: number;
  readonly seed: number;
  /** What a path is made of: trades (shuffle, bootstrap) or daily returns (block). */
  readonly unit: "trades" | "days";
  /** Trades or days per path. */
  readonly steps: number;
  /** Trades per path (shuffle, bootstrap); null for block. */
  readonly trades: number | null;
  /** Days per block (block); null otherwise. */
  readonly blockLength: number | null;
  readonly initialBalance: number;
  readonly ruinDrawdown: number;
  /** The run's own order. */
  readonly actual: PathStats;
  /** Per statistic, its value at each of QUANTILES (linear interpolation between order statistics). */
  readonly quantiles: { readonly [K in keyof PathStats]: Readonly<Record<string, number>> };
  /** Share of paths whose drawdown reached ruinDrawdown. */
  readonly probabilityOfRuin: number;
  /** Share of paths ending below the initial balance. */
  readonly probabilityOfLoss: number;
  /** The fan chart: equity quantiles across paths at up to FAN_POINTS steps, and the run's own path there. */
  readonly fan: FanBands;
  /** Histograms of the paths' final equity and max drawdown (HISTOGRAM_BINS equal-width bins from min to max). */
  readonly histograms: { readonly finalEquity: Histogram; readonly maxDrawdownPct: Histogram };
}

/** Equity after `step[k]` steps (1-based counts; the last is the whole path), per quantile and for the run itself. */
export interface FanBands {
  readonly step: readonly number[];
  readonly p5: readonly number[];
  readonly p25: readonly number[];
  readonly p50: readonly number[];
  readonly p75: readonly number[];
  readonly p95: readonly number[];
  readonly actual: readonly number[];
}

export interface Histogram {
  readonly min: number;
  readonly max: number;
  /** Paths per bin; bin b covers [min + b·w, min + (b+1)·w), the last one closed (w = (max − min)/bins). */
  readonly counts: readonly number[];
}

/** Most points a fan chart keeps (evenly spaced steps, the last always included). */
export const FAN_POINTS = 100;
export const HISTOGRAM_BINS = 40;

/** Where a path's equity is written for the fan chart: `row[k]` after step `at[k]` (0-based). */
export interface FanSink {
  readonly at: Int32Array;
  readonly row: Float64Array;
}

/** Up to FAN_POINTS 0-based step indices, evenly spaced, ending at steps − 1. */
export function fanCheckpoints(steps: number): Int32Array {
  const points = Math.min(steps, FAN_POINTS);
  const at = new Int32Array(points);
  for (let k = 0; k < points; k++) at[k] = Math.round(((k + 1) * steps) / points) - 1;
  return at;
}

export function pathStatsOf(pnls: ArrayLike<number>, initialBalance: number, fan: FanSink | null = null): PathStats {
  return equityPathStats(pnls, initialBalance, false, fan);
}

/**
 * Walks a path of steps from the initial balance — added as PnL (`compound` false: trades) or
 * compounded as returns (`compound` true: equity ×= 1 + r, days) — for its final equity,
 * deepest drawdown from the running peak and most steps below it; writes the fan checkpoints.
 */
export function equityPathStats(steps: ArrayLike<number>, initialBalance: number, compound: boolean, fan: FanSink | null): PathStats {
  let equity = initialBalance;
  let peak = initialBalance;
  let maxDrawdown = 0;
  let run = 0;
  let longest = 0;
  let point = 0;
  for (let i = 0; i < steps.length; i++) {
    equity = compound ? equity * (1 + steps[i]) : equity + steps[i];
    if (fan !== null && fan.at[point] === i) fan.row[point++] = equity;
    if (equity >= peak) {
      peak = equity;
      run = 0;
    } else {
      run += 1;
      longest = Math.max(longest, run);
      maxDrawdown = Math.max(maxDrawdown, peak > 0 ? 1 - equity / peak : 1);
    }
  }
  return { finalEquity: equity, maxDrawdownPct: maxDrawdown, longestDrawdownTrades: longest };
}

export function runMonteCarlo(input: MonteCarloInput): MonteCarloResult {
  const random = new SeededRandom(xoroshiro128plus(input.seed));
  const n = input.pnls.length;
  const path = new Float64Array(input.pnls);
  const paths = summarizePaths({ ...input, steps: n }, (fan) => {
    if (input.method === "shuffle") {
      for (let i = n - 1; i > 0; i--) {
        const j = random.integerBelow(i + 1);
        const swap = path[i];
        path[i] = path[j];
        path[j] = swap;
      }
    } else {
      for (let i = 0; i < n; i++) path[i] = input.pnls[random.integerBelow(n)];
    }
    return pathStatsOf(path, input.initialBalance, fan);
  }, (fan) => pathStatsOf(input.pnls, input.initialBalance, fan));
  return {
    method: input.method, simulations: input.simulations, seed: input.seed, unit: "trades", steps: n, trades: n, blockLength: null,
    initialBalance: input.initialBalance, ruinDrawdown: input.ruinDrawdown, ...paths,
  };
}

/**
 * Simulates `simulations` paths (each from `nextPath`, which also writes its equity at the fan
 * checkpoints) and summarises them: quantiles, ruin and loss shares, fan bands, histograms;
 * `actualPath` is the run's own order.
 */
export function summarizePaths(
  input: { readonly simulations: number; readonly initialBalance: number; readonly ruinDrawdown: number; readonly steps: number },
  nextPath: (fan: FanSink) => PathStats, actualPath: (fan: FanSink) => PathStats,
): Pick<MonteCarloResult, "actual" | "quantiles" | "probabilityOfRuin" | "probabilityOfLoss" | "fan" | "histograms"> {
  const at = fanCheckpoints(input.steps);
  const sink: FanSink = { at, row: new Float64Array(at.length) };
  const columns = Array.from({ length: at.length }, () => new Float64Array(input.simulations));
  const finals = new Float64Array(input.simulations);
  const drawdowns = new Float64Array(input.simulations);
  const longest = new Float64Array(input.simulations);
  let ruined = 0;
  let losses = 0;
  for (let s = 0; s < input.simulations; s++) {
    const stats = nextPath(sink);
    for (let k = 0; k < at.length; k++) columns[k][s] = sink.row[k];
    finals[s] = stats.finalEquity;
    drawdowns[s] = stats.maxDrawdownPct;
    longest[s] = stats.longestDrawdownTrades;
    if (stats.maxDrawdownPct >= input.ruinDrawdown) ruined += 1;
    if (stats.finalEquity < input.initialBalance) losses += 1;
  }
  const actual = actualPath(sink);
  const bands = columns.map(quantilesOf);
  const band = (key: string): number[] => bands.map((quantiles) => quantiles[key]);
  return {
    actual,
    quantiles: { finalEquity: quantilesOf(finals), maxDrawdownPct: quantilesOf(drawdowns), longestDrawdownTrades: quantilesOf(longest) },
    probabilityOfRuin: ruined / input.simulations,
    probabilityOfLoss: losses / input.simulations,
    fan: { step: Array.from(at, (i) => i + 1), p5: band("p5"), p25: band("p25"), p50: band("p50"), p75: band("p75"), p95: band("p95"), actual: Array.from(sink.row) },
    // quantilesOf sorted both in place.
    histograms: { finalEquity: histogramOf(finals), maxDrawdownPct: histogramOf(drawdowns) },
  };
}

/** HISTOGRAM_BINS equal-width bins of sorted `values` from their min to their max. */
export function histogramOf(sorted: Float64Array): Histogram {
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (max - min) / HISTOGRAM_BINS;
  for (const value of sorted) counts[width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((value - min) / width)) : 0] += 1;
  return { min, max, counts };
}

/** The QUANTILES of `values` (sorted in place), keyed "p1", "p5", … "p99". */
function quantilesOf(values: Float64Array): Record<string, number> {
  values.sort();
  const out: Record<string, number> = {};
  for (const q of QUANTILES) {
    const position = q * (values.length - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, values.length - 1);
    out[`p${Math.round(q * 100)}`] = values[low] + (values[high] - values[low]) * (position - low);
  }
  return out;
}

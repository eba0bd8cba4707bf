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
}

export function pathStatsOf(pnls: ArrayLike<number>, initialBalance: number): PathStats {
  let equity = initialBalance;
  let peak = initialBalance;
  let maxDrawdown = 0;
  let run = 0;
  let longest = 0;
  for (let i = 0; i < pnls.length; i++) {
    equity += pnls[i];
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
  const paths = summarizePaths(input, () => {
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
    return pathStatsOf(path, input.initialBalance);
  });
  return {
    method: input.method, simulations: input.simulations, seed: input.seed, unit: "trades", steps: n, trades: n, blockLength: null,
    initialBalance: input.initialBalance, ruinDrawdown: input.ruinDrawdown, actual: pathStatsOf(input.pnls, input.initialBalance), ...paths,
  };
}

/** Simulates `simulations` paths (each from `nextPath`) and summarises them: quantiles, ruin and loss shares. */
export function summarizePaths(
  input: { readonly simulations: number; readonly initialBalance: number; readonly ruinDrawdown: number }, nextPath: () => PathStats,
): Pick<MonteCarloResult, "quantiles" | "probabilityOfRuin" | "probabilityOfLoss"> {
  const finals = new Float64Array(input.simulations);
  const drawdowns = new Float64Array(input.simulations);
  const longest = new Float64Array(input.simulations);
  let ruined = 0;
  let losses = 0;
  for (let s = 0; s < input.simulations; s++) {
    const stats = nextPath();
    finals[s] = stats.finalEquity;
    drawdowns[s] = stats.maxDrawdownPct;
    longest[s] = stats.longestDrawdownTrades;
    if (stats.maxDrawdownPct >= input.ruinDrawdown) ruined += 1;
    if (stats.finalEquity < input.initialBalance) losses += 1;
  }
  return {
    quantiles: { finalEquity: quantilesOf(finals), maxDrawdownPct: quantilesOf(drawdowns), longestDrawdownTrades: quantilesOf(longest) },
    probabilityOfRuin: ruined / input.simulations,
    probabilityOfLoss: losses / input.simulations,
  };
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

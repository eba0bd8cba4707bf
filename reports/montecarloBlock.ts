import { xoroshiro128plus } from "pure-rand";
import { SeededRandom } from "../data/seededRandom.js";
import { equityPathStats, summarizePaths, type FanSink, type MonteCarloResult, type PathStats } from "./montecarlo.js";

/**
 * Monte Carlo by a moving-block bootstrap of a run's daily returns (Künsch 1989;
 * `exitlab montecarlo --method block`). A path is as many days as the run had, built from
 * blocks of `blockLength` consecutive days, each starting at a day drawn uniformly from the
 * n − L + 1 possible starts, concatenated and cut to n days. Blocks keep the serial dependence
 * inside them (volatility clusters, streaks) that an i.i.d. bootstrap breaks; `blockLength` 1
 * is the i.i.d. bootstrap of days. The path compounds from the initial balance: equity ×= 1 + r.
 * Default block length ⌈n^(1/3)⌉ (Hall, Horowitz & Jing 1995: the order that minimises the
 * error of a variance or distribution estimate). Pure and seeded.
 */

export interface BlockBootstrapInput {
  /** Daily simple returns in day order (reports/overfitting/dailyReturns.ts). */
  readonly returns: readonly number[];
  readonly initialBalance: number;
  /** Days per block, 1 … n; default ⌈n^(1/3)⌉. */
  readonly blockLength?: number;
  readonly simulations: number;
  readonly seed: number;
  readonly ruinDrawdown: number;
}

/** ⌈n^(1/3)⌉, at least 1. */
export function defaultBlockLength(days: number): number {
  return Math.max(1, Math.ceil(Math.cbrt(days) - 1e-9));
}

/** A path of returns compounded from the initial balance: final equity, deepest drawdown, most days below the peak. */
export function compoundedPathStats(returns: ArrayLike<number>, initialBalance: number, fan: FanSink | null = null): PathStats {
  return equityPathStats(returns, initialBalance, true, fan);
}

export function runBlockBootstrap(input: BlockBootstrapInput): MonteCarloResult {
  const n = input.returns.length;
  const blockLength = input.blockLength ?? defaultBlockLength(n);
  if (!Number.isInteger(blockLength) || blockLength < 1 || blockLength > n) throw new RangeError(`block length ${blockLength} is not a whole number from 1 to ${n}`);
  const random = new SeededRandom(xoroshiro128plus(input.seed));
  const path = new Float64Array(n);
  const starts = n - blockLength + 1;
  const paths = summarizePaths({ ...input, steps: n }, (fan) => {
    for (let filled = 0; filled < n;) {
      const start = random.integerBelow(starts);
      for (let k = 0; k < blockLength && filled < n; k++) path[filled++] = input.returns[start + k];
    }
    return compoundedPathStats(path, input.initialBalance, fan);
  }, (fan) => compoundedPathStats(input.returns, input.initialBalance, fan));
  return {
    method: "block", simulations: input.simulations, seed: input.seed, unit: "days", steps: n, trades: null, blockLength,
    initialBalance: input.initialBalance, ruinDrawdown: input.ruinDrawdown, ...paths,
  };
}

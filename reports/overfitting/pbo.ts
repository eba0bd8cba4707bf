/**
 * The Probability of Backtest Overfitting by combinatorially symmetric cross-validation
 * (Bailey, Borwein, López de Prado & Zhu 2015, "The Probability of Backtest Overfitting", §2):
 * the T × N matrix of N trials' returns over the same T periods is cut into S equal row blocks
 * (S even; T mod S trailing rows are dropped); for each of the C(S, S/2) ways to pick half the
 * blocks as in-sample (the rest out-of-sample, order kept), the trial with the best in-sample
 * Sharpe ratio is found and its out-of-sample relative rank ω = rank / (N + 1) (rank 1 = worst,
 * ties averaged) gives the logit λ = ln(ω / (1 − ω)). PBO is the share of splits with λ ≤ 0:
 * how often the in-sample winner is no better than the median out of sample.
 */

export interface PboResult {
  readonly pbo: number;
  /** λ of every split, in the order the splits are enumerated. */
  readonly logits: readonly number[];
  readonly splits: number;
}

/** `returns[n][t]`: trial n's return in period t (every trial the same length). */
export function probabilityOfBacktestOverfitting(returns: ReadonlyArray<ArrayLike<number>>, partitions: number): PboResult {
  const trials = returns.length;
  if (trials < 2) throw new RangeError("PBO needs at least two trials");
  if (!Number.isInteger(partitions) || partitions < 2 || partitions % 2 !== 0) throw new RangeError(`PBO needs an even number of partitions ≥ 2, got ${partitions}`);
  const length = returns[0].length;
  if (returns.some((series) => series.length !== length)) throw new RangeError("PBO needs every trial over the same periods");
  const block = Math.floor(length / partitions);
  if (block < 2) throw new RangeError(`PBO needs at least 2 periods per partition (${length} periods, ${partitions} partitions)`);
  // Per trial and block: the sum and the sum of squares, so each split's Sharpe ratios cost O(N·S), not O(N·T).
  const sums = returns.map((series) => blockSums(series, block, partitions));
  const logits: number[] = [];
  // Which blocks a split puts in sample, as 1/0 (a lookup per block, not a set and a closure).
  const chosen = new Uint8Array(partitions);
  const isSharpe = new Float64Array(trials);
  const oosSharpe = new Float64Array(trials);
  for (const inSample of halves(partitions)) {
    chosen.fill(0);
    for (const b of inSample) chosen[b] = 1;
    for (let n = 0; n < trials; n++) {
      isSharpe[n] = sharpeOver(sums[n], block, chosen, 1);
      oosSharpe[n] = sharpeOver(sums[n], block, chosen, 0);
    }
    let best = 0;
    for (let n = 1; n < trials; n++) if (isSharpe[n] > isSharpe[best]) best = n;
    const omega = relativeRank(oosSharpe, best) / (trials + 1);
    logits.push(Math.log(omega / (1 - omega)));
  }
  return { pbo: logits.filter((lambda) => lambda <= 0).length / logits.length, logits, splits: logits.length };
}

/** Every subset of size S/2 of 0…S−1, in lexicographic order. */
function halves(partitions: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length === partitions / 2) {
      out.push([...chosen]);
      return;
    }
    for (let b = start; b < partitions; b++) pick(b + 1, [...chosen, b]);
  };
  pick(0, []);
  return out;
}

/** [sum, sum of squares] of each block's rows. */
/** Per block: its sum at 2b and its sum of squares at 2b + 1. */
function blockSums(series: ArrayLike<number>, block: number, partitions: number): Float64Array {
  const sums = new Float64Array(2 * partitions);
  for (let b = 0; b < partitions; b++) {
    let sum = 0;
    let squares = 0;
    for (let t = b * block; t < (b + 1) * block; t++) {
      sum += series[t];
      squares += series[t] * series[t];
    }
    sums[2 * b] = sum;
    sums[2 * b + 1] = squares;
  }
  return sums;
}

/** The Sharpe ratio over the blocks whose `chosen` flag is `keep`, from their sums (blocks added in order). */
function sharpeOver(sums: Float64Array, block: number, chosen: Uint8Array, keep: 0 | 1): number {
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let b = 0; b < chosen.length; b++) {
    if (chosen[b] !== keep) continue;
    sum += sums[2 * b];
    squares += sums[2 * b + 1];
    count += block;
  }
  const mean = sum / count;
  const variance = Math.max(0, squares / count - mean * mean);
  return variance === 0 ? 0 : mean / Math.sqrt(variance);
}

function relativeRank(values: Float64Array, index: number): number {
  const value = values[index];
  let below = 0;
  let equal = 0;
  for (const other of values) {
    if (other < value) below += 1;
    else if (other === value) equal += 1;
  }
  return below + (equal + 1) / 2;
}

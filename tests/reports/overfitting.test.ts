import { xoroshiro128plus } from "pure-rand";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../data/seededRandom.js";
import { deflatedSharpeRatio, expectedMaxSharpe, returnMoments } from "../../reports/overfitting/deflatedSharpe.js";
import { normalCdf, normalQuantile } from "../../reports/overfitting/normal.js";
import { probabilityOfBacktestOverfitting } from "../../reports/overfitting/pbo.js";

/** `trials` series of `length` normal returns with the given per-period means (0 = pure noise). */
function series(trials: number, length: number, seed: number, mean: (trial: number) => number = () => 0): number[][] {
  const random = new SeededRandom(xoroshiro128plus(seed));
  return Array.from({ length: trials }, (_, n) => Array.from({ length }, () => mean(n) + 0.01 * random.normal()));
}

describe("the normal distribution", () => {
  it("gives the textbook quantiles and inverts its CDF", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    for (const p of [0.001, 0.2, 0.5, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });
});

describe("the deflated Sharpe ratio", () => {
  it("reproduces the paper's example: SR 2.5 a year, 100 trials, V = 1/2, 5 years of days, skew −3, kurtosis 10 → SR₀ 0.1132, DSR 0.9004", () => {
    // Bailey & López de Prado (2014), §4 "A numerical example": every quantity per day (250 a year).
    const result = deflatedSharpeRatio({ sharpe: 2.5 / Math.sqrt(250), trials: 100, sharpeVariance: 0.5 / 250, observations: 1250, skewness: -3, kurtosis: 10 });
    expect(result.expectedMaxSharpe).toBeCloseTo(0.1132, 4);
    expect(result.probability).toBeCloseTo(0.9004, 3);
  });

  it("needs no deflation for a single trial: SR₀ is 0", () => {
    expect(expectedMaxSharpe(1, 0.3)).toBe(0);
  });

  it("finds the best of 200 pure-noise trials not significant, where the undeflated test (one trial) would", () => {
    const trials = series(200, 500, 11);
    const moments = trials.map(returnMoments);
    const sharpes = moments.map((m) => m.sharpe);
    const best = moments[sharpes.indexOf(Math.max(...sharpes))];
    const mean = sharpes.reduce((sum, value) => sum + value, 0) / sharpes.length;
    const variance = sharpes.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (sharpes.length - 1);
    const dsr = deflatedSharpeRatio({ ...best, trials: 200, sharpeVariance: variance, observations: 500 });
    expect(deflatedSharpeRatio({ ...best, trials: 1, sharpeVariance: variance, observations: 500 }).probability).toBeGreaterThan(0.95);
    expect(dsr.probability).toBeLessThan(0.5);
  });
});

describe("the probability of backtest overfitting (CSCV)", () => {
  it("reproduces a hand-worked case: the in-sample winner is the out-of-sample loser in both splits, so PBO = 1", () => {
    // Two blocks of two periods. Block Sharpe ratios — A: 2, −2; B: 1, 1; C: 0, 3.
    const result = probabilityOfBacktestOverfitting([[1, 3, -1, -3], [0, 2, 0, 2], [-1, 1, 2, 4]], 2);
    expect(result.splits).toBe(2);
    expect(result.logits).toEqual([Math.log(1 / 3), Math.log(1 / 3)]);
    expect(result.pbo).toBe(1);
  });

  it("is near 0.5 on trials that are pure noise (mean over 10 data sets)", () => {
    const pbos = Array.from({ length: 10 }, (_, i) => probabilityOfBacktestOverfitting(series(50, 400, 100 + i), 8).pbo);
    const mean = pbos.reduce((sum, value) => sum + value, 0) / pbos.length;
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.6);
  });

  it("enumerates C(S, S/2) splits", () => {
    expect(probabilityOfBacktestOverfitting(series(3, 160, 1), 16).splits).toBe(12_870);
  });

  it("is low when one trial has a real edge", () => {
    const result = probabilityOfBacktestOverfitting(series(50, 1000, 5, (n) => (n === 17 ? 0.003 : 0)), 16);
    expect(result.pbo).toBeLessThan(0.05);
  });

  it("refuses an odd number of partitions and trials of different lengths", () => {
    expect(() => probabilityOfBacktestOverfitting(series(3, 100, 1), 3)).toThrow(/even number of partitions/);
    expect(() => probabilityOfBacktestOverfitting([[1, 2, 3, 4], [1, 2, 3]], 2)).toThrow(/same periods/);
  });
});

/** PBO as first written (a set and a closure per split, blocks as pairs): the faster form must give the same logits, bit for bit. */
function pboAsFirstWritten(returns: readonly (readonly number[])[], partitions: number): number[] {
  const block = Math.floor(returns[0].length / partitions);
  const sums = returns.map((series) => Array.from({ length: partitions }, (_, b) => {
    let sum = 0;
    let squares = 0;
    for (let t = b * block; t < (b + 1) * block; t++) {
      sum += series[t];
      squares += series[t] * series[t];
    }
    return [sum, squares] as const;
  }));
  const sharpe = (blocks: ReadonlyArray<readonly [number, number]>, keep: (b: number) => boolean): number => {
    let sum = 0;
    let squares = 0;
    let count = 0;
    for (let b = 0; b < blocks.length; b++) {
      if (!keep(b)) continue;
      sum += blocks[b][0];
      squares += blocks[b][1];
      count += block;
    }
    const mean = sum / count;
    const variance = Math.max(0, squares / count - mean * mean);
    return variance === 0 ? 0 : mean / Math.sqrt(variance);
  };
  const halves: number[][] = [];
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length === partitions / 2) return void halves.push([...chosen]);
    for (let b = start; b < partitions; b++) pick(b + 1, [...chosen, b]);
  };
  pick(0, []);
  return halves.map((inSample) => {
    const chosen = new Set(inSample);
    const isSharpe = sums.map((blocks) => sharpe(blocks, (b) => chosen.has(b)));
    const oosSharpe = sums.map((blocks) => sharpe(blocks, (b) => !chosen.has(b)));
    let best = 0;
    for (let n = 1; n < returns.length; n++) if (isSharpe[n] > isSharpe[best]) best = n;
    const value = oosSharpe[best];
    let below = 0;
    let equal = 0;
    for (const other of oosSharpe) {
      if (other < value) below += 1;
      else if (other === value) equal += 1;
    }
    const omega = (below + (equal + 1) / 2) / (returns.length + 1);
    return Math.log(omega / (1 - omega));
  });
}

describe("PBO's block sums by flags", () => {
  it("give the logits of the first form bit for bit", () => {
    let state = 99;
    const next = (): number => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32) - 0.5;
    for (const [trials, length, partitions] of [[5, 64, 4], [12, 301, 8], [30, 1000, 16]] as const) {
      const returns = Array.from({ length: trials }, () => Array.from({ length }, () => next() * 0.02));
      const result = probabilityOfBacktestOverfitting(returns, partitions);
      const expected = pboAsFirstWritten(returns, partitions);
      expect(result.logits.length).toBe(expected.length);
      expect(result.logits.every((value, k) => Object.is(value, expected[k]))).toBe(true);
    }
  });
});

import type { SeededRandom } from "../../data/seededRandom.js";
import { normalCdf } from "../../reports/overfitting/normal.js";
import { canonicalJson, type CellValues } from "./grid.js";
import { coordinateBounds, fromCoordinate, toCoordinate, type ListParam, type RangeParam, type SearchSpace } from "./searchSpace.js";

/**
 * The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for
 * hyper-parameter optimization", §4), as hyperopt implements it, one parameter at a time:
 * - the trials so far are split by loss into the best γ share ("good", at least one) and the rest;
 * - per parameter, l(x) is a Parzen density over the good trials' values and g(x) over the
 *   others: for a range, a mixture of normals truncated to [min, max] in the search coordinate
 *   (log for log ranges), one per value with σ the larger gap to its sorted neighbours, clipped
 *   to [width / min(100, n + 1), width], plus a prior normal at the middle with σ = width; for
 *   a list, the choice counts plus one;
 * - `candidates` values are drawn from l, and the one with the largest l(x)/g(x) (the expected
 *   improvement's maximiser under the model) is proposed.
 * Pure: the proposal depends only on the space, the history (in its order) and the generator.
 */

export interface Trial {
  readonly values: CellValues;
  /** Smaller is better; +Infinity for a trial without a usable result (skipped, failed, too few trades). */
  readonly loss: number;
}

export interface TpeOptions {
  /** Share of trials modelled as good (default 0.25). */
  readonly gamma?: number;
  /** Draws from l(x) per parameter (default 24). */
  readonly candidates?: number;
}

export function proposeTpe(space: SearchSpace, history: readonly Trial[], random: SeededRandom, options: TpeOptions = {}): Record<string, unknown> {
  const gamma = options.gamma ?? 0.25;
  const candidates = options.candidates ?? 24;
  // A stable sort: equal losses keep the history's order, so the split is deterministic.
  const ranked = history.map((trial, index) => ({ trial, index })).sort((a, b) => (a.trial.loss - b.trial.loss) || (a.index - b.index)).map(({ trial }) => trial);
  const goodCount = Math.max(1, Math.ceil(gamma * ranked.length));
  const good = ranked.slice(0, goodCount);
  const bad = ranked.slice(goodCount);
  const values: Record<string, unknown> = {};
  for (const [path, param] of space) {
    values[path] = param.kind === "list"
      ? proposeChoice(param, good.map((trial) => trial.values[path]), bad.map((trial) => trial.values[path]), random, candidates)
      : proposeNumber(param, good.map((trial) => trial.values[path] as number), bad.map((trial) => trial.values[path] as number), random, candidates);
  }
  return values;
}

function proposeChoice(param: ListParam, good: readonly unknown[], bad: readonly unknown[], random: SeededRandom, candidates: number): unknown {
  const keys = param.values.map(canonicalJson);
  const weightsOf = (observed: readonly unknown[]): number[] => {
    const counts = keys.map(() => 1);
    for (const value of observed) {
      const index = keys.indexOf(canonicalJson(value));
      if (index >= 0) counts[index] += 1;
    }
    const total = counts.reduce((sum, count) => sum + count, 0);
    return counts.map((count) => count / total);
  };
  const l = weightsOf(good);
  const g = weightsOf(bad);
  let best = -1;
  let bestScore = -Infinity;
  for (let i = 0; i < candidates; i++) {
    const index = drawIndex(l, random);
    const score = Math.log(l[index]) - Math.log(g[index]);
    if (score > bestScore) [best, bestScore] = [index, score];
  }
  return param.values[best];
}

function drawIndex(weights: readonly number[], random: SeededRandom): number {
  let u = random.uniform();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

interface Mixture {
  readonly mus: readonly number[];
  readonly sigmas: readonly number[];
  /** Each truncated component's mass inside [low, high]. */
  readonly masses: readonly number[];
  readonly low: number;
  readonly high: number;
}

function proposeNumber(param: RangeParam, good: readonly number[], bad: readonly number[], random: SeededRandom, candidates: number): number {
  const l = parzen(param, good);
  const g = parzen(param, bad);
  let best = Number.NaN;
  let bestScore = -Infinity;
  for (let i = 0; i < candidates; i++) {
    const value = fromCoordinate(param, drawFrom(l, random));
    const x = toCoordinate(param, value);
    const score = Math.log(density(l, x)) - Math.log(density(g, x));
    if (score > bestScore || Number.isNaN(best)) [best, bestScore] = [value, score];
  }
  return best;
}

/** hyperopt's adaptive Parzen normal mixture over the observed coordinates, with the prior. */
export function parzen(param: RangeParam, observed: readonly number[]): Mixture {
  const [low, high] = coordinateBounds(param);
  const width = high - low;
  const priorMu = (low + high) / 2;
  const points = [...observed.map((value) => toCoordinate(param, value)), priorMu].sort((a, b) => a - b);
  const priorIndex = points.indexOf(priorMu);
  const minSigma = width / Math.min(100, points.length);
  const sigmas = points.map((mu, i) => {
    if (i === priorIndex) return width;
    const left = i > 0 ? mu - points[i - 1] : 0;
    const right = i < points.length - 1 ? points[i + 1] - mu : 0;
    return Math.min(width, Math.max(minSigma, left, right));
  });
  const masses = points.map((mu, i) => normalCdf((high - mu) / sigmas[i]) - normalCdf((low - mu) / sigmas[i]));
  return { mus: points, sigmas, masses, low, high };
}

/** The mixture's density at coordinate x (equal weights, each component truncated to [low, high]). */
export function density(mixture: Mixture, x: number): number {
  let sum = 0;
  for (let i = 0; i < mixture.mus.length; i++) {
    const z = (x - mixture.mus[i]) / mixture.sigmas[i];
    sum += Math.exp(-0.5 * z * z) / (mixture.sigmas[i] * Math.sqrt(2 * Math.PI) * Math.max(mixture.masses[i], 1e-12));
  }
  return Math.max(sum / mixture.mus.length, 1e-300);
}

function drawFrom(mixture: Mixture, random: SeededRandom): number {
  const i = random.integerBelow(mixture.mus.length);
  for (let attempt = 0; attempt < 100; attempt++) {
    const x = mixture.mus[i] + mixture.sigmas[i] * random.normal();
    if (x >= mixture.low && x <= mixture.high) return x;
  }
  return Math.min(mixture.high, Math.max(mixture.low, mixture.mus[i]));
}

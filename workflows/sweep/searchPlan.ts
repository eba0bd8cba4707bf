import { xoroshiro128plus } from "pure-rand";
import { SeededRandom } from "../../data/seededRandom.js";
import type { CellOutcome } from "./cellRunner.js";
import { cellIdOf, type CellValues } from "./grid.js";
import { drawUniform, spaceSizeOf, type SearchSpace } from "./searchSpace.js";
import type { SearchSettings, SweepSpec } from "./sweepFile.js";
import { proposeTpe, type Trial } from "./tpe.js";

/**
 * Which cells a random or TPE search runs, round by round (SWEEP.md "Search"). A round's cells
 * depend only on the seed and on the results of the earlier rounds in proposal order — never
 * on completion order or on how many workers there are — so a search is deterministic on 1 or
 * N threads and through the queue, and a resumed search proposes the same cells again (and
 * finds them in the journal).
 * - random: one round of `trials` distinct cells, each parameter drawn uniformly.
 * - tpe: the first STARTUP_TRIALS cells are random; then rounds of `batch` cells proposed by
 *   the TPE model (workflows/sweep/tpe.ts) fitted to every earlier result.
 * A proposal that repeats a cell already proposed is drawn again (up to REDRAWS times, then
 * uniformly); a space with fewer distinct cells than `trials` ends the search when exhausted.
 */

/** Random proposals before the TPE model takes over (hyperopt's and Optuna's default). */
export const STARTUP_TRIALS = 10;
const REDRAWS = 32;
const UNIFORM_REDRAWS = 1_000;

export class TrialPlanner {
  private readonly random: SeededRandom;
  private readonly seen = new Set<string>();
  private readonly trials: number;

  constructor(private readonly space: SearchSpace, private readonly settings: SearchSettings, seed: number) {
    this.random = new SeededRandom(xoroshiro128plus(seed));
    this.trials = Math.min(settings.trials ?? 0, spaceSizeOf(space));
  }

  /** The next round's cell values given every earlier result (in proposal order); empty when the search is over. */
  nextRound(history: readonly Trial[]): CellValues[] {
    const left = this.trials - this.seen.size;
    if (left <= 0) return [];
    const size = this.settings.method === "random" ? left : Math.min(left, history.length < STARTUP_TRIALS ? STARTUP_TRIALS - history.length : this.settings.batch);
    const round: CellValues[] = [];
    for (let i = 0; i < size; i++) {
      const values = this.propose(history);
      if (values === null) break;
      this.seen.add(cellIdOf(values));
      round.push(values);
    }
    return round;
  }

  private propose(history: readonly Trial[]): CellValues | null {
    const modelled = this.settings.method === "tpe" && history.length >= STARTUP_TRIALS;
    for (let attempt = 0; attempt < (modelled ? REDRAWS : 0); attempt++) {
      const values = proposeTpe(this.space, history, this.random);
      if (!this.seen.has(cellIdOf(values))) return values;
    }
    for (let attempt = 0; attempt < UNIFORM_REDRAWS; attempt++) {
      const values = Object.fromEntries(this.space.map(([path, param]) => [path, drawUniform(param, this.random)]));
      if (!this.seen.has(cellIdOf(values))) return values;
    }
    return null;
  }
}

/**
 * A finished cell's loss for the TPE model (smaller is better): the metric, negated under
 * direction max; +Infinity for a skipped or failed cell, an undefined metric, or fewer trades
 * than minTrades (a cell the table would not rank).
 */
export function lossOf(outcome: CellOutcome | undefined, spec: Pick<SweepSpec, "metric" | "direction" | "minTrades">): number {
  if (outcome === undefined || outcome.status !== "done") return Infinity;
  const value = outcome.metrics[spec.metric];
  if (value === null || value === undefined || !Number.isFinite(value) || (outcome.metrics.tradeCount ?? 0) < spec.minTrades) return Infinity;
  return spec.direction === "max" ? -value : value;
}

import { deflatedSharpeRatio, returnMoments } from "../../reports/overfitting/deflatedSharpe.js";
import { probabilityOfBacktestOverfitting } from "../../reports/overfitting/pbo.js";
import type { CellOutcome } from "./cellRunner.js";

/**
 * The overfitting statistics of a sweep (README "Overfitting statistics"), over its ranked
 * cells (done, at least minTrades trades) and their daily returns: the probability of backtest
 * overfitting by CSCV with `partitions` blocks, and the deflated Sharpe ratio of the rank-1
 * cell given the number of ranked cells as trials. Null values say why they could not be computed.
 */

/** CSCV blocks S by default, as in Bailey et al. (2015): C(16, 8) = 12 870 splits. */
export const DEFAULT_PBO_PARTITIONS = 16;

export interface SweepOverfitting {
  /** Ranked cells with daily returns: the trials N. */
  readonly trials: number;
  /** Days T of every trial's returns. */
  readonly days: number;
  readonly partitions: number;
  readonly pbo: number | null;
  readonly pboSplits: number | null;
  /** The rank-1 cell's daily Sharpe ratio, the luck threshold SR₀ for N trials, and DSR. */
  readonly deflatedSharpe: { readonly cellId: string; readonly dailySharpe: number; readonly expectedMaxSharpe: number; readonly probability: number } | null;
  /** Why a statistic is null, else null. */
  readonly note: string | null;
}

/** `rows` in rank order (sweepTable.ts's SweepRow; only the rank and the cell id are read). */
export function sweepOverfittingOf(rows: ReadonlyArray<{ readonly rank: number | null; readonly cellId: string }>, outcomes: ReadonlyMap<string, CellOutcome>, partitions: number): SweepOverfitting {
  const ranked = rows.filter((row) => row.rank !== null);
  const series = ranked.map((row) => {
    const outcome = outcomes.get(row.cellId);
    return outcome?.status === "done" ? outcome.dailyReturns : undefined;
  });
  const empty = (note: string, days = 0): SweepOverfitting => ({ trials: ranked.length, days, partitions, pbo: null, pboSplits: null, deflatedSharpe: null, note });
  if (ranked.length < 2) return empty("needs at least two ranked cells");
  if (series.some((returns) => returns === undefined)) return empty("a ranked cell has no daily returns (journaled by an older version: rerun with --no-resume)");
  const returns = series as ReadonlyArray<ArrayLike<number>>;
  const days = returns[0].length;
  if (returns.some((values) => values.length !== days)) return empty("the ranked cells cover different days");
  if (days < 2 * partitions) return empty(`needs at least ${2 * partitions} days for ${partitions} partitions (has ${days}): lower --pbo-partitions`, days);
  const moments = returns.map(returnMoments);
  const sharpes = moments.map((m) => (Number.isFinite(m.sharpe) ? m.sharpe : 0));
  const mean = sharpes.reduce((sum, value) => sum + value, 0) / sharpes.length;
  const variance = sharpes.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (sharpes.length - 1);
  const best = moments[0];
  const dsr = Number.isFinite(best.sharpe) && Number.isFinite(best.kurtosis)
    ? deflatedSharpeRatio({ ...best, trials: ranked.length, sharpeVariance: variance, observations: days })
    : null;
  const pbo = probabilityOfBacktestOverfitting(returns, partitions);
  return {
    trials: ranked.length, days, partitions, pbo: pbo.pbo, pboSplits: pbo.splits,
    deflatedSharpe: dsr === null ? null : { cellId: ranked[0].cellId, dailySharpe: best.sharpe, expectedMaxSharpe: dsr.expectedMaxSharpe, probability: dsr.probability },
    note: dsr === null ? "the rank-1 cell's daily returns are constant: no Sharpe ratio" : null,
  };
}

/** One terminal line. */
export function formatOverfittingLine(stats: SweepOverfitting): string {
  if (stats.pbo === null) return `overfitting: not computed (${stats.note})`;
  const dsr = stats.deflatedSharpe === null ? `deflated Sharpe: ${stats.note}`
    : `deflated Sharpe of #1: ${stats.deflatedSharpe.probability.toFixed(3)} (daily SR ${stats.deflatedSharpe.dailySharpe.toFixed(4)} vs ${stats.deflatedSharpe.expectedMaxSharpe.toFixed(4)} expected from luck)`;
  return `overfitting: PBO ${stats.pbo.toFixed(3)} over ${stats.trials} ranked cells × ${stats.days} days (S = ${stats.partitions}, ${stats.pboSplits} splits); ${dsr}`;
}

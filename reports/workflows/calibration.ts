/**
 * Calibration view of the `tiers` workflow (SPEC §8: "is win rate monotone in confidence?").
 *
 * Only tiers with at least `minTrades` trades are judged (a 3-trade tier's win rate is noise).
 * Ordered from the lowest confidence up, the win rate should not fall from one judged tier to
 * the next; every fall is an inversion. Expectancy (mean return on margin — per unit of capital
 * committed, so a confidence-dependent size does not inflate the higher tiers) is checked the
 * same way. The Spearman rank correlation between tier order and win rate summarises the trend.
 */

export const DEFAULT_MIN_TRADES_PER_TIER = 10;

/** What the calibration needs of a tier; rows ordered from the LOWEST confidence up. */
export interface CalibrationInput {
  readonly tier: string;
  readonly trades: number;
  readonly winRatePct: number | null;
  readonly expectancyReturnOnMarginPct: number | null;
}

export interface CalibrationInversion {
  readonly metric: "winRate" | "expectancy";
  /** The lower-confidence tier … */
  readonly lowerTier: string;
  /** … and the higher-confidence tier, which did worse. */
  readonly higherTier: string;
  readonly lowerValue: number;
  readonly higherValue: number;
}

/** `monotone`: no win-rate inversion; `flat`: every judged tier has the same win rate. */
export type CalibrationStatus = "monotone" | "not monotone" | "flat" | "too few trades";

export interface Calibration {
  readonly minTrades: number;
  /** Tiers judged, lowest confidence first; empty when there were too few trades to judge. */
  readonly tiersJudged: readonly string[];
  /** Spearman ρ between tier order and win rate; null with < 2 tiers or equal win rates. */
  readonly winRateSpearman: number | null;
  readonly expectancySpearman: number | null;
  /** Adjacent judged tiers where the higher-confidence one did strictly worse. */
  readonly inversions: readonly CalibrationInversion[];
  readonly status: CalibrationStatus;
  /** One line for people, e.g. "Win rate rises with confidence (ρ = 0.90): confidence is informative." */
  readonly verdict: string;
}

/** Ranks from 1, ties sharing their average rank. */
function ranksOf(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].index] = averageRank;
    start = end + 1;
  }
  return ranks;
}

/** Spearman's ρ: the Pearson correlation of the ranks (ties averaged); null when undefined. */
export function spearmanCorrelation(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length || x.length < 2) return null;
  const rx = ranksOf(x);
  const ry = ranksOf(y);
  const mean = (x.length + 1) / 2;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < rx.length; i++) {
    covariance += (rx[i] - mean) * (ry[i] - mean);
    varianceX += (rx[i] - mean) ** 2;
    varianceY += (ry[i] - mean) ** 2;
  }
  if (varianceX === 0 || varianceY === 0) return null;
  return covariance / Math.sqrt(varianceX * varianceY);
}

function inversionsOf(judged: readonly CalibrationInput[], metric: CalibrationInversion["metric"]): CalibrationInversion[] {
  const valueOf = (row: CalibrationInput): number | null => (metric === "winRate" ? row.winRatePct : row.expectancyReturnOnMarginPct);
  const inversions: CalibrationInversion[] = [];
  for (let i = 1; i < judged.length; i++) {
    const lowerValue = valueOf(judged[i - 1]);
    const higherValue = valueOf(judged[i]);
    if (lowerValue !== null && higherValue !== null && higherValue < lowerValue) {
      inversions.push({ metric, lowerTier: judged[i - 1].tier, higherTier: judged[i].tier, lowerValue, higherValue });
    }
  }
  return inversions;
}

function rho(value: number | null): string {
  return value === null ? "ρ undefined" : `ρ = ${value.toFixed(2)}`;
}

function listInversions(inversions: readonly CalibrationInversion[], verb: string): string {
  return inversions.map((inversion) => `${inversion.higherTier} ${verb} less than ${inversion.lowerTier}`).join("; ");
}

function expectancySentence(inversions: readonly CalibrationInversion[], spearman: number | null): string {
  if (spearman === null) return "Expectancy is the same in every tier.";
  if (inversions.length === 0) return `Expectancy rises with confidence too (${rho(spearman)}).`;
  return `Expectancy is not monotone (${rho(spearman)}): ${listInversions(inversions, "earns")}.`;
}

/** Judges whether win rate (and expectancy) rise with confidence across the tiers given. */
export function assessCalibration(
  tiersFromLowest: readonly CalibrationInput[],
  minTrades = DEFAULT_MIN_TRADES_PER_TIER,
): Calibration {
  const judged = tiersFromLowest.filter((row) => row.trades >= minTrades && row.trades > 0);
  if (judged.length < 2) {
    const counts = tiersFromLowest.map((row) => `${row.tier} ${row.trades}`).join(", ");
    return {
      minTrades, tiersJudged: [], winRateSpearman: null, expectancySpearman: null, inversions: [],
      status: "too few trades",
      verdict: `Too few trades per tier to judge: fewer than two tiers have at least ${minTrades} trades (${counts}).`,
    };
  }
  const tiersJudged = judged.map((row) => row.tier);
  const order = judged.map((_, index) => index);
  const winRates = judged.map((row) => row.winRatePct ?? 0);
  const expectancies = judged.map((row) => row.expectancyReturnOnMarginPct ?? 0);
  const winRateSpearman = spearmanCorrelation(order, winRates);
  const expectancySpearman = spearmanCorrelation(order, expectancies);
  const winInversions = inversionsOf(judged, "winRate");
  const expectancyInversions = inversionsOf(judged, "expectancy");
  const expectancy = expectancySentence(expectancyInversions, expectancySpearman);
  let status: CalibrationStatus;
  let verdict: string;
  if (winRateSpearman === null) {
    status = "flat";
    verdict = `Win rate is the same in every tier (${rho(null)}): confidence is not informative about winning. ${expectancy}`;
  } else if (winInversions.length === 0) {
    status = "monotone";
    verdict = `Win rate rises with confidence (${rho(winRateSpearman)}): confidence is informative. ${expectancy}`;
  } else {
    status = "not monotone";
    verdict = `Win rate is not monotone in confidence (${rho(winRateSpearman)}): ${listInversions(winInversions, "wins")}. ${expectancy}`;
  }
  return {
    minTrades, tiersJudged, winRateSpearman, expectancySpearman,
    inversions: [...winInversions, ...expectancyInversions],
    status, verdict,
  };
}

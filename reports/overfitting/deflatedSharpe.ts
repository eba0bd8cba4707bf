import { normalCdf, normalQuantile } from "./normal.js";

/**
 * The Deflated Sharpe Ratio (Bailey & López de Prado 2014, "The Deflated Sharpe Ratio:
 * Correcting for Selection Bias, Backtest Overfitting and Non-Normality", eq. 2 and the
 * expected maximum of N Sharpe ratios): the probability that the best of N trials has a true
 * Sharpe ratio above zero, given how many trials were run, how much their Sharpe ratios vary,
 * the sample length and the skew and kurtosis of the chosen trial's returns. Every Sharpe ratio
 * here is per period (not annualised), over the same periods as `observations`.
 */

const EULER_MASCHERONI = 0.5772156649015329;

export interface DeflatedSharpeInput {
  /** The selected trial's Sharpe ratio per period (SR̂*). */
  readonly sharpe: number;
  /** Independent trials N (≥ 1). */
  readonly trials: number;
  /** Variance of the trials' per-period Sharpe ratios, V[{SR̂ₙ}]. */
  readonly sharpeVariance: number;
  /** Return observations T of the selected trial. */
  readonly observations: number;
  /** Skewness γ₃ of its returns. */
  readonly skewness: number;
  /** Kurtosis γ₄ of its returns (3 for a normal distribution; not the excess). */
  readonly kurtosis: number;
}

export interface DeflatedSharpe {
  /** SR₀: the Sharpe ratio the best of N trials reaches by luck alone (expected maximum under no skill). */
  readonly expectedMaxSharpe: number;
  /** DSR = Φ(z): the probability that the true Sharpe ratio exceeds SR₀. */
  readonly probability: number;
  readonly z: number;
}

/** SR₀ = √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))), γ the Euler–Mascheroni constant; 0 for one trial. */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1) return 0;
  return Math.sqrt(sharpeVariance) * ((1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / trials) + EULER_MASCHERONI * normalQuantile(1 - 1 / (trials * Math.E)));
}

/** DSR = Φ((SR̂* − SR₀) √(T − 1) / √(1 − γ₃ SR̂* + (γ₄ − 1)/4 · SR̂*²)). */
export function deflatedSharpeRatio(input: DeflatedSharpeInput): DeflatedSharpe {
  const threshold = expectedMaxSharpe(input.trials, input.sharpeVariance);
  const { sharpe } = input;
  const z = ((sharpe - threshold) * Math.sqrt(input.observations - 1)) / Math.sqrt(1 - input.skewness * sharpe + ((input.kurtosis - 1) / 4) * sharpe * sharpe);
  return { expectedMaxSharpe: threshold, probability: normalCdf(z), z };
}

/** Per-period Sharpe ratio, skewness and kurtosis (population moments, as the paper's estimators) of a return series. */
export function returnMoments(returns: ArrayLike<number>): { sharpe: number; skewness: number; kurtosis: number } {
  const n = returns.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += returns[i];
  const mean = total / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = returns[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const sd = Math.sqrt(m2);
  return { sharpe: mean / sd, skewness: m3 / (sd * sd * sd), kurtosis: m4 / (m2 * m2) };
}

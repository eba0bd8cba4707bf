/**
 * The features of the model-in-the-loop example, computed causally: the vector of bar i
 * reads closes 0..i only. Shared by the training script and the strategy, so the model sees
 * at run time exactly what it was trained on.
 */
export const FEATURE_NAMES = ["return1", "return4", "return24", "volatility24", "distanceFromMean24"] as const;

/** Bars a feature vector needs before it: the first bar with features is LOOKBACK. */
export const LOOKBACK = 24;

/** The features of bar i (into `out`), or false before LOOKBACK bars exist. */
export function featuresAt(close: Float64Array, i: number, out: Float64Array): boolean {
  if (i < LOOKBACK) return false;
  let sum = 0;
  let sumSquares = 0;
  for (let k = i - LOOKBACK + 1; k <= i; k++) {
    const r = Math.log(close[k] / close[k - 1]);
    sum += r;
    sumSquares += r * r;
  }
  const mean = sum / LOOKBACK;
  let average = 0;
  for (let k = i - LOOKBACK + 1; k <= i; k++) average += close[k];
  average /= LOOKBACK;
  out[0] = Math.log(close[i] / close[i - 1]);
  out[1] = Math.log(close[i] / close[i - 4]);
  out[2] = Math.log(close[i] / close[i - LOOKBACK]);
  out[3] = Math.sqrt(Math.max(sumSquares / LOOKBACK - mean * mean, 0));
  out[4] = Math.log(close[i] / average);
  return true;
}

/** A logistic model over standardised features: p(up) = σ(bias + Σ weight_j · (x_j − mean_j) / scale_j). */
export interface LogisticModel {
  readonly features: readonly string[];
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
  readonly horizonBars: number;
  readonly provenance: Readonly<Record<string, unknown>>;
}

export function probabilityUp(model: LogisticModel, x: Float64Array): number {
  let z = model.bias;
  for (let j = 0; j < x.length; j++) z += model.weights[j] * ((x[j] - model.mean[j]) / model.scale[j]);
  return 1 / (1 + Math.exp(-z));
}

/** The examples' rule: BUY when p(up) > 0.5 + edge, SELL when p(up) < 0.5 − edge, confidence growing with |p − 0.5|. */
export function signalOfProbability(p: number, edge: number): { action: "BUY" | "SELL"; confidence: number } | null {
  const confidence = Math.min(1, 0.5 + 5 * Math.abs(p - 0.5));
  return p > 0.5 + edge ? { action: "BUY", confidence } : p < 0.5 - edge ? { action: "SELL", confidence } : null;
}

// @ts-check
/**
 * Example strategy module using `computeSignals` (see strategies/signals/userModule.ts):
 * a simple-moving-average cross computed once over the whole series with running sums.
 * Every value at bar i uses closes 0..i only — `checkLookahead` verifies that in the tests.
 * BUY on the bar where SMA(fast) closes above SMA(slow) after being at or below it, SELL on
 * the reverse. Confidence 0.5 + 0.5 × min(1, |fast − slow| / close / fullStrengthPct).
 *
 *   const loaded = await loadUserSignalModule("strategies/signals/examples/smaCross.mjs");
 */

/** @type {{ fast: number, slow: number, fullStrengthPct: number }} */
export const defaultParams = { fast: 10, slow: 30, fullStrengthPct: 0.005 };

/**
 * @param {import("../../../engine/types.js").BarSeries} series
 * @param {Readonly<Record<string, unknown>>} params
 * @returns {import("../../../engine/types.js").SignalColumns}
 */
export function computeSignals(series, params) {
  const fast = Number(params.fast);
  const slow = Number(params.slow);
  const fullStrengthPct = Number(params.fullStrengthPct);
  const n = series.length;
  const close = series.close;
  const action = new Int8Array(n);
  const confidence = new Float64Array(n).fill(NaN);
  const score = new Float64Array(n).fill(NaN);
  let fastSum = 0;
  let slowSum = 0;
  let previousGap = NaN;
  for (let i = 0; i < n; i++) {
    fastSum += close[i] - (i >= fast ? close[i - fast] : 0);
    slowSum += close[i] - (i >= slow ? close[i - slow] : 0);
    const gap = i >= slow - 1 ? fastSum / fast - slowSum / slow : NaN;
    const side = previousGap <= 0 && gap > 0 ? 1 : previousGap >= 0 && gap < 0 ? -1 : 0;
    if (side !== 0) {
      const strength = Math.min(1, Math.abs(gap) / close[i] / fullStrengthPct);
      action[i] = side;
      confidence[i] = 0.5 + 0.5 * strength;
      score[i] = side * strength;
    }
    previousGap = gap;
  }
  // sizeMultiplier is left out: every entry is sized as configured (an absent column is NaN, "none").
  return { action, confidence, score };
}

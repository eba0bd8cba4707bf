import type { SignalColumns, SparseSignals } from "./types.js";

/**
 * Keeps only the bars with a BUY or SELL of a symbol's signal columns. Signals are rare
 * next to bars (a 1-minute year has 525 600 bars and a few thousand signals), so the
 * replay stores them this way: memory follows the signals, not the bars.
 */
export function sparsifySignals(columns: SignalColumns): SparseSignals {
  const n = columns.action.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (columns.action[i] !== 0) count++;
  const index = new Int32Array(count);
  const action = new Int8Array(count);
  const confidence = new Float64Array(count);
  const score = new Float64Array(count);
  const sizeMultiplier = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (columns.action[i] === 0) continue;
    index[k] = i;
    action[k] = columns.action[i];
    confidence[k] = columns.confidence[i];
    score[k] = columns.score[i];
    sizeMultiplier[k] = columns.sizeMultiplier[i];
    k++;
  }
  return { sparse: true, length: count, index, action, confidence, score, sizeMultiplier };
}

/** The sparse form of either representation. */
export function asSparseSignals(signals: SignalColumns | SparseSignals): SparseSignals {
  return "sparse" in signals ? signals : sparsifySignals(signals);
}

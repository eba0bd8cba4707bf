import type { SignalColumns, SparseSignals } from "./types.js";

/**
 * Keeps only the bars with a BUY or SELL of a symbol's signal columns. Signals are rare
 * next to bars (a 1-minute year has 525 600 bars and a few thousand signals), so the
 * replay stores them this way: memory follows the signals, not the bars.
 */
export function sparsifySignals(columns: SignalColumns): SparseSignals {
  const index = signalRows(columns.action);
  const count = index.length;
  const action = new Int8Array(count);
  const confidence = new Float64Array(count);
  const score = new Float64Array(count);
  const sizeMultiplier = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const i = index[k];
    action[k] = columns.action[i];
    confidence[k] = columns.confidence[i];
    score[k] = columns.score[i];
    sizeMultiplier[k] = columns.sizeMultiplier[i];
  }
  return { sparse: true, length: count, index, action, confidence, score, sizeMultiplier };
}

/**
 * The rows whose action is not 0, in order. Most bars hold no signal, so the action bytes
 * are read four at a time as one 32-bit word (a zero word is four HOLDs) and only the bytes of
 * a non-zero word are looked at, in one pass into a bar-sized scratch array of which only the
 * part written is ever touched: this runs once per symbol, mostly before the JIT has optimised
 * it, so the fewer iterations the better.
 */
export function signalRows(action: Int8Array): Int32Array {
  const n = action.length;
  const words = action.byteOffset % 4 === 0 ? new Int32Array(action.buffer, action.byteOffset, n >> 2) : new Int32Array(0);
  const rows = new Int32Array(n);
  let count = 0;
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0) continue;
    for (let i = w * 4; i < w * 4 + 4; i++) if (action[i] !== 0) rows[count++] = i;
  }
  for (let i = words.length * 4; i < n; i++) if (action[i] !== 0) rows[count++] = i;
  return rows.slice(0, count);
}

/** The sparse form of either representation. */
export function asSparseSignals(signals: SignalColumns | SparseSignals): SparseSignals {
  return "sparse" in signals ? signals : sparsifySignals(signals);
}

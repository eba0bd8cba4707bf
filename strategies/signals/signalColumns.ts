import { ConfigError, freshArray, type SignalColumns } from "../../engine/index.js";

/** SignalColumns whose arrays a source may still fill in. */
export type WritableSignalColumns = { -readonly [K in keyof SignalColumns]: SignalColumns[K] };

/** Columns of `length` HOLD bars: action 0, confidence, score and size multiplier NaN (none). */
export function emptySignalColumns(length: number): WritableSignalColumns {
  return {
    action: freshArray(Int8Array, length),
    confidence: freshArray(Float64Array, length).fill(NaN),
    score: freshArray(Float64Array, length).fill(NaN),
    sizeMultiplier: freshArray(Float64Array, length).fill(NaN),
  };
}

/**
 * Writes one BUY (side 1) or SELL (side −1) with the convention every built-in shares:
 * `strength` in 0..1 measures how decisive the signal is, `confidence = 0.5 + 0.5 × strength`
 * (so a built-in signal always clears the default 0.45 confidence gate, and the strongest
 * reach 1) and `score = side × strength`.
 */
export function writeSignal(columns: WritableSignalColumns, index: number, side: 1 | -1, strength: number): void {
  const clamped = Math.min(1, Math.max(0, strength));
  columns.action[index] = side;
  columns.confidence[index] = 0.5 + 0.5 * clamped;
  columns.score[index] = side * clamped;
}

/** Throws a ConfigError naming `signals.<key>` unless the setting is an integer ≥ `min`. */
export function requireInteger(source: string, key: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(
      `${source}: ${key} must be an integer ≥ ${min}, got ${value}`, `signals.${key}`, `set signals.${key} to a whole number of bars ≥ ${min}`,
    );
  }
}

/** Throws a ConfigError naming `signals.<key>` unless the setting is finite and > 0. */
export function requirePositive(source: string, key: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new ConfigError(`${source}: ${key} must be a number > 0, got ${value}`, `signals.${key}`, `set signals.${key} to a positive number`);
  }
}

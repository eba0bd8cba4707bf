import { ConfigError, freshArray, type BarSeries, type SignalColumns, type SparseSignals } from "../../engine/index.js";

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

/** Where a built-in source puts its signals, one bar at a time in bar order: dense columns or sparse rows. */
export interface SignalTarget {
  put(index: number, side: 1 | -1, confidence: number, score: number): void;
}

/** A target writing into columns of every bar (`emptySignalColumns`). */
export function columnTarget(columns: WritableSignalColumns): SignalTarget {
  return {
    put(index, side, confidence, score) {
      columns.action[index] = side;
      columns.confidence[index] = confidence;
      columns.score[index] = score;
    },
  };
}

/** A source that puts its signals into a target, made to return them as columns of every bar. */
export function denseSignals<Settings>(
  emit: (series: BarSeries, settings: Settings, target: SignalTarget) => void,
): (series: BarSeries, settings: Settings) => SignalColumns {
  return (series, settings) => {
    const columns = emptySignalColumns(series.length);
    emit(series, settings, columnTarget(columns));
    return columns;
  };
}

/**
 * A target keeping only the bars with a signal: what `sparsifySignals` makes of the columns of
 * every bar, without them (a minute-bar run's four signal columns are tens of MB, written once
 * and dropped). Indexes must come in increasing order, as every built-in writes them.
 */
export class SparseSignalRows implements SignalTarget {
  private count = 0;
  private index = new Int32Array(INITIAL_ROWS);
  private action = new Int8Array(INITIAL_ROWS);
  private confidence = new Float64Array(INITIAL_ROWS);
  private score = new Float64Array(INITIAL_ROWS);

  put(index: number, side: 1 | -1, confidence: number, score: number): void {
    if (this.count > 0 && index <= this.index[this.count - 1]) throw new Error(`SparseSignalRows: bar ${index} after bar ${this.index[this.count - 1]}`);
    if (this.count === this.index.length) this.grow();
    this.index[this.count] = index;
    this.action[this.count] = side;
    this.confidence[this.count] = confidence;
    this.score[this.count] = score;
    this.count++;
  }

  /** The rows as `SparseSignals` (no size multiplier: NaN). */
  finish(): SparseSignals {
    const length = this.count;
    return {
      sparse: true, length, index: this.index.slice(0, length), action: this.action.slice(0, length),
      confidence: this.confidence.slice(0, length), score: this.score.slice(0, length), sizeMultiplier: new Float64Array(length).fill(NaN),
    };
  }

  private grow(): void {
    const grown = <T extends Int32Array | Int8Array | Float64Array>(array: T): T => {
      const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
      bigger.set(array);
      return bigger;
    };
    this.index = grown(this.index);
    this.action = grown(this.action);
    this.confidence = grown(this.confidence);
    this.score = grown(this.score);
  }
}

const INITIAL_ROWS = 1024;

/**
 * Writes one BUY (side 1) or SELL (side −1) with the convention every built-in shares:
 * `strength` in 0..1 measures how decisive the signal is, `confidence = 0.5 + 0.5 × strength`
 * (so a built-in signal always clears the default 0.45 confidence gate, and the strongest
 * reach 1) and `score = side × strength`.
 */
export function writeSignal(target: SignalTarget, index: number, side: 1 | -1, strength: number): void {
  const clamped = Math.min(1, Math.max(0, strength));
  target.put(index, side, 0.5 + 0.5 * clamped, side * clamped);
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

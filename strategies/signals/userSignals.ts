import { freshArray, type SignalColumns } from "../../engine/index.js";
import { MAX_SIZE_MULTIPLIER } from "./signalLimits.js";
import { emptySignalColumns, type WritableSignalColumns } from "./signalColumns.js";

/** One signal as a user module returns it (SPEC §3); a missing field means "none". */
export interface SignalLike {
  readonly action: "BUY" | "SELL" | "HOLD";
  /** 0..1. */
  readonly confidence?: number;
  /** −1..1. */
  readonly score?: number;
  /** ≥ 0; multiplies the sized amount. */
  readonly sizeMultiplier?: number;
}

const ACTION_CODES: Readonly<Record<string, 1 | -1 | 0>> = { BUY: 1, SELL: -1, HOLD: 0 };

/** A value read from user code that is not a valid signal: what is wrong and at which bar. */
export interface SignalProblem {
  readonly index: number;
  readonly problem: string;
}

/**
 * Writes one `SignalLike` (or null/undefined = HOLD) at `index`; returns what is wrong
 * instead when the value is not a valid signal. Nothing is coerced or defaulted silently:
 * an unknown action or a confidence that is not a number in 0..1 is an error.
 */
export function writeSignalLike(columns: WritableSignalColumns, index: number, value: unknown): string | null {
  try {
    return writeSignalFields(columns, index, value);
  } catch {
    // A getter on the returned object threw: report it as a bad return, not a crash.
    return "the returned signal could not be read (a property getter threw)";
  }
}

function writeSignalFields(columns: WritableSignalColumns, index: number, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return `expected a signal object or null, got ${describe(value)}`;
  const signal = value as Record<string, unknown>;
  const action = typeof signal.action === "string" ? ACTION_CODES[signal.action] : undefined;
  if (action === undefined) {
    const upper = typeof signal.action === "string" ? ACTION_CODES[signal.action.toUpperCase()] : undefined;
    const hint = upper === undefined ? "" : ` (did you mean "${String(signal.action).toUpperCase()}"?)`;
    return `action must be "BUY", "SELL" or "HOLD", got ${describe(signal.action)}${hint}`;
  }
  const confidence = optionalNumber(signal, "confidence", 0, 1);
  if (typeof confidence === "string") return confidence;
  const score = optionalNumber(signal, "score", -1, 1);
  if (typeof score === "string") return score;
  const sizeMultiplier = optionalNumber(signal, "sizeMultiplier", 0, MAX_SIZE_MULTIPLIER);
  if (typeof sizeMultiplier === "string") return sizeMultiplier;
  columns.action[index] = action;
  columns.confidence[index] = confidence;
  columns.score[index] = score;
  columns.sizeMultiplier[index] = sizeMultiplier;
  return null;
}

/** An array of `SignalLike | null`, one per bar, into columns. */
export function columnsFromSignalList(list: readonly unknown[], length: number): SignalColumns | SignalProblem {
  if (list.length !== length) return { index: -1, problem: `returned ${list.length} signals for ${length} bars (one per bar, null for none)` };
  const columns = emptySignalColumns(length);
  for (let i = 0; i < length; i++) {
    const problem = writeSignalLike(columns, i, list[i]);
    if (problem !== null) return { index: i, problem };
  }
  return columns;
}

/**
 * Columns returned by user code, checked value by value and copied (so later changes to
 * the user's arrays cannot alter the run). `action` is required; the other columns are
 * optional and NaN where absent. Any array-like of numbers is accepted.
 */
export function columnsFromUserColumns(value: Record<string, unknown>, length: number): SignalColumns | SignalProblem {
  // Zeroed, not NaN-filled: a given column is copied over its array, an absent one filled with NaN (none) below.
  const columns: WritableSignalColumns = {
    action: freshArray(Int8Array, length), confidence: freshArray(Float64Array, length), score: freshArray(Float64Array, length),
    sizeMultiplier: freshArray(Float64Array, length),
  };
  const fields = ["action", "confidence", "score", "sizeMultiplier"] as const;
  for (const field of fields) {
    const source = value[field];
    if (source === undefined && field !== "action") {
      columns[field].fill(NaN);
      continue;
    }
    if (!isArrayLike(source)) return { index: -1, problem: `${field} must be an array with one value per bar, got ${describe(source)}` };
    if (source.length !== length) return { index: -1, problem: `${field} has ${source.length} values for ${length} bars` };
    const target = columns[field];
    const bad = isNumberArray(source) ? firstBadNumber(field, source, length) : firstBadValue(field, source, length);
    if (bad >= 0) return { index: bad, problem: checkColumnValue(field, source[bad]) as string };
    target.set(source as ArrayLike<number>);
  }
  return columns;
}

/** A typed array of numbers (not BigInt64Array/BigUint64Array, whose elements are bigints). */
function isNumberArray(value: ArrayLike<unknown>): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** The first index whose value `checkColumnValue` refuses, or −1: the same rule, as one tight loop over numbers. */
function firstBadNumber(field: "action" | "confidence" | "score" | "sizeMultiplier", values: ArrayLike<number>, length: number): number {
  if (field === "action") {
    for (let i = 0; i < length; i++) {
      const value = values[i];
      if (value !== 0 && value !== 1 && value !== -1) return i;
    }
    return -1;
  }
  const min = field === "score" ? -1 : 0;
  const max = field === "confidence" || field === "score" ? 1 : MAX_SIZE_MULTIPLIER;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    // NaN (none) passes; a finite value within [min, max] passes (max is finite, so ±Infinity fails).
    if (value === value && !(value >= min && value <= max)) return i;
  }
  return -1;
}

/** The first index whose value `checkColumnValue` refuses, or −1, for a plain array (any element type). */
function firstBadValue(field: "action" | "confidence" | "score" | "sizeMultiplier", values: ArrayLike<unknown>, length: number): number {
  for (let i = 0; i < length; i++) if (checkColumnValue(field, values[i]) !== null) return i;
  return -1;
}

function checkColumnValue(field: "action" | "confidence" | "score" | "sizeMultiplier", value: unknown): string | null {
  if (typeof value !== "number") return `${field} must be a number, got ${describe(value)}`;
  if (field === "action") return value === 1 || value === -1 || value === 0 ? null : `action must be 1 (BUY), -1 (SELL) or 0 (HOLD), got ${value}`;
  if (value !== value) return null;
  // No [min, max] array per value: this runs for every bar of every column.
  const min = field === "score" ? -1 : 0;
  const max = field === "confidence" || field === "score" ? 1 : MAX_SIZE_MULTIPLIER;
  return value >= min && value <= max && Number.isFinite(value) ? null : `${field} must be in [${min}, ${max}] or NaN (none), got ${value}`;
}

/** The number, NaN when absent, or a description of why it is invalid. */
function optionalNumber(signal: Record<string, unknown>, field: string, min: number, max: number): number | string {
  const value = signal[field];
  if (value === undefined || value === null) return NaN;
  if (typeof value !== "number" || !Number.isFinite(value)) return `${field} must be a finite number, got ${describe(value)}`;
  if (value < min || value > max) return `${field} must be in [${min}, ${max}], got ${value}`;
  return value;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "function" ? "a function" : "an object";
}

/**
 * Where the user's strategy code is running, for the CLI's message when a signal stops a run
 * (README "Safety": a strategy stuck in a loop is stopped, naming the symbol and bar). Each
 * call site of user code stores the function, the symbol and the bar in a typed array before
 * the call and clears the function after it: plain stores, no allocation. The CLI runs a
 * command in a worker thread and shares the array's buffer (`shareCallSite`), so it can read
 * the last call site after terminating a worker stuck inside one. Without a shared buffer the
 * stores go to a local array nobody reads.
 */

/** The user functions a call site names, by code (0: no user code running). */
export const CALLED_FUNCTIONS = ["", "prepare", "computeSignals", "onBar"] as const;
export const CALLED_PREPARE = 1;
export const CALLED_COMPUTE_SIGNALS = 2;
export const CALLED_ON_BAR = 3;

/** Slots of `callSite()`: function code, symbol index, bar index (−1: the whole series), symbol-table length. */
export const SITE_FUNCTION = 0;
export const SITE_SYMBOL = 1;
export const SITE_BAR = 2;
const SITE_NAMES_LENGTH = 3;
const TIME_OFFSET = 16;
const NAMES_OFFSET = 24;
/** Bytes of a shared call-site buffer: the slots, the bar's time and the symbol names as JSON. */
export const CALL_SITE_BYTES = 4096;

let slots: Int32Array<ArrayBufferLike> = new Int32Array(4);
let time: Float64Array<ArrayBufferLike> = new Float64Array(1);
let names: Uint8Array | null = null;

/** Makes the call sites write into `buffer` (a worker's, shared with the thread that may stop it). */
export function shareCallSite(buffer: SharedArrayBuffer): void {
  slots = new Int32Array(buffer, 0, 4);
  time = new Float64Array(buffer, TIME_OFFSET, 1);
  names = new Uint8Array(buffer, NAMES_OFFSET);
}

/** The slots a call site stores into (captured once per run by the caller). */
export function callSite(): Int32Array<ArrayBufferLike> {
  return slots;
}

/** The open time of the bar a call site is at (ms), stored beside the slots. */
export function callSiteTime(): Float64Array<ArrayBufferLike> {
  return time;
}

/** Records the run's symbol names (indexes of SITE_SYMBOL), once per run; names that do not fit are left out. */
export function callSiteSymbols(symbols: readonly string[]): void {
  if (names === null) return;
  const encoded = new TextEncoder().encode(JSON.stringify(symbols));
  const length = encoded.length <= names.length ? encoded.length : 0;
  names.set(encoded.subarray(0, length));
  slots[SITE_NAMES_LENGTH] = length;
}

/** The call site in a shared buffer, as words: "onBar at BTCUSDT bar 12 (2024-…Z)", or null when no user code was running. */
export function describeCallSite(buffer: SharedArrayBuffer): string | null {
  const view = new Int32Array(buffer, 0, 4);
  const name = CALLED_FUNCTIONS[view[SITE_FUNCTION]];
  if (name === undefined || name === "") return null;
  let symbol = `symbol #${view[SITE_SYMBOL]}`;
  try {
    const table = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, NAMES_OFFSET, view[SITE_NAMES_LENGTH]))) as unknown;
    if (Array.isArray(table) && typeof table[view[SITE_SYMBOL]] === "string") symbol = table[view[SITE_SYMBOL]] as string;
  } catch {
    // No table (too long to share): the index names it.
  }
  const bar = view[SITE_BAR];
  if (bar < 0) return `${name} for ${symbol}`;
  const ms = new Float64Array(buffer, TIME_OFFSET, 1)[0];
  return `${name} at ${symbol} bar ${bar}${Number.isFinite(ms) ? ` (${new Date(ms).toISOString()})` : ""}`;
}

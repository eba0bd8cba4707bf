import type { OnOpposite } from "./types.js";

/** Intent gates (SPEC §3). Times in ms; `null` switches a gate off. */
export interface GateSettings {
  /** Signals with confidence below this are dropped; a missing (NaN) confidence is dropped unless this is 0. */
  readonly minConfidence: number;
  /** Allowed symbols; null = all. */
  readonly symbols: readonly string[] | null;
  /** Same symbol and side again within this time of the last accepted intent is dropped. */
  readonly duplicateTtlMs: number;
  /** No new entry on a symbol within this time after its last entry or exit. */
  readonly cooldownMs: number;
  readonly maxOpenPositions: number;
  readonly onOpposite: OnOpposite;
}

/** Gate names in the fixed order they are applied and reported. */
export const GATE_NAMES = [
  "symbolAllowlist",
  "minConfidence",
  "duplicate",
  "alreadyInPosition",
  "opposite",
  "cooldown",
  "maxOpenPositions",
  "spotShort",
  "sizing",
] as const;
export type GateName = (typeof GATE_NAMES)[number];

export const GATE_SYMBOL = 0;
export const GATE_CONFIDENCE = 1;
export const GATE_DUPLICATE = 2;
export const GATE_IN_POSITION = 3;
export const GATE_OPPOSITE = 4;
export const GATE_COOLDOWN = 5;
export const GATE_MAX_OPEN = 6;
export const GATE_SPOT_SHORT = 7;
export const GATE_SIZING = 8;

/** What the gates decided for one signal. */
export const DECISION_DROP = 0;
export const DECISION_ENTER = 1;
export const DECISION_CLOSE = 2;
export const DECISION_REVERSE = 3;

/** Per-symbol memory the gates need; columns indexed by symbol slot. */
export class GateState {
  readonly allowed: Uint8Array;
  readonly lastIntentSide: Int8Array;
  readonly lastIntentTime: Float64Array;
  readonly lastEntryOrExitTime: Float64Array;
  readonly drops: Float64Array = new Float64Array(GATE_NAMES.length);
  /** Gate that dropped the last signal evaluated. */
  lastDrop = -1;

  constructor(symbols: readonly string[], settings: GateSettings) {
    const n = symbols.length;
    this.allowed = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.allowed[i] = settings.symbols === null || settings.symbols.includes(symbols[i]) ? 1 : 0;
    this.lastIntentSide = new Int8Array(n);
    this.lastIntentTime = new Float64Array(n).fill(-Infinity);
    this.lastEntryOrExitTime = new Float64Array(n).fill(-Infinity);
  }

  drop(gate: number): number {
    this.drops[gate]++;
    this.lastDrop = gate;
    return DECISION_DROP;
  }

  dropCounts(): Record<GateName, number> {
    const out = {} as Record<GateName, number>;
    for (let i = 0; i < GATE_NAMES.length; i++) out[GATE_NAMES[i]] = this.drops[i];
    return out;
  }
}

/**
 * Applies the gates to one non-HOLD signal of `side` at decision time `nowMs` (the bar's
 * close). `positionSide` is the open position on the symbol (0 = flat); `openOrPending`
 * counts open positions plus entries already queued for the next open.
 */
export function evaluateGates(
  state: GateState, settings: GateSettings, slot: number, side: 1 | -1, confidence: number,
  nowMs: number, positionSide: number, openOrPending: number, spot: boolean,
): number {
  if (state.allowed[slot] === 0) return state.drop(GATE_SYMBOL);
  if (!(confidence >= settings.minConfidence)) return state.drop(GATE_CONFIDENCE);
  if (state.lastIntentSide[slot] === side && nowMs - state.lastIntentTime[slot] < settings.duplicateTtlMs) {
    return state.drop(GATE_DUPLICATE);
  }
  let decision = DECISION_ENTER;
  let freed = 0;
  if (positionSide === side) return state.drop(GATE_IN_POSITION);
  if (positionSide !== 0) {
    if (settings.onOpposite === "ignore") return state.drop(GATE_OPPOSITE);
    if (settings.onOpposite === "close") return accept(state, slot, side, nowMs, DECISION_CLOSE);
    decision = DECISION_REVERSE;
    freed = 1;
  }
  // From here on a drop only stops the entry; a reverse still closes (SPEC §3).
  let entryGate = -1;
  if (nowMs - state.lastEntryOrExitTime[slot] < settings.cooldownMs) entryGate = GATE_COOLDOWN;
  else if (openOrPending - freed >= settings.maxOpenPositions) entryGate = GATE_MAX_OPEN;
  else if (spot && side < 0) entryGate = GATE_SPOT_SHORT;
  if (entryGate < 0) return accept(state, slot, side, nowMs, decision);
  state.drop(entryGate);
  return decision === DECISION_REVERSE ? accept(state, slot, side, nowMs, DECISION_CLOSE) : DECISION_DROP;
}

function accept(state: GateState, slot: number, side: 1 | -1, nowMs: number, decision: number): number {
  state.lastIntentSide[slot] = side;
  state.lastIntentTime[slot] = nowMs;
  state.lastDrop = -1;
  return decision;
}

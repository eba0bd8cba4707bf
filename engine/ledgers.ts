import { roundToTick } from "./rounding.js";
import { freshArray, type TypedArrayClass } from "./freshMemory.js";
import { activeReplayBuffers } from "./replayBuffers.js";
import type { ExitPlan, Fill, Trade } from "./tradeTypes.js";

/** Exit reasons as small integers; TP stage k (1-based) is `REASON_TP + k`. 0 is the entry. */
export const REASON_ENTRY = 0;
export const REASON_SL = 1;
export const REASON_BREAKEVEN = 2;
export const REASON_TRAIL = 3;
export const REASON_LIQUIDATION = 4;
export const REASON_TIME = 5;
export const REASON_SIGNAL = 6;
export const REASON_END = 7;
/** A version-2 strategy's own close at market (`ctx.close`). */
export const REASON_CLOSE = 8;
export const REASON_TP = 100;

export const LIQUIDITY_TAKER = 0;
export const LIQUIDITY_MAKER = 1;
export const LIQUIDITY_LIQUIDATION = 2;

const LIQUIDITY_NAMES = ["taker", "maker", "liquidation"] as const;
const FIXED_REASONS = ["ENTRY", "SL", "BREAKEVEN", "TRAIL", "LIQUIDATION", "TIME", "SIGNAL", "END", "CLOSE"];
const TP_NAMES: string[] = [];

export function reasonName(code: number): string {
  if (code < REASON_TP) return FIXED_REASONS[code];
  const stage = code - REASON_TP;
  for (let k = TP_NAMES.length; k <= stage; k++) TP_NAMES.push(`TP${k}`);
  return TP_NAMES[stage];
}

/** A fill or trade as handed out; `pathDependent` may still be set after the bar's dry replays. */
type MutableFill = { -readonly [K in keyof Fill]: Fill[K] };
type MutableTrade = { -readonly [K in keyof Trade]: Trade[K] };

const INITIAL_CAPACITY = 256;

/** `column` in a longer one: from the enclosing `withReplayBuffers`' reused ledger buffers if any (engine/replayBuffers.ts), else fresh. */
function grown<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(column: T, capacity: number): T {
  const Type = column.constructor as TypedArrayClass<T>;
  const buffers = activeReplayBuffers();
  const next = buffers === null ? freshArray(Type, capacity) : buffers.ledgerColumn(Type, capacity);
  next.set(column);
  return next;
}

/**
 * Every fill of a run as typed-array columns (SPEC §7 fills.csv). A run makes tens of
 * thousands of fills; as objects they would be garbage-collector work on every one, and
 * in a sweep running many cells at once that work is what stops the cores from scaling.
 * Objects (`Fill`) are made only when someone asks (`all()`), once, and kept.
 */
export class FillLedger {
  length = 0;
  private capacity = INITIAL_CAPACITY;
  tradeId = new Int32Array(INITIAL_CAPACITY);
  slot = new Int32Array(INITIAL_CAPACITY);
  timeMs = new Float64Array(INITIAL_CAPACITY);
  reason = new Int32Array(INITIAL_CAPACITY);
  orderSide = new Int8Array(INITIAL_CAPACITY);
  price = new Float64Array(INITIAL_CAPACITY);
  quantity = new Float64Array(INITIAL_CAPACITY);
  fee = new Float64Array(INITIAL_CAPACITY);
  pnl = new Float64Array(INITIAL_CAPACITY);
  funding = new Float64Array(INITIAL_CAPACITY);
  liquidity = new Uint8Array(INITIAL_CAPACITY);
  pathDependent = new Uint8Array(INITIAL_CAPACITY);
  gap = new Uint8Array(INITIAL_CAPACITY);
  barsHeld = new Int32Array(INITIAL_CAPACITY);
  private readonly symbols: readonly string[];
  private readonly objects: MutableFill[] = [];

  constructor(symbols: readonly string[]) {
    this.symbols = symbols;
  }

  /** Appends one fill; the values come from the position book and the exchange's fields. */
  add(tradeId: number, slot: number, reason: number, orderSide: number, liquidity: number, gap: boolean, barsHeld: number): number {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.tradeId[i] = tradeId;
    this.slot[i] = slot;
    this.reason[i] = reason;
    this.orderSide[i] = orderSide;
    this.liquidity[i] = liquidity;
    this.gap[i] = gap ? 1 : 0;
    this.pathDependent[i] = 0;
    this.barsHeld[i] = barsHeld;
    return i;
  }

  /** Flags fill `i` as path-dependent (and its object, if one was already handed out). */
  markPathDependent(i: number): void {
    this.pathDependent[i] = 1;
    if (i < this.objects.length) this.objects[i].pathDependent = true;
  }

  countGaps(): number {
    let count = 0;
    for (let i = 0; i < this.length; i++) count += this.gap[i];
    return count;
  }

  /** Every fill as an object, in order; the same array grows as the run goes on. */
  all(): readonly Fill[] {
    for (let i = this.objects.length; i < this.length; i++) {
      this.objects.push({
        seq: i + 1,
        tradeId: this.tradeId[i],
        symbol: this.symbols[this.slot[i]],
        timeMs: this.timeMs[i],
        reason: reasonName(this.reason[i]),
        orderSide: this.orderSide[i] as 1 | -1,
        price: this.price[i],
        quantity: this.quantity[i],
        feeUsd: this.fee[i],
        realizedPnlUsd: this.pnl[i],
        fundingUsd: this.funding[i],
        liquidity: LIQUIDITY_NAMES[this.liquidity[i]],
        pathDependent: this.pathDependent[i] === 1,
        gap: this.gap[i] === 1,
        barsHeld: this.barsHeld[i],
      });
    }
    return this.objects;
  }

  /** Room for `rows` rows in all, when there is less (a run that expects many spares the doublings from 256). */
  reserve(rows: number): void {
    if (rows > this.capacity) this.grow(rows);
  }

  private grow(capacity = this.capacity * 2): void {
    this.tradeId = grown(this.tradeId, capacity);
    this.slot = grown(this.slot, capacity);
    this.timeMs = grown(this.timeMs, capacity);
    this.reason = grown(this.reason, capacity);
    this.orderSide = grown(this.orderSide, capacity);
    this.price = grown(this.price, capacity);
    this.quantity = grown(this.quantity, capacity);
    this.fee = grown(this.fee, capacity);
    this.pnl = grown(this.pnl, capacity);
    this.funding = grown(this.funding, capacity);
    this.liquidity = grown(this.liquidity, capacity);
    this.pathDependent = grown(this.pathDependent, capacity);
    this.gap = grown(this.gap, capacity);
    this.barsHeld = grown(this.barsHeld, capacity);
    this.capacity = capacity;
  }
}

/**
 * Every closed trade of a run as typed-array columns (SPEC §7 trades.csv); `Trade` objects
 * are made on request, once (see `FillLedger`). The derived fields (net PnL, R, MAE/MFE,
 * stop price) are computed when the object is made, with the same formulas and inputs as
 * at the close, so they are the same bits.
 */
export class TradeLedger {
  length = 0;
  private capacity = INITIAL_CAPACITY;
  tradeId = new Int32Array(INITIAL_CAPACITY);
  slot = new Int32Array(INITIAL_CAPACITY);
  side = new Int8Array(INITIAL_CAPACITY);
  entryTimeMs = new Float64Array(INITIAL_CAPACITY);
  exitTimeMs = new Float64Array(INITIAL_CAPACITY);
  entryPrice = new Float64Array(INITIAL_CAPACITY);
  exitPrice = new Float64Array(INITIAL_CAPACITY);
  quantity = new Float64Array(INITIAL_CAPACITY);
  leverage = new Float64Array(INITIAL_CAPACITY);
  margin = new Float64Array(INITIAL_CAPACITY);
  confidence = new Float64Array(INITIAL_CAPACITY);
  score = new Float64Array(INITIAL_CAPACITY);
  realizedPnl = new Float64Array(INITIAL_CAPACITY);
  fees = new Float64Array(INITIAL_CAPACITY);
  funding = new Float64Array(INITIAL_CAPACITY);
  worstPrice = new Float64Array(INITIAL_CAPACITY);
  peakPrice = new Float64Array(INITIAL_CAPACITY);
  decisionId = new Float64Array(INITIAL_CAPACITY);
  barsHeld = new Int32Array(INITIAL_CAPACITY);
  reason = new Int32Array(INITIAL_CAPACITY);
  legs = new Int32Array(INITIAL_CAPACITY);
  pathDependent = new Uint8Array(INITIAL_CAPACITY);
  readonly plan: ExitPlan[] = [];
  private readonly symbols: readonly string[];
  private readonly tickSize: number;
  private readonly objects: MutableTrade[] = [];

  constructor(symbols: readonly string[], tickSize: number) {
    this.symbols = symbols;
    this.tickSize = tickSize;
  }

  /** Opens the next row; the caller writes the columns of row `i` it returns. */
  add(plan: ExitPlan): number {
    if (this.length === this.capacity) this.grow();
    this.plan.push(plan);
    return this.length++;
  }

  markPathDependent(i: number): void {
    this.pathDependent[i] = 1;
    if (i < this.objects.length) this.objects[i].pathDependent = true;
  }

  symbolOf(i: number): string {
    return this.symbols[this.slot[i]];
  }

  /** Net PnL of trade `i`: realised − fees + funding (the one place this formula lives). */
  netPnl(i: number): number {
    return this.realizedPnl[i] - this.fees[i] + this.funding[i];
  }

  returnOnMargin(i: number): number {
    return this.netPnl(i) / this.margin[i];
  }

  /** Net PnL / (SL % × entry × quantity); NaN when the plan has no stop. */
  rMultiple(i: number): number {
    const stop = this.plan[i].stopLossPct;
    return stop === null ? NaN : this.netPnl(i) / (stop * this.entryPrice[i] * this.quantity[i]);
  }

  countPathDependent(): number {
    let count = 0;
    for (let i = 0; i < this.length; i++) count += this.pathDependent[i];
    return count;
  }

  /** Trade `i` as an object (made once, with every trade before it). */
  at(i: number): Trade {
    this.materialize(i + 1);
    return this.objects[i];
  }

  /** Every closed trade as an object, oldest first; the same array grows as the run goes on. */
  all(): readonly Trade[] {
    this.materialize(this.length);
    return this.objects;
  }

  private materialize(count: number): void {
    for (let i = this.objects.length; i < count; i++) {
      const side = this.side[i] as 1 | -1;
      const entry = this.entryPrice[i];
      const quantity = this.quantity[i];
      const margin = this.margin[i];
      const plan = this.plan[i];
      const stop = plan.stopLossPct;
      const net = this.netPnl(i);
      const decisionId = this.decisionId[i];
      this.objects.push({
        id: this.tradeId[i],
        symbol: this.symbols[this.slot[i]],
        side,
        entryTimeMs: this.entryTimeMs[i],
        exitTimeMs: this.exitTimeMs[i],
        entryPrice: entry,
        exitPrice: this.exitPrice[i],
        quantity,
        leverage: this.leverage[i],
        marginUsd: margin,
        confidence: this.confidence[i],
        score: this.score[i],
        plan,
        stopLossPrice: stop === null ? null : roundToTick(entry * (1 - side * stop), this.tickSize),
        realizedPnlUsd: this.realizedPnl[i],
        feesUsd: this.fees[i],
        fundingUsd: this.funding[i],
        netPnlUsd: net,
        returnOnMargin: this.returnOnMargin(i),
        rMultiple: stop === null ? null : this.rMultiple(i),
        maePct: (side * (this.worstPrice[i] - entry)) / entry,
        mfePct: (side * (this.peakPrice[i] - entry)) / entry,
        barsHeld: this.barsHeld[i],
        exitReason: reasonName(this.reason[i]),
        legs: this.legs[i],
        pathDependent: this.pathDependent[i] === 1,
        decisionId: decisionId === decisionId ? decisionId : null,
      });
    }
  }

  /** Room for `rows` rows in all, when there is less (a run that expects many spares the doublings from 256). */
  reserve(rows: number): void {
    if (rows > this.capacity) this.grow(rows);
  }

  private grow(capacity = this.capacity * 2): void {
    this.tradeId = grown(this.tradeId, capacity);
    this.slot = grown(this.slot, capacity);
    this.side = grown(this.side, capacity);
    this.entryTimeMs = grown(this.entryTimeMs, capacity);
    this.exitTimeMs = grown(this.exitTimeMs, capacity);
    this.entryPrice = grown(this.entryPrice, capacity);
    this.exitPrice = grown(this.exitPrice, capacity);
    this.quantity = grown(this.quantity, capacity);
    this.leverage = grown(this.leverage, capacity);
    this.margin = grown(this.margin, capacity);
    this.confidence = grown(this.confidence, capacity);
    this.score = grown(this.score, capacity);
    this.realizedPnl = grown(this.realizedPnl, capacity);
    this.fees = grown(this.fees, capacity);
    this.funding = grown(this.funding, capacity);
    this.worstPrice = grown(this.worstPrice, capacity);
    this.peakPrice = grown(this.peakPrice, capacity);
    this.decisionId = grown(this.decisionId, capacity);
    this.barsHeld = grown(this.barsHeld, capacity);
    this.reason = grown(this.reason, capacity);
    this.legs = grown(this.legs, capacity);
    this.pathDependent = grown(this.pathDependent, capacity);
    this.capacity = capacity;
  }
}

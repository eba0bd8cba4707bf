import type { ExitPlan } from "./types.js";

/**
 * The position book's columns, declared once: each column's array type, the value a new
 * book starts with, and the value `clearSlot` writes when a position closes (absent = the
 * column keeps its last value, e.g. the trade's totals read after the close). The
 * constructor and `clearSlot` walk this table; `copySlot` names every column (straight-line
 * code, for speed), and tests/engine/positionBook.test.ts fails for a column of this table it
 * does not copy — a missing one would silently break path dependence.
 */
const COLUMNS = {
  /** 0 = flat, 1 = long, -1 = short. */
  side: { type: Int8Array, initial: 0, cleared: 0 },
  quantity: { type: Float64Array, initial: 0, cleared: 0 },
  originalQuantity: { type: Float64Array, initial: 0 },
  entryPrice: { type: Float64Array, initial: 0 },
  entryTime: { type: Float64Array, initial: 0 },
  leverage: { type: Float64Array, initial: 0 },
  /** Isolated margin still locked (released pro rata on partial exits). */
  margin: { type: Float64Array, initial: 0, cleared: 0 },
  initialMargin: { type: Float64Array, initial: 0 },
  liquidationPrice: { type: Float64Array, initial: NaN, cleared: NaN },
  /** Fixed stop: the SL, or the breakeven level once it has replaced a looser SL. */
  stopPrice: { type: Float64Array, initial: NaN, cleared: NaN },
  /** 1 when `stopPrice` is the breakeven level (exit reason BREAKEVEN), else 0 (SL). */
  stopIsBreakeven: { type: Uint8Array, initial: 0, cleared: 0 },
  trailActive: { type: Uint8Array, initial: 0, cleared: 0 },
  trailPrice: { type: Float64Array, initial: NaN, cleared: NaN },
  /** Best price reached along the path since entry (starts at the entry fill). */
  peakPrice: { type: Float64Array, initial: 0 },
  /** Worst price reached along the path since entry. */
  worstPrice: { type: Float64Array, initial: 0 },
  /** Best bar close since entry (starts at the entry fill): the trail's peak with `trailingReference: close`. */
  closePeak: { type: Float64Array, initial: NaN, cleared: NaN },
  stagesFilled: { type: Int32Array, initial: 0 },
  /** Price of the next TP stage, NaN when no stage is left. */
  nextTakeProfitPrice: { type: Float64Array, initial: NaN, cleared: NaN },
  barsHeld: { type: Int32Array, initial: 0 },
  /** The plan's time limit in bars (Infinity = none), so the loop need not read the plan. */
  maxHoldingBars: { type: Float64Array, initial: Infinity, cleared: Infinity },
  tradeId: { type: Int32Array, initial: 0 },
  confidence: { type: Float64Array, initial: 0 },
  score: { type: Float64Array, initial: 0 },
  /** The sizing module's decision id (NaN = none). */
  decisionId: { type: Float64Array, initial: NaN },
  /** Funding accumulated per unit of quantity since entry; a leg's share is qty × this. */
  fundingPerUnit: { type: Float64Array, initial: 0 },
  realizedPnl: { type: Float64Array, initial: 0 },
  fees: { type: Float64Array, initial: 0 },
  funding: { type: Float64Array, initial: 0 },
  /** Σ exit price × quantity over closing legs, for the average exit price. */
  exitValue: { type: Float64Array, initial: 0 },
  legs: { type: Int32Array, initial: 0 },
  pathDependent: { type: Uint8Array, initial: 0 },
  /** Quantity of skipped TP legs (below lot size / min notional) carried into the next close. */
  carriedQuantity: { type: Float64Array, initial: 0, cleared: 0 },
  /** The symbol's own slot, carried into the scratch slots, so a dry replay finds the symbol's leverage brackets. */
  homeSlot: { type: Int32Array, initial: 0 },
} as const;

/** Object columns: the exit plan, and the TP stages' absolute prices when a strategy gave prices (null = from the plan). */
const OBJECT_COLUMNS = ["plan", "stagePrices"] as const;

type ColumnName = keyof typeof COLUMNS;
type TypedColumns = { readonly [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]["type"]> };
type NumericColumn = Float64Array | Int32Array | Int8Array | Uint8Array;

/**
 * Open-position state as columns, one slot per symbol (one-way mode: at most one position
 * per symbol), plus two scratch slots used to replay a bar without committing (path
 * dependence, SPEC §6.2). Typed arrays keep the per-bar loop free of allocation.
 *
 * Prices are quote currency; NaN means "no such level".
 */
export interface PositionBook extends TypedColumns {}
export class PositionBook {
  readonly slots: number;
  /** Scratch slot holding the state before the bar being managed. */
  readonly snapshotSlot: number;
  /** Scratch slot a dry replay runs on. */
  readonly drySlot: number;
  readonly plan: (ExitPlan | null)[];
  /** Absolute TP stage prices (in stage order) of a position whose strategy gave prices; null = levels from the plan. */
  readonly stagePrices: (Float64Array | null)[];

  /** The columns `clearSlot` resets, by array type. */
  private readonly clearedFloat64: Float64Array[] = [];
  private readonly clearedFloat64Value: number[] = [];
  private readonly clearedOther: (Int8Array | Uint8Array)[] = [];

  constructor(symbolCount: number) {
    const n = symbolCount + 2;
    this.slots = n;
    this.snapshotSlot = symbolCount;
    this.drySlot = symbolCount + 1;
    // Named stores, one per column: columns added with computed keys in a loop would put the
    // book in V8's dictionary mode (slow property access on every bar).
    const make = <K extends ColumnName>(name: K): TypedColumns[K] => this.column(name, n) as TypedColumns[K];
    const self = this as unknown as { -readonly [K in ColumnName]: TypedColumns[K] };
    self.side = make("side");
    self.quantity = make("quantity");
    self.originalQuantity = make("originalQuantity");
    self.entryPrice = make("entryPrice");
    self.entryTime = make("entryTime");
    self.leverage = make("leverage");
    self.margin = make("margin");
    self.initialMargin = make("initialMargin");
    self.liquidationPrice = make("liquidationPrice");
    self.stopPrice = make("stopPrice");
    self.stopIsBreakeven = make("stopIsBreakeven");
    self.trailActive = make("trailActive");
    self.trailPrice = make("trailPrice");
    self.peakPrice = make("peakPrice");
    self.worstPrice = make("worstPrice");
    self.closePeak = make("closePeak");
    self.stagesFilled = make("stagesFilled");
    self.nextTakeProfitPrice = make("nextTakeProfitPrice");
    self.barsHeld = make("barsHeld");
    self.maxHoldingBars = make("maxHoldingBars");
    self.tradeId = make("tradeId");
    self.confidence = make("confidence");
    self.score = make("score");
    self.decisionId = make("decisionId");
    self.fundingPerUnit = make("fundingPerUnit");
    self.realizedPnl = make("realizedPnl");
    self.fees = make("fees");
    self.funding = make("funding");
    self.exitValue = make("exitValue");
    self.legs = make("legs");
    self.pathDependent = make("pathDependent");
    self.carriedQuantity = make("carriedQuantity");
    self.homeSlot = make("homeSlot");
    this.plan = new Array<ExitPlan | null>(n).fill(null);
    this.stagePrices = new Array<Float64Array | null>(n).fill(null);
  }

  /** Allocates one column from the table and files it under its array type. */
  private column(name: ColumnName, n: number): NumericColumn {
    {
      const spec: { type: new (length: number) => NumericColumn; initial: number; cleared?: number } = COLUMNS[name];
      const column = new spec.type(n);
      if (spec.initial !== 0) column.fill(spec.initial);
      if (spec.cleared === undefined) return column;
      if (column instanceof Float64Array) {
        this.clearedFloat64.push(column);
        this.clearedFloat64Value.push(spec.cleared);
      } else if (column instanceof Int8Array || column instanceof Uint8Array) {
        this.clearedOther.push(column);
      }
      return column;
    }
  }

  /**
   * Copies every column of slot `from` into slot `to` (no allocation): one statement per column,
   * in table order — straight-line code takes half the time of a loop over the columns, and it
   * runs on every bar a level can fill in and twice more on each exit bar.
   */
  copySlot(from: number, to: number): void {
    this.side[to] = this.side[from];
    this.quantity[to] = this.quantity[from];
    this.originalQuantity[to] = this.originalQuantity[from];
    this.entryPrice[to] = this.entryPrice[from];
    this.entryTime[to] = this.entryTime[from];
    this.leverage[to] = this.leverage[from];
    this.margin[to] = this.margin[from];
    this.initialMargin[to] = this.initialMargin[from];
    this.liquidationPrice[to] = this.liquidationPrice[from];
    this.stopPrice[to] = this.stopPrice[from];
    this.stopIsBreakeven[to] = this.stopIsBreakeven[from];
    this.trailActive[to] = this.trailActive[from];
    this.trailPrice[to] = this.trailPrice[from];
    this.peakPrice[to] = this.peakPrice[from];
    this.worstPrice[to] = this.worstPrice[from];
    this.closePeak[to] = this.closePeak[from];
    this.stagesFilled[to] = this.stagesFilled[from];
    this.nextTakeProfitPrice[to] = this.nextTakeProfitPrice[from];
    this.barsHeld[to] = this.barsHeld[from];
    this.maxHoldingBars[to] = this.maxHoldingBars[from];
    this.tradeId[to] = this.tradeId[from];
    this.confidence[to] = this.confidence[from];
    this.score[to] = this.score[from];
    this.decisionId[to] = this.decisionId[from];
    this.fundingPerUnit[to] = this.fundingPerUnit[from];
    this.realizedPnl[to] = this.realizedPnl[from];
    this.fees[to] = this.fees[from];
    this.funding[to] = this.funding[from];
    this.exitValue[to] = this.exitValue[from];
    this.legs[to] = this.legs[from];
    this.pathDependent[to] = this.pathDependent[from];
    this.carriedQuantity[to] = this.carriedQuantity[from];
    this.homeSlot[to] = this.homeSlot[from];
    this.plan[to] = this.plan[from];
    this.stagePrices[to] = this.stagePrices[from];
  }

  /** Marks a slot flat and clears its levels (the columns the table gives a `cleared` value). */
  clearSlot(slot: number): void {
    const cleared = this.clearedFloat64;
    for (let c = 0; c < cleared.length; c++) cleared[c][slot] = this.clearedFloat64Value[c];
    const other = this.clearedOther;
    for (let c = 0; c < other.length; c++) other[c][slot] = 0;
    this.plan[slot] = null;
    this.stagePrices[slot] = null;
  }
}

/** The names of the book's columns, in table order (tests check every one is copied). */
export const POSITION_COLUMNS: readonly string[] = [...Object.keys(COLUMNS), ...OBJECT_COLUMNS];

import type { ExitPlan } from "./types.js";

/**
 * Open-position state as columns, one slot per symbol (one-way mode: at most one position
 * per symbol), plus two scratch slots used to replay a bar without committing (path
 * dependence, SPEC §6.2). Typed arrays keep the per-bar loop free of allocation.
 *
 * Prices are quote currency; NaN means "no such level".
 */
export class PositionBook {
  readonly slots: number;
  /** Scratch slot holding the state before the bar being managed. */
  readonly snapshotSlot: number;
  /** Scratch slot a dry replay runs on. */
  readonly drySlot: number;

  /** 0 = flat, 1 = long, -1 = short. */
  readonly side: Int8Array;
  readonly quantity: Float64Array;
  readonly originalQuantity: Float64Array;
  readonly entryPrice: Float64Array;
  readonly entryTime: Float64Array;
  readonly leverage: Float64Array;
  /** Isolated margin still locked (released pro rata on partial exits). */
  readonly margin: Float64Array;
  readonly initialMargin: Float64Array;
  readonly liquidationPrice: Float64Array;
  /** Fixed stop: the SL, or the breakeven level once it has replaced a looser SL. */
  readonly stopPrice: Float64Array;
  /** 1 when `stopPrice` is the breakeven level (exit reason BREAKEVEN), else 0 (SL). */
  readonly stopIsBreakeven: Uint8Array;
  readonly trailActive: Uint8Array;
  readonly trailPrice: Float64Array;
  /** Best price reached along the path since entry (starts at the entry fill). */
  readonly peakPrice: Float64Array;
  /** Worst price reached along the path since entry. */
  readonly worstPrice: Float64Array;
  readonly stagesFilled: Int32Array;
  /** Price of the next TP stage, NaN when no stage is left. */
  readonly nextTakeProfitPrice: Float64Array;
  readonly barsHeld: Int32Array;
  /** The plan's time limit in bars (Infinity = none), so the loop need not read the plan. */
  readonly maxHoldingBars: Float64Array;
  readonly tradeId: Int32Array;
  readonly confidence: Float64Array;
  readonly score: Float64Array;
  /** The sizing module's decision id (NaN = none). */
  readonly decisionId: Float64Array;
  /** Funding accumulated per unit of quantity since entry; a leg's share is qty × this. */
  readonly fundingPerUnit: Float64Array;
  readonly realizedPnl: Float64Array;
  readonly fees: Float64Array;
  readonly funding: Float64Array;
  /** Σ exit price × quantity over closing legs, for the average exit price. */
  readonly exitValue: Float64Array;
  readonly legs: Int32Array;
  readonly pathDependent: Uint8Array;
  /** Quantity of skipped TP legs (below lot size / min notional) carried into the next close. */
  readonly carriedQuantity: Float64Array;
  readonly plan: (ExitPlan | null)[];

  constructor(symbolCount: number) {
    const n = symbolCount + 2;
    this.slots = n;
    this.snapshotSlot = symbolCount;
    this.drySlot = symbolCount + 1;
    this.side = new Int8Array(n);
    this.quantity = new Float64Array(n);
    this.originalQuantity = new Float64Array(n);
    this.entryPrice = new Float64Array(n);
    this.entryTime = new Float64Array(n);
    this.leverage = new Float64Array(n);
    this.margin = new Float64Array(n);
    this.initialMargin = new Float64Array(n);
    this.liquidationPrice = new Float64Array(n).fill(NaN);
    this.stopPrice = new Float64Array(n).fill(NaN);
    this.stopIsBreakeven = new Uint8Array(n);
    this.trailActive = new Uint8Array(n);
    this.trailPrice = new Float64Array(n).fill(NaN);
    this.peakPrice = new Float64Array(n);
    this.worstPrice = new Float64Array(n);
    this.stagesFilled = new Int32Array(n);
    this.nextTakeProfitPrice = new Float64Array(n).fill(NaN);
    this.barsHeld = new Int32Array(n);
    this.maxHoldingBars = new Float64Array(n).fill(Infinity);
    this.tradeId = new Int32Array(n);
    this.confidence = new Float64Array(n);
    this.score = new Float64Array(n);
    this.decisionId = new Float64Array(n).fill(NaN);
    this.fundingPerUnit = new Float64Array(n);
    this.realizedPnl = new Float64Array(n);
    this.fees = new Float64Array(n);
    this.funding = new Float64Array(n);
    this.exitValue = new Float64Array(n);
    this.legs = new Int32Array(n);
    this.pathDependent = new Uint8Array(n);
    this.carriedQuantity = new Float64Array(n);
    this.plan = new Array<ExitPlan | null>(n).fill(null);
  }

  /** Copies every field of slot `from` into slot `to` (no allocation). */
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
    this.plan[to] = this.plan[from];
  }

  /** Marks a slot flat and clears its levels. */
  clearSlot(slot: number): void {
    this.side[slot] = 0;
    this.quantity[slot] = 0;
    this.margin[slot] = 0;
    this.liquidationPrice[slot] = NaN;
    this.stopPrice[slot] = NaN;
    this.stopIsBreakeven[slot] = 0;
    this.trailActive[slot] = 0;
    this.trailPrice[slot] = NaN;
    this.nextTakeProfitPrice[slot] = NaN;
    this.carriedQuantity[slot] = 0;
    this.maxHoldingBars[slot] = Infinity;
    this.plan[slot] = null;
  }
}

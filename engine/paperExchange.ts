import {
  FillLedger, LIQUIDITY_LIQUIDATION, LIQUIDITY_MAKER, LIQUIDITY_TAKER, REASON_ENTRY, REASON_LIQUIDATION, TradeLedger,
} from "./ledgers.js";
import { Account } from "./account.js";
import { FeeSchedule } from "./feeSchedule.js";
import { isolatedLiquidationPrice, liquidationPrice, stopBeyondLiquidation } from "./liquidation.js";
import { bracketLiquidationPrice, bracketTablesOf, leverageForBrackets, type BracketTable } from "./brackets.js";
import { DryRun } from "./dryRun.js";
import { LEVEL_STOP, LEVEL_TAKE_PROFIT, type LevelTrace } from "./levelTrace.js";
import { allInQuantity } from "./orders.js";
import { PositionBook } from "./positionBook.js";
import { writeTrade } from "./tradeRecord.js";
import { isNegligibleQuantity, roundToTick } from "./rounding.js";
import { DEFAULT_EXECUTION, type ExchangeSettings, type ExecutionSettings, type ExitPlan, type Fill, type OrderRefused, type Trade } from "./types.js";

/**
 * The paper exchange's fills (SPEC §6): it opens and closes positions in the position book
 * and records fills and trades in the ledgers. The other concerns live in objects of their
 * own that it holds: the cash and margin in `account` (Account), prices and fee rates in
 * `fees` (FeeSchedule), funding in the FundingLedger (which pays into `account`), dry runs in
 * `dryRun` (DryRun). The intrabar logic decides *when* and *at what level* a leg closes and
 * calls `closeLeg`.
 *
 * Dry mode (used to test path dependence) changes only the position slot and writes the
 * fills into a small buffer; the account and ledgers are untouched.
 */
export class PaperExchange {
  readonly book: PositionBook;
  readonly symbols: readonly string[];
  /** Cash, margin in use and the running totals. */
  readonly account: Account;
  /** Slippage, tick, lot, minimum notional and fee rates. */
  readonly fees: FeeSchedule;

  liquidations = 0;
  slBeyondLiquidation = 0;

  /** The fill and trade ledgers, as columns; `fills` and `trades` are their objects. */
  readonly fillLedger: FillLedger;
  readonly tradeLedger: TradeLedger;
  readonly refusals: OrderRefused[] = [];
  /** Ledger row of the last trade closed per slot, to flag it path-dependent after the bar's replays. */
  readonly lastClosedTrade: Int32Array;

  /** The bar being managed: its path points and open time (see intrabar.ts `manageBar`). */
  readonly path = new Float64Array(4);
  barTimeMs = 0.5;

  /** Dry-run mode (path dependence): fills go to `dryRun`'s buffer, the account and ledgers are untouched. */
  dry = false;
  readonly dryRun = new DryRun();
  /** The levels each position had over time (engine/levelTrace.ts); null unless a report asks for it. */
  trace: LevelTrace | null = null;
  /** `liquidation: off`: perpetual positions get no liquidation price (a peer's margin model without one). */
  readonly liquidationOff: boolean;
  /** `trailingReference: close`: trailing stops follow the best bar close, not the intrabar peak. */
  readonly trailOnClose: boolean;

  /** Leverage brackets per slot (null: the constant maintenance margin rate for every symbol). */
  readonly bracketTables: BracketTable[] | null;
  readonly capToBracket: boolean;
  leverageCappedToBracket = 0;
  /**
   * Mark prices of the bar being managed (open, high, low, close; NaN = unknown at that point)
   * and `markOn` = 1 when liquidation is checked on them (engine/markPrices.ts), 0 on the last
   * price. `markPath` is `markBar` in the bar's path order (intrabar.ts).
   */
  markOn = 0;
  readonly markBar = new Float64Array(4);
  readonly markPath = new Float64Array(4);

  private nextTradeId = 1;
  /** Copied from the settings (see FeeSchedule for why). */
  readonly maintenanceMarginRate: number;
  readonly spot: boolean;

  private readonly onTradeClosed: ((trade: Trade) => void) | null;

  constructor(
    symbols: readonly string[], settings: ExchangeSettings, initialBalance: number, onTradeClosed: ((trade: Trade) => void) | null = null,
    execution: ExecutionSettings = DEFAULT_EXECUTION,
  ) {
    this.liquidationOff = execution.liquidation === "off";
    this.trailOnClose = execution.trailingReference === "close";
    this.onTradeClosed = onTradeClosed;
    this.symbols = symbols;
    this.account = new Account(initialBalance);
    this.fees = new FeeSchedule(settings);
    this.book = new PositionBook(symbols.length);
    this.lastClosedTrade = new Int32Array(symbols.length).fill(-1);
    this.maintenanceMarginRate = settings.maintenanceMarginRate;
    this.spot = settings.market === "spot";
    this.bracketTables = settings.brackets === undefined || this.spot ? null : bracketTablesOf(symbols, settings.brackets);
    this.capToBracket = settings.capLeverageToBracket === true;
    this.fillLedger = new FillLedger(symbols);
    this.tradeLedger = new TradeLedger(symbols, settings.tickSize);
  }

  /** Room in the ledgers for `trades` trades and twice as many fills (their columns otherwise double from 256 rows). */
  reserveTrades(trades: number): void {
    this.tradeLedger.reserve(trades);
    this.fillLedger.reserve(2 * trades);
  }

  /** Every fill so far, as objects (made on first request; see ledgers.ts). */
  get fills(): readonly Fill[] {
    return this.fillLedger.all();
  }

  /** Every trade closed so far, oldest first, as objects (made on first request). */
  get trades(): readonly Trade[] {
    return this.tradeLedger.all();
  }

  get fillCount(): number {
    return this.fillLedger.length;
  }

  /** The slot's leverage brackets when liquidation uses them (perpetuals with `--brackets`, liquidation on), else null. */
  bracketTableOf(slot: number): BracketTable | null {
    return this.bracketTables === null || this.liquidationOff ? null : this.bracketTables[slot];
  }

  /**
   * Fills an entry at this bar's open (SPEC §1 step 1, §4.3): the margin budget becomes a
   * quantity at the fill price with the entry fee reserved, rounded down to the lot step.
   * Returns false (and records an `OrderRefused`) when the exchange refuses it.
   */
  openPosition(
    slot: number, side: 1 | -1, open: number, timeMs: number, marginBudget: number, fixedQuantity: number,
    leverage: number, confidence: number, score: number, plan: ExitPlan, decisionId = NaN,
  ): boolean {
    return this.openAt(slot, side, this.fees.marketPrice(open, side), LIQUIDITY_TAKER, false, timeMs, marginBudget, fixedQuantity, 0,
      leverage, confidence, score, plan, decisionId, NaN, null);
  }

  /**
   * Opens a position at `price` (already the fill price: slippage and tick rounding applied
   * for a taker fill) with the fee of `liquidity`. The quantity is `fixedQuantity` when > 0;
   * else, with `allInStep` > 0, the whole steps the available balance buys at this price
   * with the fee reserved; else the margin budget at this price, fee reserved, floored to
   * the lot. `stopOverride` (NaN = from the plan) and `stagePrices` (null = from the plan)
   * are absolute levels a strategy gave. In dry mode only the slot changes (see `DryRun`).
   */
  openAt(
    slot: number, side: 1 | -1, price: number, liquidity: number, gap: boolean, timeMs: number, marginBudget: number,
    fixedQuantity: number, allInStep: number, leverage: number, confidence: number, score: number, plan: ExitPlan,
    decisionId: number, stopOverride: number, stagePrices: Float64Array | null,
  ): boolean {
    const fees = this.fees;
    const account = this.account;
    const feeRate = fees.rate(liquidity);
    let quantity = this.entryQuantity(price, leverage, feeRate, marginBudget, fixedQuantity, allInStep);
    let refusal: OrderRefused["reason"] | null = null;
    const table = this.bracketTables === null ? null : this.bracketTables[slot];
    if (table !== null && quantity > 0) {
      // The tier of the entry's notional may allow less leverage (SPEC §6.3 extended): refuse, or cap when asked.
      const allowed = leverageForBrackets(table, leverage, this.capToBracket,
        (candidate) => price * this.entryQuantity(price, candidate, feeRate, marginBudget, fixedQuantity, allInStep));
      if (typeof allowed === "string") refusal = allowed;
      else if (allowed !== leverage) {
        leverage = allowed;
        quantity = this.entryQuantity(price, leverage, feeRate, marginBudget, fixedQuantity, allInStep);
        if (!this.dry) this.leverageCappedToBracket++;
      }
    }
    const notional = price * quantity;
    const margin = notional / leverage;
    const fee = notional * feeRate;
    if (refusal === null) {
      if (!(quantity > 0)) refusal = "ZERO_QUANTITY";
      else if (fees.minNotional > 0 && notional < fees.minNotional) refusal = "MIN_NOTIONAL";
      else if (account.exceedsAvailable(margin, fee)) refusal = "INSUFFICIENT_MARGIN";
    }
    if (refusal !== null) {
      if (!this.dry) this.refusals.push({ symbol: this.symbols[slot], timeMs, reason: refusal, marginUsd: allInStep > 0 ? account.availableBalance() : marginBudget });
      return false;
    }
    const b = this.book;
    b.side[slot] = side;
    b.quantity[slot] = quantity;
    b.originalQuantity[slot] = quantity;
    b.entryPrice[slot] = price;
    b.entryTime[slot] = timeMs;
    b.leverage[slot] = leverage;
    b.margin[slot] = margin;
    b.initialMargin[slot] = margin;
    b.homeSlot[slot] = slot;
    b.confidence[slot] = confidence;
    b.score[slot] = score;
    b.decisionId[slot] = decisionId;
    b.fundingPerUnit[slot] = 0;
    b.realizedPnl[slot] = 0;
    b.fees[slot] = fee;
    b.funding[slot] = 0;
    b.exitValue[slot] = 0;
    b.legs[slot] = 0;
    b.pathDependent[slot] = 0;
    b.barsHeld[slot] = 0;
    b.stagesFilled[slot] = 0;
    b.carriedQuantity[slot] = 0;
    b.peakPrice[slot] = price;
    b.worstPrice[slot] = price;
    b.closePeak[slot] = price;
    b.plan[slot] = plan;
    b.stagePrices[slot] = stagePrices;
    b.maxHoldingBars[slot] = plan.maxHoldingBars ?? Infinity;
    this.setLevels(slot, side, price, leverage, plan, stopOverride, stagePrices);
    if (this.dry) {
      this.dryRun.record(REASON_ENTRY, price, quantity);
      return true;
    }
    account.open(margin, fee);
    b.tradeId[slot] = this.nextTradeId++;
    if (this.trace !== null) this.traceEntryLevels(slot, timeMs);
    this.recordFill(slot, timeMs, REASON_ENTRY, side, price, quantity, fee, 0, 0, liquidity, gap);
    return true;
  }

  /**
   * An entry's quantity at `price`: `fixedQuantity` when > 0; else, with `allInStep` > 0, the whole
   * steps the available balance buys with the fee reserved; else the margin budget at this price
   * with the fee reserved, floored to the lot.
   */
  private entryQuantity(price: number, leverage: number, feeRate: number, marginBudget: number, fixedQuantity: number, allInStep: number): number {
    let quantity: number;
    if (fixedQuantity > 0) quantity = fixedQuantity;
    else if (allInStep > 0) quantity = allInQuantity(this.account.availableBalance(), price, leverage, feeRate, allInStep);
    else quantity = marginBudget / (price * (1 / leverage + feeRate));
    const lotSize = this.fees.lotSize;
    if (!(allInStep > 0) && lotSize > 0) quantity = Math.floor(quantity / lotSize + 1e-9) * lotSize;
    return quantity;
  }

  /** The level trace's first rows of a trade: its stop and first TP stage from the entry on. */
  private traceEntryLevels(slot: number, timeMs: number): void {
    const b = this.book;
    (this.trace as LevelTrace).record(b.tradeId[slot], timeMs, LEVEL_STOP, 0, b.stopPrice[slot]);
    if (b.nextTakeProfitPrice[slot] === b.nextTakeProfitPrice[slot]) (this.trace as LevelTrace).record(b.tradeId[slot], timeMs, LEVEL_TAKE_PROFIT, 1, b.nextTakeProfitPrice[slot]);
  }

  /** Stop, first TP stage, trailing and liquidation levels, all from the entry fill (SPEC §5, §6.3). */
  private setLevels(
    slot: number, side: 1 | -1, entry: number, leverage: number, plan: ExitPlan, stopOverride: number, stagePrices: Float64Array | null,
  ): void {
    const b = this.book;
    const tick = this.fees.tickSize;
    b.stopPrice[slot] = stopOverride === stopOverride ? stopOverride
      : plan.stopLossPct === null ? NaN : roundToTick(entry * (1 - side * plan.stopLossPct), tick);
    b.stopIsBreakeven[slot] = 0;
    b.nextTakeProfitPrice[slot] = plan.stages.length === 0
      ? NaN
      : stagePrices !== null ? stagePrices[0] : roundToTick(entry * (1 + side * plan.stages[0].movePct), tick);
    b.trailActive[slot] = 0;
    b.trailPrice[slot] = NaN;
    if (this.spot || this.liquidationOff) {
      b.liquidationPrice[slot] = NaN;
    } else {
      const table = this.bracketTables === null ? null : this.bracketTables[slot];
      // With brackets: Binance's formula, the isolated wallet balance being the position's margin.
      b.liquidationPrice[slot] = table === null
        ? liquidationPrice(entry, side, leverage, this.maintenanceMarginRate)
        : bracketLiquidationPrice(table, entry, side, b.quantity[slot], b.margin[slot]);
      const stop = b.stopPrice[slot];
      if (!this.dry && stop === stop && stopBeyondLiquidation(stop, b.liquidationPrice[slot], side)) this.slBeyondLiquidation++;
    }
  }

  /**
   * The doubles of the next `closeLeg` / `closeMarket` call: price (the reference price for a
   * market close), quantity, time. They travel in this typed array rather than as arguments:
   * V8 boxes a double passed to a function it does not inline — a heap allocation per call —
   * and exits run on the two dry replays of every exit bar too.
   */
  readonly leg = new Float64Array(3);

  /**
   * Closes quantity `leg[1]` of the position in `slot` at price `leg[0]` at time `leg[2]`
   * (SPEC §6.1). Fees by liquidity; a liquidation charges the margin left after the loss, so
   * the trader loses exactly the leg's isolated margin. Returns true when the position is now flat.
   */
  closeLeg(slot: number, reason: number, liquidity: number, gap: boolean): boolean {
    const price = this.leg[0];
    const quantity = this.leg[1];
    const timeMs = this.leg[2];
    const b = this.book;
    const side = b.side[slot];
    const openQuantity = b.quantity[slot];
    let legQuantity = quantity + b.carriedQuantity[slot];
    if (legQuantity > openQuantity || isNegligibleQuantity(openQuantity - legQuantity, b.originalQuantity[slot])) {
      legQuantity = openQuantity;
    }
    const marginReleased = b.margin[slot] * (legQuantity / openQuantity);
    b.carriedQuantity[slot] = 0;
    b.quantity[slot] = openQuantity - legQuantity;
    b.margin[slot] -= marginReleased;
    const flat = legQuantity === openQuantity;
    if (!flat) this.reTierAfterPartial(slot);
    if (this.dry) {
      this.dryRun.record(reason, price, legQuantity);
      if (flat) b.side[slot] = 0;
      return flat;
    }
    const pnl = side * (price - b.entryPrice[slot]) * legQuantity;
    const fundingShare = legQuantity * b.fundingPerUnit[slot];
    let fee: number;
    // A liquidation takes what is left of the leg's isolated wallet (its margin plus its net
    // funding) after its loss: the trader loses exactly the wallet.
    if (liquidity === LIQUIDITY_LIQUIDATION) fee = Math.max(0, marginReleased + fundingShare + pnl);
    else fee = price * legQuantity * this.fees.rate(liquidity);
    this.account.settleLeg(pnl, fee, marginReleased);
    b.realizedPnl[slot] += pnl;
    b.fees[slot] += fee;
    b.exitValue[slot] += price * legQuantity;
    b.legs[slot]++;
    if (reason === REASON_LIQUIDATION) this.liquidations++;
    this.recordFill(slot, timeMs, reason, -side as 1 | -1, price, legQuantity, fee, pnl, fundingShare, liquidity, gap);
    if (flat) this.finishTrade(slot, reason, timeMs);
    return flat;
  }

  /**
   * After a partial exit under leverage brackets, Binance's liquidation price of what is left:
   * WB = the open quantity's margin plus its funding share, with the tier of the smaller
   * notional (README "Leverage brackets"). Under the constant rate the price does not depend on
   * the quantity (margin and funding leave pro rata), so it stays as it is.
   */
  private reTierAfterPartial(slot: number): void {
    const b = this.book;
    const table = this.bracketTableOf(b.homeSlot[slot]);
    if (table === null || this.spot) return;
    const quantity = b.quantity[slot];
    b.liquidationPrice[slot] = isolatedLiquidationPrice(
      table, b.entryPrice[slot], b.side[slot], quantity, b.margin[slot] + quantity * b.fundingPerUnit[slot], this.maintenanceMarginRate,
    );
  }

  /**
   * Liquidates the position in `slot` at `price` at a funding time whose payment emptied its
   * isolated wallet (see fundingLedger.ts `payFunding`): reason LIQUIDATION, no slippage.
   */
  liquidateAt(slot: number, price: number, timeMs: number): void {
    this.leg[0] = price;
    this.leg[1] = this.book.quantity[slot];
    this.leg[2] = timeMs;
    this.closeLeg(slot, REASON_LIQUIDATION, LIQUIDITY_LIQUIDATION, false);
  }

  /** Closes whatever is open at a market price (TIME, SIGNAL, END): taker fee and slippage. */
  closeAtMarket(slot: number, reason: number, reference: number, timeMs: number): void {
    this.leg[0] = reference;
    this.leg[2] = timeMs;
    this.closeMarket(slot, reason, false);
  }

  /** `closeAtMarket` with the reference price in `leg[0]` and the time in `leg[2]` (the hot path's form). */
  closeMarket(slot: number, reason: number, gap: boolean): void {
    const side = this.book.side[slot] as 1 | -1;
    let price = this.fees.marketPrice(this.leg[0], -side as 1 | -1);
    // Isolated margin caps the loss: a market exit whose slippage would fill it beyond the
    // liquidation price fills at the liquidation price (the exchange would have liquidated).
    const liquidation = this.book.liquidationPrice[slot];
    if (liquidation === liquidation && side * price < side * liquidation) price = liquidation;
    this.leg[0] = price;
    this.leg[1] = this.book.quantity[slot];
    this.closeLeg(slot, reason, LIQUIDITY_TAKER, gap);
  }

  private recordFill(
    slot: number, timeMs: number, reason: number, orderSide: 1 | -1, price: number, quantity: number,
    fee: number, pnl: number, funding: number, liquidity: number, gap: boolean,
  ): void {
    const ledger = this.fillLedger;
    const i = ledger.add(this.book.tradeId[slot], slot, reason, orderSide, liquidity, gap, Math.max(1, this.book.barsHeld[slot]));
    ledger.timeMs[i] = timeMs;
    ledger.price[i] = price;
    ledger.quantity[i] = quantity;
    ledger.fee[i] = fee;
    ledger.pnl[i] = pnl;
    ledger.funding[i] = funding;
  }

  private finishTrade(slot: number, reason: number, timeMs: number): void {
    const b = this.book;
    const i = writeTrade(this.tradeLedger, b, slot, reason, timeMs);
    const ledger = this.tradeLedger;
    this.lastClosedTrade[slot] = i;
    this.account.closed();
    b.clearSlot(slot);
    if (this.onTradeClosed !== null) this.onTradeClosed(ledger.at(i));
  }

  /** Marks the slot's fills from index `from` on (one bar's exits) and their trade as path-dependent. */
  markPathDependent(slot: number, from: number, flat: boolean, entries = false): number {
    const fills = this.fillLedger;
    let marked = 0;
    for (let i = from; i < fills.length; i++) {
      if (fills.reason[i] === REASON_ENTRY && !entries) continue;
      fills.markPathDependent(i);
      marked++;
    }
    if (flat) this.tradeLedger.markPathDependent(this.lastClosedTrade[slot]);
    else this.book.pathDependent[slot] = 1;
    return marked;
  }
}

import type { PaperExchange } from "./paperExchange.js";
import type { OrderCounters } from "./broker.js";
import type {
  BracketRefusalReason, EquityCurve, ExecutionSettings, ExitPlan, LiquidationCounters, OpenPositionState, RefusalReason, RunResult,
} from "./types.js";

/** Counts the replay loop gathers itself (the exchange holds the rest). */
export interface LoopCounts {
  readonly bars: number;
  readonly timestamps: number;
  readonly signals: number;
  readonly intents: number;
  readonly pathDependentFills: number;
  readonly detailFallbacks: number;
  readonly detailBarsUsed: number;
  readonly fundingTimesPaid: number;
  readonly fundingTimesFromData: number;
  readonly fundingTimesFromConstant: number;
  readonly fundingTimesUncovered: number;
  readonly leverageCappedToStop: number;
  readonly unfilledAtEnd: number;
  /** A version-2 strategy's order counts; null without one. */
  readonly orders: OrderCounters | null;
  /** The execution options, when any differs from the default or a version-2 strategy ran; else null. */
  readonly execution: ExecutionSettings | null;
  /** How liquidation was computed, with brackets or mark prices; else null. */
  readonly liquidation: LiquidationCounters | null;
}

/** Positions still open after the last bar, before their END close (positions.json). */
export function collectOpenPositions(ex: PaperExchange): OpenPositionState[] {
  const book = ex.book;
  const out: OpenPositionState[] = [];
  for (let s = 0; s < ex.symbols.length; s++) {
    if (book.side[s] === 0) continue;
    const liquidation = book.liquidationPrice[s];
    const stop = book.stopPrice[s];
    out.push({
      tradeId: book.tradeId[s],
      symbol: ex.symbols[s],
      side: book.side[s] as 1 | -1,
      entryTimeMs: book.entryTime[s],
      entryPrice: book.entryPrice[s],
      quantity: book.quantity[s],
      originalQuantity: book.originalQuantity[s],
      leverage: book.leverage[s],
      marginUsd: book.margin[s],
      liquidationPrice: liquidation === liquidation ? liquidation : null,
      stopPrice: stop === stop ? stop : null,
      trailingActive: book.trailActive[s] === 1,
      trailPrice: book.trailActive[s] === 1 ? book.trailPrice[s] : null,
      peakPrice: book.peakPrice[s],
      stagesFilled: book.stagesFilled[s],
      plan: book.plan[s] as ExitPlan,
    });
  }
  return out;
}

/** Assembles the plain-data result of a run; checks the accounting identity of SPEC §6.1. */
export function summarizeRun(
  ex: PaperExchange, equity: EquityCurve, openAtEnd: OpenPositionState[], timeframeMs: number,
  gateDrops: Record<string, number>, loop: LoopCounts,
): RunResult {
  const refused: Record<RefusalReason, number> & Partial<Record<BracketRefusalReason, number>> = {
    INSUFFICIENT_MARGIN: 0, MIN_NOTIONAL: 0, ZERO_QUANTITY: 0,
    // Only runs with leverage brackets can refuse for them, and only theirs list the reasons.
    ...(ex.bracketTables === null ? {} : { LEVERAGE_ABOVE_BRACKET: 0, NOTIONAL_ABOVE_BRACKETS: 0 }),
  };
  for (const refusal of ex.refusals) if (refusal.reason in refused) refused[refusal.reason as RefusalReason]++;
  const pathDependentTrades = ex.tradeLedger.countPathDependent();
  const gapFills = ex.fillLedger.countGaps();
  const finalEquity = ex.account.balance;
  const expected = ex.account.initialBalance + ex.account.realizedPnlTotal - ex.account.feesTotal + ex.account.fundingTotal;
  const warnings: string[] = [];
  if (ex.slBeyondLiquidation > 0) {
    warnings.push(`${ex.slBeyondLiquidation} entries had their stop loss at or beyond the liquidation price; those stops cannot fire before liquidation`);
  }
  if (finalEquity < 0) {
    warnings.push("the account ended below zero: fees or funding exceeded the isolated margin (exitlab liquidates on price only, SPEC §6.3)");
  }
  if (loop.execution?.liquidation === "off") warnings.push("liquidation is off: positions were never liquidated, losses were not capped at the isolated margin");
  if (loop.orders !== null && loop.orders.stopsMovedAgainstPosition > 0) {
    warnings.push(`${loop.orders.stopsMovedAgainstPosition} stop modifications moved a stop against the position (counted in counters.orders.stopsMovedAgainstPosition)`);
  }
  if (loop.unfilledAtEnd > 0) warnings.push(`${loop.unfilledAtEnd} entry orders decided at the last bar were never filled`);
  return {
    // Objects made on first access: a sweep cell or a benchmark that reads only the
    // statistics never pays for a hundred thousand fill objects.
    get trades() {
      return ex.trades;
    },
    get fills() {
      return ex.fills;
    },
    ledgers: { trades: ex.tradeLedger, fills: ex.fillLedger },
    ...(ex.trace === null ? {} : { levelTrace: ex.trace }),
    refusals: ex.refusals,
    equity,
    openAtEnd,
    account: {
      initialBalance: ex.account.initialBalance,
      finalBalance: ex.account.balance,
      finalEquity,
      realizedPnlUsd: ex.account.realizedPnlTotal,
      feesUsd: ex.account.feesTotal,
      fundingUsd: ex.account.fundingTotal,
      reconciliationError: Math.abs(finalEquity - expected) / ex.account.initialBalance,
    },
    counters: {
      bars: loop.bars,
      timestamps: loop.timestamps,
      signals: loop.signals,
      intents: loop.intents,
      gateDrops,
      refusedOrders: refused,
      pathDependentFills: loop.pathDependentFills,
      pathDependentTrades,
      gapFills,
      detailFallbacks: loop.detailFallbacks,
      detailBarsUsed: loop.detailBarsUsed,
      liquidations: ex.liquidations,
      slBeyondLiquidation: ex.slBeyondLiquidation,
      fundingTimesPaid: loop.fundingTimesPaid,
      fundingTimesFromData: loop.fundingTimesFromData,
      fundingTimesFromConstant: loop.fundingTimesFromConstant,
      fundingTimesUncovered: loop.fundingTimesUncovered,
      leverageCappedToStop: loop.leverageCappedToStop,
      ...(loop.orders === null ? {} : { orders: { ...loop.orders } }),
      ...(loop.execution === null ? {} : { execution: loop.execution }),
      ...(loop.liquidation === null ? {} : { liquidation: loop.liquidation }),
    },
    timeframeMs,
    warnings,
  };
}

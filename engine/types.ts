import type { FillLedger, TradeLedger } from "./ledgers.js";
import type { LevelTrace } from "./levelTrace.js";
import type { PlanSource, TakeProfitStage, TrailingStopPlan, ExitPlan, FillReason, Fill, Trade } from "./tradeTypes.js";
import type { BracketTable } from "./brackets.js";

export type { PlanSource, TakeProfitStage, TrailingStopPlan, ExitPlan, FillReason, Fill, Trade } from "./tradeTypes.js";
/**
 * Public types of the engine. Everything outside `engine/` imports from here (or from
 * `engine/index.ts`), never from engine internals.
 *
 * Units: prices in quote currency (USDT), money in USDT, times in UTC epoch milliseconds,
 * fractions as plain ratios (0.03 = 3 %) unless a name says otherwise.
 */

/** Columnar OHLCV bars of one symbol (SPEC §2). Validated once on load; never mutated. */
export interface BarSeries {
  readonly symbol: string;
  /** Bar length in ms (detected from the data: the most common spacing). */
  readonly timeframeMs: number;
  readonly length: number;
  /** Open time of each bar, epoch ms, strictly increasing. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Funding-rate history of one symbol: rate per funding interval as a fraction. */
export interface FundingSeries {
  readonly symbol: string;
  /** Funding times, epoch ms, strictly increasing. */
  readonly time: Float64Array;
  /** Rate per funding time; positive means longs pay shorts. */
  readonly rate: Float64Array;
  readonly length: number;
}

/** Where a series came from, for the run's data fingerprint (SPEC §7). */
export interface SourceFingerprint {
  readonly symbol: string;
  readonly kind: "bars" | "funding" | "detail" | "mark";
  readonly files: readonly string[];
  readonly rows: number;
  readonly firstTimeMs: number | null;
  readonly lastTimeMs: number | null;
  /** sha256 over the raw bytes of the files, in order. */
  readonly sha256: string;
  /** Missing bars (gaps) counted on load; not an error. */
  readonly gaps: number;
  readonly missingBars: number;
}

/** Everything the replayer needs from the data layer. */
export interface MarketData {
  readonly bars: readonly BarSeries[];
  /** Funding history by symbol; a symbol without an entry uses the constant rate, if any. */
  readonly funding: ReadonlyMap<string, FundingSeries>;
  /** Lower-timeframe bars by symbol, used to resolve intrabar order (SPEC §6.2). */
  readonly detail?: ReadonlyMap<string, BarSeries>;
  /** Mark-price bars by symbol (same or a dividing timeframe): liquidation is checked on them (engine/markPrices.ts). */
  readonly mark?: ReadonlyMap<string, BarSeries>;
  readonly fingerprint: readonly SourceFingerprint[];
}

/**
 * Signals of one symbol as columns aligned with its bars: the signal at index i is emitted
 * at the close of bar i, having seen bars 0..i only (SPEC §1 step 6).
 */
export interface SignalColumns {
  /** 1 BUY, -1 SELL, 0 HOLD. */
  readonly action: Int8Array;
  /** 0..1; NaN when the source gives none. */
  readonly confidence: Float64Array;
  /** -1..1; NaN when the source gives none. */
  readonly score: Float64Array;
  /** Multiplier on the sized amount; NaN = 1. */
  readonly sizeMultiplier: Float64Array;
}

/**
 * Rows of a predictions file (SPEC §3), as columns in file order: the data layer loads them,
 * the predictions signal source maps them to bars.
 */
export interface PredictionRows {
  readonly length: number;
  readonly timeMs: Float64Array;
  readonly symbol: readonly string[];
  /** 1 BUY, -1 SELL, 0 HOLD. */
  readonly action: Int8Array;
  /** NaN when the field is empty; values outside 0..1 are kept (the ai policy falls back on them). */
  readonly confidence: Float64Array;
  readonly score: Float64Array;
  readonly sizeMultiplier: Float64Array;
}

/**
 * Signals of one symbol stored sparsely: only the bars with a BUY or SELL, bar indexes
 * increasing. The replay's own form (see engine/sparseSignals.ts).
 */
export interface SparseSignals {
  readonly sparse: true;
  /** Number of signals. */
  readonly length: number;
  readonly index: Int32Array;
  readonly action: Int8Array;
  readonly confidence: Float64Array;
  readonly score: Float64Array;
  readonly sizeMultiplier: Float64Array;
}

/** Result of running a signal source over one data set. */
export interface SignalSet {
  readonly bySymbol: ReadonlyMap<string, SignalColumns | SparseSignals>;
  /** Notes for the summary (e.g. predictions that matched no bar). */
  readonly stats: Readonly<Record<string, number>>;
}

export type IntrabarMode = "default" | "pessimistic" | "optimistic";
export type OnOpposite = "ignore" | "close" | "reverse";
export type MarketKind = "perp" | "spot";

export interface ExchangeSettings {
  readonly market: MarketKind;
  /** Fee rate of market orders (entries, stops, time/signal/end exits), 0.0005 = 0.05 %. */
  readonly takerFeeRate: number;
  /** Fee rate of resting TP limit orders. */
  readonly makerFeeRate: number;
  /** Slippage of market orders against the trader, in basis points. */
  readonly slippageBps: number;
  /** Maintenance margin rate for the liquidation price (SPEC §6.3). */
  readonly maintenanceMarginRate: number;
  /** Constant funding rate per 8 h used where no funding file covers a time; null = none. */
  readonly fundingRate: number | null;
  /** Funding interval used for the constant-rate schedule (00:00, 08:00, 16:00 UTC). */
  readonly fundingIntervalMs: number;
  /** Quantity step; 0 = no rounding. */
  readonly lotSize: number;
  /** Price step; 0 = no rounding. */
  readonly tickSize: number;
  /** Minimum entry notional in USDT; 0 = none. */
  readonly minNotional: number;
  /**
   * Leverage brackets by symbol (Binance's tiers, engine/brackets.ts): maintenance margin rate
   * and amount from the tier of the position's notional, Binance's liquidation formula, and a
   * maximum leverage per tier. Absent: the constant `maintenanceMarginRate` (SPEC §6.3).
   */
  readonly brackets?: ReadonlyMap<string, BracketTable>;
  /** With brackets: an entry above its tier's maximum leverage is capped to it (true) or refused (false, default). */
  readonly capLeverageToBracket?: boolean;
}

/**
 * How orders are executed — the run options a user porting a strategy from another engine
 * sets (README "Coming from backtesting.py / backtrader / freqtrade").
 */
export interface ExecutionSettings {
  /** `next-open`: an order decided at a bar's close fills at the next bar's open; `signal-close`: market orders fill at that close. */
  readonly fillTiming: "next-open" | "signal-close";
  /** `signal`: an order's amount (fraction of equity, sizing module) is taken from the account at the decision; `fill`: at the fill. */
  readonly sizingReference: "signal" | "fill";
  /** `intrabar-peak`: a trailing stop follows the best price along the intrabar path; `close`: the best bar close. */
  readonly trailingReference: "intrabar-peak" | "close";
  /** `off`: perpetual positions are never liquidated (the account may go below zero). */
  readonly liquidation: "on" | "off";
}

export const DEFAULT_EXECUTION: ExecutionSettings = Object.freeze({
  fillTiming: "next-open", sizingReference: "signal", trailingReference: "intrabar-peak", liquidation: "on",
});

/** Entry decision produced by the strategy side for one signal (SPEC §1 steps 7–9). */
export interface EntryIntent {
  readonly side: 1 | -1;
  /** Margin budget in USDT, decided at the signal; quantity is fixed at the fill. */
  readonly marginUsd: number;
  readonly leverage: number;
  readonly confidence: number;
  readonly score: number;
  readonly plan: ExitPlan;
}

/**
 * Why an order did not fill: refused by the exchange at the fill (`INSUFFICIENT_MARGIN`,
 * `MIN_NOTIONAL`, `ZERO_QUANTITY`), or — orders of a version-2 strategy — its time in force
 * ran out (`EXPIRED`), it was still pending when the data ended (`UNFILLED_AT_END`), or it
 * was a market entry on the side of the position already open (`POSITION_OPEN`).
 */
export type RefusalReason = "INSUFFICIENT_MARGIN" | "MIN_NOTIONAL" | "ZERO_QUANTITY";
/**
 * Refusals that exist only with leverage brackets: the leverage is above the maximum of the
 * tier of the entry's notional, or the notional is above the last tier's cap.
 */
export type BracketRefusalReason = "LEVERAGE_ABOVE_BRACKET" | "NOTIONAL_ABOVE_BRACKETS";
export type OrderEndReason = RefusalReason | BracketRefusalReason | "EXPIRED" | "UNFILLED_AT_END" | "POSITION_OPEN";

/** An entry order the exchange refused at its fill (an event, not an exception). */
export interface OrderRefused {
  readonly symbol: string;
  readonly timeMs: number;
  readonly reason: OrderEndReason;
  readonly marginUsd: number;
}

/** The equity curve as columns, one row per merged timestamp (SPEC §7 equity.csv). */
export interface EquityCurve {
  readonly length: number;
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly balance: Float64Array;
  readonly unrealizedPnl: Float64Array;
  readonly marginUsed: Float64Array;
  /** Gross notional at mark / equity. */
  readonly exposure: Float64Array;
  /** equity / running peak − 1 (<= 0). */
  readonly drawdown: Float64Array;
}

/** Position still open after the last bar, recorded before its END close (positions.json). */
export interface OpenPositionState {
  readonly tradeId: number;
  readonly symbol: string;
  readonly side: 1 | -1;
  readonly entryTimeMs: number;
  readonly entryPrice: number;
  readonly quantity: number;
  readonly originalQuantity: number;
  readonly leverage: number;
  readonly marginUsd: number;
  readonly liquidationPrice: number | null;
  readonly stopPrice: number | null;
  readonly trailingActive: boolean;
  /** The trailing stop's level while active, else null. */
  readonly trailPrice: number | null;
  readonly peakPrice: number;
  readonly stagesFilled: number;
  readonly plan: ExitPlan;
}

export interface AccountTotals {
  readonly initialBalance: number;
  readonly finalBalance: number;
  readonly finalEquity: number;
  readonly realizedPnlUsd: number;
  readonly feesUsd: number;
  /** Signed: received positive. */
  readonly fundingUsd: number;
  /** |final − (initial + realised − fees + funding)| / initial. */
  readonly reconciliationError: number;
}

export interface RunCounters {
  readonly bars: number;
  readonly timestamps: number;
  readonly signals: number;
  readonly intents: number;
  /** Signals dropped, by gate name. */
  readonly gateDrops: Readonly<Record<string, number>>;
  /** Per refusal reason; the bracket reasons appear only in runs with leverage brackets. */
  readonly refusedOrders: Readonly<Record<RefusalReason, number> & Partial<Record<BracketRefusalReason, number>>>;
  readonly pathDependentFills: number;
  readonly pathDependentTrades: number;
  readonly gapFills: number;
  /** Managed bars (a position open) whose detail bars were missing or did not aggregate to the bar. */
  readonly detailFallbacks: number;
  /** Managed bars whose intrabar order came from detail bars. */
  readonly detailBarsUsed: number;
  readonly liquidations: number;
  readonly slBeyondLiquidation: number;
  /** Entries whose leverage was lowered so the stop lies inside the liquidation distance. */
  readonly leverageCappedToStop: number;
  readonly fundingTimesPaid: number;
  readonly fundingTimesFromData: number;
  readonly fundingTimesFromConstant: number;
  /** Funding-grid times within the data's span that neither a file nor a constant covered. */
  readonly fundingTimesUncovered: number;
  /** Order counts of a version-2 strategy run (absent otherwise). */
  readonly orders?: Readonly<Record<string, number>>;
  /** The execution options, present when one differs from the default or a version-2 strategy ran. */
  readonly execution?: ExecutionSettings;
  /** How liquidation was computed; present only with leverage brackets or mark prices (absent = constant MMR, last price). */
  readonly liquidation?: LiquidationCounters;
}

/** summary.json `counters.liquidation` (README "Assumptions": liquidation). */
export interface LiquidationCounters {
  /** The price liquidation is checked against: `mark` when mark-price bars were supplied, else `last`. */
  readonly price: "mark" | "last";
  /** `brackets` (Binance's tiers and formula) or `constant` (SPEC §6.3 with `maintenanceMarginRate`). */
  readonly maintenance: "brackets" | "constant";
  /** Main bars of the run's symbols without complete mark-price bars (their liquidation used the last price). */
  readonly markBarsUncovered: number;
  /** Entries refused for a leverage above their tier's maximum or a notional above every tier. */
  readonly leverageRefused: number;
  /** Entries whose leverage was lowered to their tier's maximum (`risk.capLeverageToBracket`). */
  readonly leverageCappedToBracket: number;
}

/** What a run returns: plain data, consumed by reports and writers. */
/** The columnar ledgers behind `RunResult.trades` and `.fills` (engine/ledgers.ts). */
export interface RunLedgers {
  readonly trades: TradeLedger;
  readonly fills: FillLedger;
}

export interface RunResult {
  /** Closed trades as objects, made on first access from `ledgers.trades`. */
  readonly trades: readonly Trade[];
  /** Fills as objects, made on first access from `ledgers.fills`. */
  readonly fills: readonly Fill[];
  /** The engine's columnar trade and fill ledgers (statistics read these without making objects). */
  readonly ledgers?: RunLedgers;
  /** The levels each position had over time, when the run input asked for them (`traceLevels`). */
  readonly levelTrace?: LevelTrace;
  readonly refusals: readonly OrderRefused[];
  readonly equity: EquityCurve;
  readonly openAtEnd: readonly OpenPositionState[];
  readonly account: AccountTotals;
  readonly counters: RunCounters;
  /** Bar length of the main data, ms. */
  readonly timeframeMs: number;
  readonly warnings: readonly string[];
}

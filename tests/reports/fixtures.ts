/**
 * Hand-made run data for the report tests: small enough to check on paper, shaped exactly
 * like the engine's contracts in engine/types.ts.
 */
import type {
  AccountTotals,
  EquityCurve,
  ExitPlan,
  Fill,
  RunCounters,
  RunResult,
  Trade,
} from "../../engine/types.js";

export const DAY_MS = 86_400_000;
/** 2024-01-01T00:00:00.000Z */
export const START_MS = Date.UTC(2024, 0, 1);

export interface EquityRows {
  readonly equity: readonly number[];
  /** Row times; default START_MS + i × timeframeMs. */
  readonly time?: readonly number[];
  readonly timeframeMs?: number;
  /** Default: equal to equity (nothing open). */
  readonly balance?: readonly number[];
  /** Default: 0 on every row. */
  readonly marginUsed?: readonly number[];
  /** Default: 0 on every row. */
  readonly exposure?: readonly number[];
}

/** An EquityCurve from plain arrays; unrealised PnL = equity − balance, drawdown from the running peak. */
export function makeEquityCurve(rows: EquityRows): EquityCurve {
  const n = rows.equity.length;
  const timeframeMs = rows.timeframeMs ?? DAY_MS;
  const column = (values: readonly number[] | undefined, fallback: (i: number) => number): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => (values === undefined ? fallback(i) : values[i]));
  const equity = column(rows.equity, () => 0);
  const balance = column(rows.balance, (i) => equity[i]);
  const drawdown = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    peak = Math.max(peak, equity[i]);
    drawdown[i] = equity[i] / peak - 1;
  }
  return {
    length: n,
    time: column(rows.time, (i) => START_MS + i * timeframeMs),
    equity,
    balance,
    unrealizedPnl: Float64Array.from({ length: n }, (_, i) => equity[i] - balance[i]),
    marginUsed: column(rows.marginUsed, () => 0),
    exposure: column(rows.exposure, () => 0),
    drawdown,
  };
}

/** The static plan: SL 3 %, one TP stage at 5 % closing everything. */
export function makePlan(overrides: Partial<ExitPlan> = {}): ExitPlan {
  return {
    source: "static",
    stopLossPct: 0.03,
    stages: [{ movePct: 0.05, fraction: 1 }],
    trailing: null,
    breakevenOffsetPct: null,
    maxHoldingBars: null,
    fallback: false,
    ...overrides,
  };
}

/** A one-day long of 1 BTCUSDT at 100 → 105 with no costs, unless overridden. */
export function makeTrade(overrides: Partial<Trade> = {}): Trade {
  return {
    id: 1,
    symbol: "BTCUSDT",
    side: 1,
    entryTimeMs: START_MS,
    exitTimeMs: START_MS + DAY_MS,
    entryPrice: 100,
    exitPrice: 105,
    quantity: 1,
    leverage: 10,
    marginUsd: 10,
    confidence: 0.75,
    score: 0.5,
    plan: makePlan(),
    stopLossPrice: 97,
    realizedPnlUsd: 5,
    feesUsd: 0,
    fundingUsd: 0,
    netPnlUsd: 5,
    returnOnMargin: 0.5,
    rMultiple: 5 / 3,
    maePct: -0.01,
    mfePct: 0.05,
    barsHeld: 2,
    exitReason: "TP1",
    legs: 1,
    pathDependent: false,
    decisionId: null,
    ...overrides,
  };
}

export function makeFill(overrides: Partial<Fill> = {}): Fill {
  return {
    seq: 1,
    tradeId: 1,
    symbol: "BTCUSDT",
    timeMs: START_MS,
    reason: "ENTRY",
    orderSide: 1,
    price: 100,
    quantity: 1,
    feeUsd: 0.05,
    realizedPnlUsd: 0,
    fundingUsd: 0,
    liquidity: "taker",
    pathDependent: false,
    gap: false,
    barsHeld: 1,
    ...overrides,
  };
}

export function makeAccount(overrides: Partial<AccountTotals> = {}): AccountTotals {
  return {
    initialBalance: 100,
    finalBalance: 100,
    finalEquity: 100,
    realizedPnlUsd: 0,
    feesUsd: 0,
    fundingUsd: 0,
    reconciliationError: 0,
    ...overrides,
  };
}

export function makeCounters(overrides: Partial<RunCounters> = {}): RunCounters {
  return {
    bars: 4,
    timestamps: 4,
    signals: 0,
    intents: 0,
    gateDrops: {},
    refusedOrders: { INSUFFICIENT_MARGIN: 0, MIN_NOTIONAL: 0, ZERO_QUANTITY: 0 },
    pathDependentFills: 0,
    pathDependentTrades: 0,
    gapFills: 0,
    detailFallbacks: 0,
    detailBarsUsed: 0,
    leverageCappedToStop: 0,
    liquidations: 0,
    slBeyondLiquidation: 0,
    fundingTimesPaid: 0,
    fundingTimesFromData: 0,
    fundingTimesFromConstant: 0,
    fundingTimesUncovered: 0,
    ...overrides,
  };
}

export function makeRunResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    trades: [],
    fills: [],
    refusals: [],
    equity: makeEquityCurve({ equity: [100, 110, 99, 121] }),
    openAtEnd: [],
    account: makeAccount({ finalBalance: 121, finalEquity: 121, realizedPnlUsd: 21 }),
    counters: makeCounters(),
    timeframeMs: DAY_MS,
    warnings: [],
    ...overrides,
  };
}

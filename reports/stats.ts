/**
 * Run statistics (SPEC §7 "Metrics"): one pure function from a run's trades and equity
 * curve to plain numbers. It knows nothing of the exchange or the replayer (STYLE §10).
 *
 * Conventions, once for every field below:
 * - A name ending in `Pct` is a plain fraction (0.21 = 21 %); `Usd` is USDT; `Ms` is
 *   milliseconds; `Bars` counts bars of the run's timeframe.
 * - Standard deviations are sample deviations (n − 1).
 * - A metric that is undefined for the input (no trades, zero deviation, no losses …) is
 *   `null`; the result never holds NaN or Infinity.
 * - Equity-based risk metrics use the returns between consecutive equity rows and annualise
 *   with `periodsPerYear = 365.25 × 86 400 000 / timeframeMs`, i.e. they assume one row per
 *   bar. Rows are merged timestamps, so a data gap makes one row span several bars; that
 *   period's return is still counted once.
 */
import { reasonName } from "../engine/index.js";
import type { AccountTotals, EquityCurve, Fill, RunCounters, RunLedgers, Trade } from "../engine/types.js";
import { countByReason } from "./reasons.js";
import { finiteOrNull, meanOf, returnStatsOf, sampleStdOf, summarizeDrawdowns } from "./series.js";

/** Length of the year used for annualising, in ms (365.25 days: crypto trades every day). */
export const YEAR_MS = 365.25 * 86_400_000;

export interface StatsInput {
  /** The trades, as objects — or give `ledgers` instead (a run's own, read without making objects). */
  readonly trades?: readonly Trade[];
  readonly ledgers?: RunLedgers;
  readonly equity: EquityCurve;
  /** Bar length of the main data, ms. */
  readonly timeframeMs: number;
  readonly initialBalance: number;
  readonly account: AccountTotals;
  readonly counters: RunCounters;
  /** All fills of the run (or `ledgers`); when both are absent, `fillReasonCounts` is `null`. */
  readonly fills?: readonly Fill[];
}

export interface RunStats {
  // --- Returns and risk, from the account and the equity curve ---
  /** finalEquity / initialBalance − 1 (final equity from the account totals, after the END closes). */
  readonly totalReturnPct: number | null;
  /**
   * Compound annual growth rate: (finalEquity / initialBalance)^(1 / years) − 1 with years
   * = (last − first equity timestamp) / YEAR_MS; −1 if the account is wiped out; null if the
   * span is shorter than one bar.
   */
  readonly annualizedReturnPct: number | null;
  /** Sample std of per-row equity returns × sqrt(periodsPerYear); null with < 2 returns. */
  readonly annualizedVolatilityPct: number | null;
  /** mean / std of per-row returns × sqrt(periodsPerYear), risk-free rate 0; null if std is 0. */
  readonly sharpeRatio: number | null;
  /** mean / downside deviation (target 0, over all periods, n − 1) × sqrt(periodsPerYear); null if no period lost. */
  readonly sortinoRatio: number | null;
  /** annualizedReturnPct / maxDrawdownPct; null without a drawdown or an annualised return. */
  readonly calmarRatio: number | null;
  /**
   * Deepest fall of equity below its running peak (the peak starts at the initial balance),
   * as a POSITIVE fraction: 0.1 means equity stood 10 % below its peak. 0 if it never fell.
   */
  readonly maxDrawdownPct: number;
  /** Longest time from a peak to the row that regains it (or to the last row if never regained), ms. */
  readonly maxDrawdownDurationMs: number;
  /** `maxDrawdownDurationMs / timeframeMs`. */
  readonly maxDrawdownDurationBars: number | null;
  /** Share of equity rows with margin in use (a position open at that row's mark); null without rows. */
  readonly exposureTimePct: number | null;

  // --- Trades ---
  readonly tradeCount: number;
  readonly longTradeCount: number;
  readonly shortTradeCount: number;
  /** Trades with net PnL > 0 (a trade at exactly 0 is neither a win nor a loss). */
  readonly winningTradeCount: number;
  /** Trades with net PnL < 0. */
  readonly losingTradeCount: number;
  /** winningTradeCount / tradeCount; null without trades. */
  readonly winRatePct: number | null;
  /** Sum of the positive net PnLs. */
  readonly grossProfitUsd: number;
  /** Sum of the negative net PnLs as a positive amount. */
  readonly grossLossUsd: number;
  /** grossProfitUsd / grossLossUsd; null when no trade lost. */
  readonly profitFactor: number | null;
  /** Mean net PnL per trade. */
  readonly expectancyUsd: number | null;
  /** Mean return on margin (net PnL / initial margin) per trade. */
  readonly expectancyReturnOnMarginPct: number | null;
  /** Trades that have an R-multiple (a stop loss in their plan). */
  readonly tradesWithRCount: number;
  /** Mean R-multiple over the trades that have one. */
  readonly averageR: number | null;
  /** System Quality Number: sqrt(n) × mean(R) / std(R) over trades with R; null if n < 2 or std 0. */
  readonly sqn: number | null;
  /** Mean of exitTimeMs − entryTimeMs. */
  readonly averageHoldingTimeMs: number | null;
  /** Mean `barsHeld` (the entry bar counts as 1). */
  readonly averageHoldingBars: number | null;
  readonly bestTradeNetPnlUsd: number | null;
  readonly worstTradeNetPnlUsd: number | null;

  // --- Costs ---
  /** Every fee of the run (entries, exits, liquidation fees), from the account totals. */
  readonly feesPaidUsd: number;
  /** Signed net funding of the run, received positive, from the account totals. */
  readonly fundingNetUsd: number;
  /** Funding paid, as a positive amount: the sum of trades whose net funding was negative. */
  readonly fundingPaidUsd: number;
  /** Funding received: the sum of trades whose net funding was positive. */
  readonly fundingReceivedUsd: number;
  /** From the engine's counters. */
  readonly liquidationCount: number;

  // --- Reasons ---
  /** Trades by their final `exitReason`, keys in canonical reason order. */
  readonly exitReasonCounts: Readonly<Record<string, number>>;
  /** Fills by `reason` (ENTRY, TP1 …), canonical order; null when fills were not given. */
  readonly fillReasonCounts: Readonly<Record<string, number>> | null;
}

interface TradeSums {
  longs: number;
  wins: number;
  losses: number;
  grossProfitUsd: number;
  grossLossUsd: number;
  fundingPaidUsd: number;
  fundingReceivedUsd: number;
  best: number | null;
  worst: number | null;
}

/**
 * What the trade metrics read of each trade, as columns, in trade order: taken from `Trade`
 * objects or straight from the engine's ledger (a sweep cell then makes no trade objects).
 * Both give the same numbers bit for bit: the ledger's derived values use the formulas the
 * trade objects are made with.
 */
interface TradeFacts {
  readonly count: number;
  readonly side: Int8Array;
  readonly net: Float64Array;
  readonly funding: Float64Array;
  readonly returnOnMargin: Float64Array;
  /** NaN where the trade has no R multiple. */
  readonly rMultiple: Float64Array;
  readonly holdingMs: Float64Array;
  readonly barsHeld: Float64Array;
  readonly exitReasons: string[];
}

function tradeFactsOf(input: StatsInput): TradeFacts {
  const ledger = input.ledgers?.trades;
  const count = ledger !== undefined ? ledger.length : input.trades?.length ?? 0;
  const facts: TradeFacts = {
    count,
    side: new Int8Array(count),
    net: new Float64Array(count),
    funding: new Float64Array(count),
    returnOnMargin: new Float64Array(count),
    rMultiple: new Float64Array(count),
    holdingMs: new Float64Array(count),
    barsHeld: new Float64Array(count),
    exitReasons: new Array<string>(count),
  };
  if (ledger !== undefined) {
    for (let i = 0; i < count; i++) {
      const net = ledger.netPnl(i);
      facts.side[i] = ledger.side[i];
      facts.net[i] = net;
      facts.funding[i] = ledger.funding[i];
      facts.returnOnMargin[i] = ledger.returnOnMargin(i);
      facts.rMultiple[i] = ledger.rMultiple(i);
      facts.holdingMs[i] = ledger.exitTimeMs[i] - ledger.entryTimeMs[i];
      facts.barsHeld[i] = ledger.barsHeld[i];
      facts.exitReasons[i] = reasonName(ledger.reason[i]);
    }
    return facts;
  }
  const trades = input.trades ?? [];
  for (let i = 0; i < count; i++) {
    const trade = trades[i];
    facts.side[i] = trade.side;
    facts.net[i] = trade.netPnlUsd;
    facts.funding[i] = trade.fundingUsd;
    facts.returnOnMargin[i] = trade.returnOnMargin;
    facts.rMultiple[i] = trade.rMultiple ?? NaN;
    facts.holdingMs[i] = trade.exitTimeMs - trade.entryTimeMs;
    facts.barsHeld[i] = trade.barsHeld;
    facts.exitReasons[i] = trade.exitReason;
  }
  return facts;
}

/** Fill reasons (ENTRY, TP1 …) in order, from the ledger or the fill objects; null without either. */
function fillReasonsOf(input: StatsInput): string[] | null {
  const ledger = input.ledgers?.fills;
  if (ledger !== undefined) {
    const reasons = new Array<string>(ledger.length);
    for (let i = 0; i < ledger.length; i++) reasons[i] = reasonName(ledger.reason[i]);
    return reasons;
  }
  return input.fills === undefined ? null : input.fills.map((fill) => fill.reason);
}

function sumTrades(facts: TradeFacts): TradeSums {
  const sums: TradeSums = {
    longs: 0,
    wins: 0,
    losses: 0,
    grossProfitUsd: 0,
    grossLossUsd: 0,
    fundingPaidUsd: 0,
    fundingReceivedUsd: 0,
    best: null,
    worst: null,
  };
  for (let i = 0; i < facts.count; i++) {
    const net = facts.net[i];
    const funding = facts.funding[i];
    if (facts.side[i] === 1) sums.longs++;
    if (net > 0) {
      sums.wins++;
      sums.grossProfitUsd += net;
    } else if (net < 0) {
      sums.losses++;
      sums.grossLossUsd -= net;
    }
    if (funding < 0) sums.fundingPaidUsd -= funding;
    else sums.fundingReceivedUsd += funding;
    if (sums.best === null || net > sums.best) sums.best = net;
    if (sums.worst === null || net < sums.worst) sums.worst = net;
  }
  return sums;
}

function rMultiplesOf(facts: TradeFacts): number[] {
  const values: number[] = [];
  for (let i = 0; i < facts.count; i++) {
    if (Number.isFinite(facts.rMultiple[i])) values.push(facts.rMultiple[i]);
  }
  return values;
}

function exposureTimeOf(equity: EquityCurve): number | null {
  if (equity.length === 0) return null;
  let exposedRows = 0;
  for (let i = 0; i < equity.length; i++) if (equity.marginUsed[i] > 0) exposedRows++;
  return exposedRows / equity.length;
}

function annualizedReturnOf(input: StatsInput): number | null {
  const { equity, timeframeMs } = input;
  if (equity.length === 0) return null;
  const spanMs = equity.time[equity.length - 1] - equity.time[0];
  if (!(spanMs >= timeframeMs) || !(spanMs > 0)) return null;
  const growth = input.account.finalEquity / input.initialBalance;
  if (!Number.isFinite(growth)) return null;
  if (growth <= 0) return -1;
  return finiteOrNull(Math.pow(growth, YEAR_MS / spanMs) - 1);
}

/** Sharpe-style ratio of per-period returns, annualised; null when the deviation is 0 or undefined. */
function annualizedRatio(mean: number | null, deviation: number | null, periodsPerYear: number): number | null {
  if (mean === null || deviation === null || deviation === 0) return null;
  return finiteOrNull((mean / deviation) * Math.sqrt(periodsPerYear));
}

/** Computes every run metric. Pure: the same input gives the same numbers, bit for bit. */
export function computeStats(input: StatsInput): RunStats {
  const { equity, timeframeMs, initialBalance, account } = input;
  const periodsPerYear = YEAR_MS / timeframeMs;

  const { mean: meanReturn, std: returnStd, downside: downsideDeviation } = returnStatsOf(equity.equity);
  const annualizedReturnPct = annualizedReturnOf(input);
  const drawdowns = summarizeDrawdowns(equity.time, equity.equity, initialBalance);

  const facts = tradeFactsOf(input);
  const sums = sumTrades(facts);
  const tradeCount = facts.count;
  const rMultiples = rMultiplesOf(facts);
  const fillReasons = fillReasonsOf(input);
  const meanR = meanOf(rMultiples);
  const stdR = sampleStdOf(rMultiples);

  return {
    totalReturnPct: finiteOrNull(account.finalEquity / initialBalance - 1),
    annualizedReturnPct,
    annualizedVolatilityPct: returnStd === null ? null : finiteOrNull(returnStd * Math.sqrt(periodsPerYear)),
    sharpeRatio: annualizedRatio(meanReturn, returnStd, periodsPerYear),
    sortinoRatio: annualizedRatio(meanReturn, downsideDeviation, periodsPerYear),
    calmarRatio:
      annualizedReturnPct === null || drawdowns.maxDrawdownPct === 0
        ? null
        : finiteOrNull(annualizedReturnPct / drawdowns.maxDrawdownPct),
    maxDrawdownPct: drawdowns.maxDrawdownPct,
    maxDrawdownDurationMs: drawdowns.maxDrawdownDurationMs,
    maxDrawdownDurationBars: finiteOrNull(drawdowns.maxDrawdownDurationMs / timeframeMs),
    exposureTimePct: exposureTimeOf(equity),

    tradeCount,
    longTradeCount: sums.longs,
    shortTradeCount: tradeCount - sums.longs,
    winningTradeCount: sums.wins,
    losingTradeCount: sums.losses,
    winRatePct: tradeCount === 0 ? null : sums.wins / tradeCount,
    grossProfitUsd: sums.grossProfitUsd,
    grossLossUsd: sums.grossLossUsd,
    profitFactor: sums.grossLossUsd === 0 ? null : finiteOrNull(sums.grossProfitUsd / sums.grossLossUsd),
    expectancyUsd: finiteOrNull(meanOf(facts.net)),
    expectancyReturnOnMarginPct: finiteOrNull(meanOf(facts.returnOnMargin)),
    tradesWithRCount: rMultiples.length,
    averageR: finiteOrNull(meanR),
    sqn:
      meanR === null || stdR === null || stdR === 0
        ? null
        : finiteOrNull((Math.sqrt(rMultiples.length) * meanR) / stdR),
    averageHoldingTimeMs: finiteOrNull(meanOf(facts.holdingMs)),
    averageHoldingBars: finiteOrNull(meanOf(facts.barsHeld)),
    bestTradeNetPnlUsd: finiteOrNull(sums.best),
    worstTradeNetPnlUsd: finiteOrNull(sums.worst),

    feesPaidUsd: account.feesUsd,
    fundingNetUsd: account.fundingUsd,
    fundingPaidUsd: sums.fundingPaidUsd,
    fundingReceivedUsd: sums.fundingReceivedUsd,
    liquidationCount: input.counters.liquidations,

    exitReasonCounts: countByReason(facts.exitReasons),
    fillReasonCounts: fillReasons === null ? null : countByReason(fillReasons),
  };
}

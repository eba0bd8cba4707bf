import { describe, expect, it } from "vitest";
import type { EquityCurve, Fill, Trade } from "../../engine/types.js";
import { computeStats, YEAR_MS, type RunStats } from "../../reports/stats.js";
import { DAY_MS, START_MS, makeAccount, makeCounters, makeEquityCurve, makeFill, makeTrade } from "./fixtures.js";

interface Scenario {
  equity?: EquityCurve;
  trades?: Trade[];
  fills?: Fill[];
  timeframeMs?: number;
  initialBalance?: number;
  finalEquity?: number;
  feesUsd?: number;
  fundingUsd?: number;
  liquidations?: number;
}

function statsOf(scenario: Scenario): RunStats {
  const equity = scenario.equity ?? makeEquityCurve({ equity: [100, 110, 99, 121] });
  const initialBalance = scenario.initialBalance ?? 100;
  return computeStats({
    trades: scenario.trades ?? [],
    equity,
    timeframeMs: scenario.timeframeMs ?? DAY_MS,
    initialBalance,
    account: makeAccount({
      initialBalance,
      finalEquity: scenario.finalEquity ?? (equity.length > 0 ? equity.equity[equity.length - 1] : initialBalance),
      feesUsd: scenario.feesUsd ?? 0,
      fundingUsd: scenario.fundingUsd ?? 0,
    }),
    counters: makeCounters({ liquidations: scenario.liquidations ?? 0 }),
    ...(scenario.fills === undefined ? {} : { fills: scenario.fills }),
  });
}

/** Every number in the stats is finite or null: no NaN or Infinity leaks into a report. */
function expectOnlyFiniteNumbersOrNull(stats: RunStats): void {
  for (const [key, value] of Object.entries(stats)) {
    if (value === null || typeof value === "object") continue;
    expect(Number.isFinite(value), key).toBe(true);
  }
}

describe("returns and risk of the equity curve 100, 110, 99, 121", () => {
  // Three bars per year, so the 3-bar span is exactly one year and annualising is by √3.
  const timeframeMs = YEAR_MS / 3;
  const stats = statsOf({ equity: makeEquityCurve({ equity: [100, 110, 99, 121], timeframeMs }), timeframeMs });
  // Period returns: +0.1, −0.1, +2/9; mean 2/27; sample std 0.16266808337776115.
  const meanReturn = 2 / 27;
  const std = 0.16266808337776115;

  it("reports a total return of 21 %", () => {
    expect(stats.totalReturnPct).toBeCloseTo(0.21, 12);
  });

  it("compounds to an annual return of 21 % over a span of exactly one year", () => {
    expect(stats.annualizedReturnPct).toBeCloseTo(0.21, 12);
  });

  it("annualises the sample deviation of the period returns by the square root of periods per year", () => {
    expect(stats.annualizedVolatilityPct).toBeCloseTo(std * Math.sqrt(3), 12);
  });

  it("computes Sharpe as mean over std times the square root of periods per year", () => {
    expect(stats.sharpeRatio).toBeCloseTo((meanReturn / std) * Math.sqrt(3), 12);
  });

  it("computes Sortino from the downside deviation over all periods", () => {
    // Shortfalls 0, −0.1, 0: sqrt(0.01 / 2).
    expect(stats.sortinoRatio).toBeCloseTo((meanReturn / Math.sqrt(0.01 / 2)) * Math.sqrt(3), 12);
  });

  it("finds the 10 % drawdown from 110 to 99 and its two-bar duration until 121 regains the peak", () => {
    expect(stats.maxDrawdownPct).toBeCloseTo(0.1, 12);
    expect(stats.maxDrawdownDurationMs).toBe(2 * timeframeMs);
    expect(stats.maxDrawdownDurationBars).toBe(2);
  });

  it("divides the annual return by the max drawdown for Calmar", () => {
    expect(stats.calmarRatio).toBeCloseTo(2.1, 12);
  });

  it("contains only finite numbers or null", () => {
    expectOnlyFiniteNumbersOrNull(stats);
  });
});

describe("annualised return", () => {
  it("is 10 % a year for 100 → 121 over two years", () => {
    const equity = makeEquityCurve({ equity: [100, 110, 121], timeframeMs: YEAR_MS });
    expect(statsOf({ equity, timeframeMs: YEAR_MS }).annualizedReturnPct).toBeCloseTo(0.1, 12);
  });

  it("is null when the curve spans less than one bar", () => {
    const stats = statsOf({ equity: makeEquityCurve({ equity: [100] }), finalEquity: 105 });
    expect(stats.annualizedReturnPct).toBeNull();
    expect(stats.calmarRatio).toBeNull();
    expect(stats.totalReturnPct).toBeCloseTo(0.05, 12);
  });

  it("uses the account's final equity, which includes the closes after the last mark", () => {
    const stats = statsOf({ equity: makeEquityCurve({ equity: [100, 110, 121] }), finalEquity: 120 });
    expect(stats.totalReturnPct).toBeCloseTo(0.2, 12);
  });

  it("is −100 % when the account is wiped out, with no NaN anywhere", () => {
    const stats = statsOf({ equity: makeEquityCurve({ equity: [100, 0, 0] }) });
    expect(stats.annualizedReturnPct).toBe(-1);
    expect(stats.totalReturnPct).toBe(-1);
    expect(stats.maxDrawdownPct).toBe(1);
    expectOnlyFiniteNumbersOrNull(stats);
  });
});

describe("drawdowns", () => {
  it("measures the longest drawdown, which need not be the deepest", () => {
    // 20 % dip for 2 bars (t0 → t2), then a 1 % dip from t2 that lasts to the end (t6).
    const stats = statsOf({ equity: makeEquityCurve({ equity: [100, 80, 100, 99, 99, 99, 99] }) });
    expect(stats.maxDrawdownPct).toBeCloseTo(0.2, 12);
    expect(stats.maxDrawdownDurationMs).toBe(4 * DAY_MS);
  });

  it("counts a loss on the first row against the initial balance", () => {
    const stats = statsOf({ equity: makeEquityCurve({ equity: [90, 100] }), initialBalance: 100 });
    expect(stats.maxDrawdownPct).toBeCloseTo(0.1, 12);
    expect(stats.maxDrawdownDurationMs).toBe(DAY_MS);
  });

  it("reports no drawdown, no Calmar and no Sharpe for a flat curve", () => {
    const stats = statsOf({ equity: makeEquityCurve({ equity: [100, 100, 100] }) });
    expect(stats.maxDrawdownPct).toBe(0);
    expect(stats.maxDrawdownDurationMs).toBe(0);
    expect(stats.calmarRatio).toBeNull();
    expect(stats.annualizedVolatilityPct).toBe(0);
    expect(stats.sharpeRatio).toBeNull();
    expect(stats.sortinoRatio).toBeNull();
  });
});

describe("exposure time", () => {
  it("is the share of equity rows with margin in use", () => {
    const equity = makeEquityCurve({ equity: [100, 101, 102, 103], marginUsed: [0, 10, 10, 0] });
    expect(statsOf({ equity }).exposureTimePct).toBe(0.5);
  });

  it("is null without equity rows", () => {
    expect(statsOf({ equity: makeEquityCurve({ equity: [] }) }).exposureTimePct).toBeNull();
  });
});

describe("trade statistics of four trades netting +30, −10, +20 and −20 USD", () => {
  const trades = [
    makeTrade({ id: 1, netPnlUsd: 30, returnOnMargin: 0.3, rMultiple: 3, fundingUsd: 2 }),
    makeTrade({ id: 2, netPnlUsd: -10, returnOnMargin: -0.1, rMultiple: -1, side: -1, fundingUsd: -3 }),
    makeTrade({ id: 3, netPnlUsd: 20, returnOnMargin: 0.2, rMultiple: 2, fundingUsd: -1 }),
    makeTrade({ id: 4, netPnlUsd: -20, returnOnMargin: -0.2, rMultiple: -2, side: -1 }),
  ];
  const stats = statsOf({ trades, fundingUsd: -2, feesUsd: 1.5 });

  it("counts two wins in four trades as a 50 % win rate", () => {
    expect(stats.tradeCount).toBe(4);
    expect(stats.winningTradeCount).toBe(2);
    expect(stats.losingTradeCount).toBe(2);
    expect(stats.winRatePct).toBe(0.5);
  });

  it("splits longs from shorts", () => {
    expect(stats.longTradeCount).toBe(2);
    expect(stats.shortTradeCount).toBe(2);
  });

  it("divides 50 USD of gross profit by 30 USD of gross loss for the profit factor", () => {
    expect(stats.grossProfitUsd).toBe(50);
    expect(stats.grossLossUsd).toBe(30);
    expect(stats.profitFactor).toBeCloseTo(5 / 3, 12);
  });

  it("expects 5 USD and a 5 % return on margin per trade", () => {
    expect(stats.expectancyUsd).toBe(5);
    expect(stats.expectancyReturnOnMarginPct).toBeCloseTo(0.05, 12);
  });

  it("averages R to 0.5 and scores an SQN of sqrt(4) × 0.5 / sqrt(17 / 3)", () => {
    expect(stats.tradesWithRCount).toBe(4);
    expect(stats.averageR).toBe(0.5);
    expect(stats.sqn).toBeCloseTo((2 * 0.5) / Math.sqrt(17 / 3), 12);
  });

  it("names the best and the worst trade by net PnL", () => {
    expect(stats.bestTradeNetPnlUsd).toBe(30);
    expect(stats.worstTradeNetPnlUsd).toBe(-20);
  });

  it("takes fees and net funding from the account and splits funding into paid and received by trade", () => {
    expect(stats.feesPaidUsd).toBe(1.5);
    expect(stats.fundingNetUsd).toBe(-2);
    expect(stats.fundingPaidUsd).toBe(4);
    expect(stats.fundingReceivedUsd).toBe(2);
  });
});

describe("edge cases of trade statistics", () => {
  it("reports nulls rather than NaN when there are no trades", () => {
    const stats = statsOf({ trades: [] });
    expect(stats.tradeCount).toBe(0);
    expect(stats.winRatePct).toBeNull();
    expect(stats.profitFactor).toBeNull();
    expect(stats.expectancyUsd).toBeNull();
    expect(stats.averageR).toBeNull();
    expect(stats.sqn).toBeNull();
    expect(stats.averageHoldingTimeMs).toBeNull();
    expect(stats.bestTradeNetPnlUsd).toBeNull();
    expectOnlyFiniteNumbersOrNull(stats);
  });

  it("has no profit factor when no trade lost", () => {
    const stats = statsOf({ trades: [makeTrade({ netPnlUsd: 5 }), makeTrade({ netPnlUsd: 0 })] });
    expect(stats.profitFactor).toBeNull();
    expect(stats.winRatePct).toBe(0.5);
    expect(stats.losingTradeCount).toBe(0);
  });

  it("leaves trades without a stop out of average R and SQN", () => {
    const stats = statsOf({
      trades: [makeTrade({ rMultiple: 1 }), makeTrade({ rMultiple: null }), makeTrade({ rMultiple: 3 })],
    });
    expect(stats.tradesWithRCount).toBe(2);
    expect(stats.averageR).toBe(2);
    expect(stats.sqn).toBeCloseTo((Math.sqrt(2) * 2) / Math.sqrt(2), 12);
  });

  it("has no SQN with fewer than two R-multiples", () => {
    expect(statsOf({ trades: [makeTrade({ rMultiple: 2 })] }).sqn).toBeNull();
  });

  it("averages holding time in ms and in bars", () => {
    const stats = statsOf({
      trades: [
        makeTrade({ entryTimeMs: START_MS, exitTimeMs: START_MS + 2 * DAY_MS, barsHeld: 3 }),
        makeTrade({ entryTimeMs: START_MS, exitTimeMs: START_MS + 4 * DAY_MS, barsHeld: 5 }),
      ],
    });
    expect(stats.averageHoldingTimeMs).toBe(3 * DAY_MS);
    expect(stats.averageHoldingBars).toBe(4);
  });

  it("takes the liquidation count from the engine's counters", () => {
    expect(statsOf({ liquidations: 2 }).liquidationCount).toBe(2);
  });
});

describe("reason counts", () => {
  it("counts trades by exit reason in canonical order, whatever order they closed in", () => {
    const trades = ["TRAIL", "TP1", "SL", "TP1", "END"].map((exitReason) => makeTrade({ exitReason }));
    const counts = statsOf({ trades }).exitReasonCounts;
    expect(Object.entries(counts)).toEqual([
      ["TP1", 2],
      ["SL", 1],
      ["TRAIL", 1],
      ["END", 1],
    ]);
  });

  it("counts fills by reason with TP2 before TP10", () => {
    const fills = ["ENTRY", "TP10", "TP2", "ENTRY", "LIQUIDATION"].map((reason) => makeFill({ reason }));
    expect(Object.keys(statsOf({ fills }).fillReasonCounts!)).toEqual(["ENTRY", "TP2", "TP10", "LIQUIDATION"]);
    expect(statsOf({ fills }).fillReasonCounts!.ENTRY).toBe(2);
  });

  it("reports fill reasons as null when no fills are given", () => {
    expect(statsOf({}).fillReasonCounts).toBeNull();
  });
});

describe("determinism", () => {
  it("gives identical stats for identical input", () => {
    const trades = [makeTrade({ netPnlUsd: 0.1 }), makeTrade({ netPnlUsd: 0.2, rMultiple: 0.3 })];
    expect(JSON.stringify(statsOf({ trades }))).toBe(JSON.stringify(statsOf({ trades })));
  });
});

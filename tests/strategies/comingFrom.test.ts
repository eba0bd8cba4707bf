import { describe, expect, it } from "vitest";
import type { BarSeries, Fill, OrderRequest, StrategyContext } from "../../engine/index.js";
import { loadMarketData } from "../../data/loadMarketData.js";
import { runConfiguredBacktest } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";
import { loadUserSignalModule } from "../../strategies/signals/userModule.js";
import { runOrders } from "../fixtures/orders.js";
import { expectReconciled } from "../fixtures/reconcile.js";

/**
 * README "Coming from backtesting.py / backtrader / freqtrade": each mapping on the GOOG daily
 * series every one of those engines ships in its tests (data/samples/classic/GOOG.csv, the
 * first 150 sessions). Expected fills are computed from the CSV rows by
 * tests/fixtures/classic/gooExpected.py, which follows the README's rules and shares no code
 * with exitlab. The account is backtesting.py's default: 10 000 cash, commission 0.2 % on
 * every fill, no slippage, whole shares, leverage 1, no liquidation.
 */
const GOOG = "data/samples/classic/GOOG.csv";
const ACCOUNT = {
  initialBalance: 10_000,
  exchange: { market: "perp", takerFeeRate: 0.002, makerFeeRate: 0.002, slippageBps: 0 },
} as const;

type Row = [bar: number, reason: string, side: 1 | -1, price: number, quantity: number];

let goog: BarSeries | null = null;
async function series(): Promise<BarSeries> {
  goog ??= (await loadMarketData({ paths: [GOOG] })).bars[0];
  return goog;
}

/** The fills as [bar index, reason, side, price, quantity]. */
function rowsOf(fills: readonly Fill[], bars: BarSeries): Row[] {
  return fills.map((fill) => [bars.time.indexOf(fill.timeMs), fill.reason, fill.orderSide, fill.price, fill.quantity]);
}

function expectRows(actual: Row[], expected: Row[]): void {
  expect(actual.map(([bar, reason, side, , quantity]) => [bar, reason, side, quantity])).toEqual(expected.map(([bar, reason, side, , quantity]) => [bar, reason, side, quantity]));
  actual.forEach((row, k) => expect(row[3]).toBeCloseTo(expected[k][3], 9));
}

/** The shipped example strategies/examples/smaCrossAllIn.ts as backtesting.py's SmaCross(10, 20), all-in in whole shares. */
async function smaCross(fillTiming: "next-open" | "signal-close") {
  const file = "strategies/examples/smaCrossAllIn.ts";
  const config = configSchema.parse({
    ...ACCOUNT, data: { paths: [GOOG] }, execution: { fillTiming, liquidation: "off" },
    signals: { kind: "module", module: file, params: { fast: 10, slow: 20, step: 1 } },
  });
  const data = await loadMarketData({ paths: config.data.paths });
  const { result } = runConfiguredBacktest(config, data, { module: await loadUserSignalModule(file) });
  return { result, bars: data.bars[0] };
}

/** backtesting.py's crossover(SMA10, SMA20) at close i: +1 up, −1 down, 0 none (reads bars ≤ i only). */
function crossAt(bars: BarSeries, i: number): number {
  if (i < 20) return 0;
  const sma = (n: number, end: number) => {
    let sum = 0;
    for (let k = end - n + 1; k <= end; k++) sum += bars.close[k];
    return sum / n;
  };
  const before = sma(10, i - 1) - sma(20, i - 1);
  const now = sma(10, i) - sma(20, i);
  return before < 0 && now > 0 ? 1 : before > 0 && now < 0 ? -1 : 0;
}

const ALL_IN = { kind: "all-in", step: 1 } as const;
const TEN = { kind: "quantity", quantity: 10 } as const;
const options = { initialBalance: 10_000, exchange: { takerFeeRate: 0.002, makerFeeRate: 0.002 }, execution: { liquidation: "off" } } as const;

describe("coming from backtesting.py / backtrader / freqtrade, on GOOG daily", () => {
  it("fill timing next-open: SmaCross(10, 20) reverses all-in at the open after each cross, END at the last close", async () => {
    const { result, bars } = await smaCross("next-open");
    // Crosses at the closes of bars 62 (down), 74, 84, 87, 109, 118, 128; all-in = floor(cash / (open × 1.002)).
    expectRows(rowsOf(result.fills, bars), [
      [63, "ENTRY", -1, 169.02, 59], [75, "CLOSE", 1, 179.13, 59], [75, "ENTRY", 1, 179.13, 52],
      [85, "CLOSE", -1, 182.0, 52], [85, "ENTRY", -1, 182.0, 51], [88, "CLOSE", 1, 187.45, 51], [88, "ENTRY", 1, 187.45, 48],
      [110, "CLOSE", -1, 179.27, 48], [110, "ENTRY", -1, 179.27, 48], [119, "CLOSE", 1, 196.96, 48], [119, "ENTRY", 1, 196.96, 39],
      [129, "CLOSE", -1, 193.3, 39], [129, "ENTRY", -1, 193.3, 39], [149, "END", 1, 178.98, 39],
    ]);
    expect(result.account.finalEquity).toBeCloseTo(8201.65556, 6);
    expectReconciled(result);
  });

  it("fill timing signal-close (backtesting.py trade_on_close=True): the same crosses fill at the signal bar's close", async () => {
    const { result, bars } = await smaCross("signal-close");
    expectRows(rowsOf(result.fills, bars), [
      [62, "ENTRY", -1, 172.54, 57], [74, "CLOSE", 1, 180.4, 57], [74, "ENTRY", 1, 180.4, 52],
      [84, "CLOSE", -1, 180.08, 52], [84, "ENTRY", -1, 180.08, 52], [87, "CLOSE", 1, 186.3, 52], [87, "ENTRY", 1, 186.3, 48],
      [109, "CLOSE", -1, 177.12, 48], [109, "ENTRY", -1, 177.12, 48], [118, "CLOSE", 1, 196.03, 48], [118, "ENTRY", 1, 196.03, 39],
      [128, "CLOSE", -1, 191.37, 39], [128, "ENTRY", -1, 191.37, 38], [149, "END", 1, 178.98, 38],
    ]);
    expect(result.account.finalEquity).toBeCloseTo(7907.75688, 6);
    expectReconciled(result);
  });

  it("SL/TP anchored at the signal close (sl = close × 0.95, tp = close × 1.10 of the cross bar), filled along the intrabar path", async () => {
    const bars = await series();
    const request: OrderRequest = { side: "buy", size: ALL_IN, exits: { stopLoss: { pct: 0.05, anchor: "signal" }, takeProfit: { pct: 0.1, anchor: "signal" } } };
    const result = runOrders(bars, (i, ctx: StrategyContext) => {
      const cross = crossAt(bars, i);
      if (cross === 1 && ctx.position === null) ctx.submit(request);
      if (cross === -1 && ctx.position !== null) ctx.close();
    }, options);
    // Cross up at 74 (close 180.4): SL 171.38 hit on bar 76's fall. Cross up at 87 (186.3): TP 204.93 on bar 104.
    // Cross up at 118 (196.03): SL 186.2285 on bar 121.
    expectRows(rowsOf(result.fills, bars), [
      [75, "ENTRY", 1, 179.13, 55], [76, "SL", -1, 171.38, 55],
      [88, "ENTRY", 1, 187.45, 50], [104, "TP1", -1, 204.93, 50],
      [119, "ENTRY", 1, 196.96, 52], [121, "SL", -1, 186.2285, 52],
    ]);
    expect(result.account.finalEquity).toBeCloseTo(9772.066296, 6);
    expectReconciled(result);
  });

  it("trailing on closes (trailingReference close): 8 % below the best close since the fill, in force from the next bar", async () => {
    const bars = await series();
    const result = runOrders(bars, (i, ctx: StrategyContext) => {
      if (crossAt(bars, i) === 1 && ctx.position === null) ctx.submit({ side: "buy", size: ALL_IN, exits: { trailing: { distancePct: 0.08 } } });
    }, { ...options, execution: { ...options.execution, trailingReference: "close" } });
    // Entry 179.13 at bar 75; best close 203.9 (bar 105) → 187.588, reached on bar 108's fall.
    // Entry 196.96 at bar 119; best close 198.64 (bar 120) → 182.7488, reached on bar 123.
    expectRows(rowsOf(result.fills, bars), [
      [75, "ENTRY", 1, 179.13, 55], [108, "TRAIL", -1, 187.588, 55],
      [119, "ENTRY", 1, 196.96, 52], [123, "TRAIL", -1, 182.7488, 52],
    ]);
    expect(result.account.finalEquity).toBeCloseTo(9646.3789048, 6);
    expectReconciled(result);
  });

  it("a limit buy rests until the price comes down to it; a stop buy until the price rises through it", async () => {
    const bars = await series();
    // At bar 60's close (184.87): a limit at 0.9 × close = 163.8, reached on bar 66 (low 161.31), at its price.
    const limit = runOrders(bars, (i, ctx) => { if (i === 60) ctx.submit({ side: "buy", type: "limit", limitPrice: bars.close[60] * 0.9, size: TEN, exits: {} }); }, options);
    expectRows(rowsOf(limit.fills, bars), [[66, "ENTRY", 1, 163.8, 10], [149, "END", -1, 178.98, 10]]);
    expect(limit.fills[0].liquidity).toBe("maker");
    // A stop at the highest high of bars 51..60 (201.6, bar 53): first traded through on bar 94 (high 203.64), at the stop.
    let top = 0;
    for (let k = 51; k <= 60; k++) top = Math.max(top, bars.high[k]);
    const stop = runOrders(bars, (i, ctx) => { if (i === 60) ctx.submit({ side: "buy", type: "stop", stopPrice: top, size: TEN, exits: {} }); }, options);
    expectRows(rowsOf(stop.fills, bars), [[94, "ENTRY", 1, 201.6, 10], [149, "END", -1, 178.98, 10]]);
    expect(stop.fills[0].liquidity).toBe("taker");
    expect(stop.fills[0].gap).toBe(false);
  });
});

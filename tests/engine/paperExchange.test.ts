import { describe, expect, it } from "vitest";
import { HOUR, NO_FEES, OPEN_GATES, T0, barsOf, plan, runScenario, signalsAt } from "../fixtures/bars.js";
import { runBacktest } from "../../engine/replay.js";
import { expectReconciled } from "../fixtures/reconcile.js";
import type { FundingSeries } from "../../engine/types.js";

const flat = (n: number, price = 100): [number, number, number, number][] =>
  Array.from({ length: n }, () => [price, price + 1, price - 1, price] as [number, number, number, number]);
const exitsOf = (result: ReturnType<typeof runScenario>) => result.fills.filter((fill) => fill.reason !== "ENTRY");

describe("liquidation", () => {
  it("closes the whole position at the liquidation price and loses exactly its margin and entry fee", () => {
    // 10×, budget 1000 at 100: liquidation at 100 × (1 − 1/10 + 0.005) = 90.5.
    const bars = barsOf("X", [...flat(2), [99, 100, 85, 88], [88, 89, 87, 88]]);
    const result = runScenario(bars, { 0: 1 }, plan({ stopLossPct: null }), {
      sizing: { marginUsd: 1000, leverage: 10 }, exchange: { takerFeeRate: 0.0005 }, initialBalance: 10_000,
    });
    const exit = exitsOf(result)[0];
    expect(exit.reason).toBe("LIQUIDATION");
    expect(exit.price).toBeCloseTo(90.5, 12);
    expect(exit.liquidity).toBe("liquidation");
    expect(result.account.finalEquity).toBeCloseTo(10_000 - 1000, 9);
    expect(result.counters.liquidations).toBe(1);
    expectReconciled(result);
  });

  it("liquidates a short above its entry at entry × (1 + 1/L − mmr)", () => {
    const bars = barsOf("X", [...flat(2), [101, 112, 100, 110]]);
    const result = runScenario(bars, { 0: -1 }, plan(), { sizing: { marginUsd: 1000, leverage: 10 }, initialBalance: 10_000 });
    expect(exitsOf(result)[0].price).toBeCloseTo(109.5, 12);
    expect(result.account.finalEquity).toBeCloseTo(9000, 9);
    expectReconciled(result);
  });

  it("liquidates before a stop that lies beyond the liquidation price, and counts that entry", () => {
    const bars = barsOf("X", [...flat(2), [99, 100, 80, 85]]);
    const result = runScenario(bars, { 0: 1 }, plan({ stopLossPct: 0.15 }), { sizing: { marginUsd: 1000, leverage: 10 } });
    expect(exitsOf(result)[0].reason).toBe("LIQUIDATION");
    expect(result.counters.slBeyondLiquidation).toBe(1);
    expect(result.warnings.join(" ")).toMatch(/beyond the liquidation price/);
  });
});

describe("fees and slippage", () => {
  it("charges the taker fee and slippage on entries and stops, the maker fee and no slippage on TPs", () => {
    const bars = barsOf("X", [...flat(2), [101, 106, 100, 104]]);
    const result = runScenario(bars, { 0: 1 }, plan({ stopLossPct: 0.03, stages: [{ movePct: 0.05, fraction: 1 }] }), {
      exchange: { takerFeeRate: 0.0005, makerFeeRate: 0.0002, slippageBps: 10 },
    });
    const [entry, exit] = result.fills;
    expect(entry.price).toBeCloseTo(100.1, 12);
    expect(entry.feeUsd).toBeCloseTo(100.1 * 0.0005, 12);
    expect(exit.price).toBeCloseTo(100.1 * 1.05, 12);
    expect(exit.feeUsd).toBeCloseTo(100.1 * 1.05 * 0.0002, 12);
    const trade = result.trades[0];
    expect(trade.feesUsd).toBeCloseTo(entry.feeUsd + exit.feeUsd, 12);
    expect(trade.netPnlUsd).toBeCloseTo(100.1 * 0.05 - entry.feeUsd - exit.feeUsd, 12);
    expectReconciled(result);
  });

  it("sizes a margin budget with the entry fee reserved and rounds the quantity down to the lot", () => {
    const bars = barsOf("X", flat(3));
    const result = runScenario(bars, { 0: 1 }, plan(), {
      sizing: { marginUsd: 1000, leverage: 5 }, exchange: { takerFeeRate: 0.001, lotSize: 0.01 },
    });
    // 1000 / (100 × (1/5 + 0.001)) = 49.75…, down to 49.75.
    expect(result.fills[0].quantity).toBeCloseTo(49.75, 12);
    expect(result.trades[0].marginUsd + result.fills[0].feeUsd).toBeLessThanOrEqual(1000);
  });

  it("refuses an entry whose margin and fee exceed the available balance, as an event", () => {
    const result = runScenario(barsOf("X", flat(3)), { 0: 1 }, plan(), { sizing: { marginUsd: 2000, leverage: 1 }, initialBalance: 1000 });
    expect(result.trades).toHaveLength(0);
    expect(result.refusals).toEqual([{ symbol: "X", timeMs: T0 + HOUR, reason: "INSUFFICIENT_MARGIN", marginUsd: 2000 }]);
    expect(result.counters.refusedOrders.INSUFFICIENT_MARGIN).toBe(1);
  });

  it("refuses an entry below the minimum notional", () => {
    const result = runScenario(barsOf("X", flat(3)), { 0: 1 }, plan(), { exchange: { minNotional: 500 } });
    expect(result.counters.refusedOrders.MIN_NOTIONAL).toBe(1);
  });
});

describe("funding", () => {
  // Hourly bars from 00:00 UTC; the 08:00 bar opens at 110.
  const rows = flat(12);
  rows[8] = [110, 111, 109, 110];

  it("charges a long rate × quantity × the open of the bar containing the funding time", () => {
    const result = runScenario(barsOf("X", rows), { 0: 1 }, plan(), { exchange: { fundingRate: 0.0001 } });
    // Entry fills at 01:00; funding at 08:00 only (00:00 is before the entry, 16:00 after the data).
    expect(result.trades[0].fundingUsd).toBeCloseTo(-0.0001 * 110, 12);
    expect(result.counters.fundingTimesPaid).toBe(1);
    expectReconciled(result);
  });

  it("pays a short when the rate is positive", () => {
    const result = runScenario(barsOf("X", rows), { 0: -1 }, plan(), { exchange: { fundingRate: 0.0001 } });
    expect(result.trades[0].fundingUsd).toBeCloseTo(0.0001 * 110, 12);
  });

  it("charges a position filled at the funding bar's open even when it exits inside that bar", () => {
    const withDrop = rows.map((row) => [...row] as [number, number, number, number]);
    withDrop[8] = [110, 111, 100, 101];
    const result = runScenario(barsOf("X", withDrop), { 7: 1 }, plan({ stopLossPct: 0.05 }), { exchange: { fundingRate: 0.0001 } });
    expect(result.trades[0].exitReason).toBe("SL");
    expect(result.trades[0].fundingUsd).toBeCloseTo(-0.0001 * 110, 12);
    expect(result.fills[1].fundingUsd).toBeCloseTo(-0.0001 * 110, 12);
    expectReconciled(result);
  });

  it("takes rates and times from a funding file and reports how many times it covered", () => {
    const file: FundingSeries = { symbol: "X", time: Float64Array.of(T0 + 8 * HOUR), rate: Float64Array.of(-0.0002), length: 1 };
    const result = runScenario(barsOf("X", rows), { 0: 1 }, plan(), { funding: new Map([["X", file]]) });
    expect(result.trades[0].fundingUsd).toBeCloseTo(0.0002 * 110, 12);
    expect(result.counters.fundingTimesFromData).toBe(1);
    expect(result.counters.fundingTimesFromConstant).toBe(0);
    // 00:00 lies before the file's first time and no constant is configured.
    expect(result.counters.fundingTimesUncovered).toBe(1);
  });

  it("uses the constant rate on the 8 h grid outside the funding file's range", () => {
    const file: FundingSeries = { symbol: "X", time: Float64Array.of(T0 + 8 * HOUR), rate: Float64Array.of(0.0003), length: 1 };
    const late = flat(20);
    late[16] = [120, 121, 119, 120];
    const result = runScenario(barsOf("X", late), { 0: 1 }, plan(), { funding: new Map([["X", file]]), exchange: { fundingRate: 0.0001 } });
    expect(result.counters.fundingTimesFromData).toBe(1);
    expect(result.counters.fundingTimesFromConstant).toBe(2);
    expect(result.counters.fundingTimesUncovered).toBe(0);
    // Paid at 08:00 (file, open 100) and 16:00 (constant, open 120); 00:00 precedes the entry.
    expect(result.trades[0].fundingUsd).toBeCloseTo(-(0.0003 * 100 + 0.0001 * 120), 12);
    expectReconciled(result);
  });

  it("pays a funding time that falls in a data gap at the close of the last bar before it", () => {
    const bars = barsOf("X", flat(10));
    // Remove the 08:00 bar: 07:00 closes at 105, the next bar (09:00) opens at 120.
    const times = Array.from(bars.time).filter((_, i) => i !== 8);
    const pick = (column: Float64Array) => Float64Array.from(Array.from(column).filter((_, i) => i !== 8));
    const gapped = { ...bars, length: 9, time: Float64Array.from(times), open: pick(bars.open), high: pick(bars.high), low: pick(bars.low), close: pick(bars.close), volume: pick(bars.volume) };
    gapped.close[7] = 105; gapped.high[7] = 106;
    gapped.open[8] = 120; gapped.high[8] = 121; gapped.close[8] = 120;
    const result = runScenario(gapped, { 0: 1 }, plan(), { exchange: { fundingRate: 0.0001 } });
    expect(result.trades[0].fundingUsd).toBeCloseTo(-0.0001 * 105, 12);
    expectReconciled(result);
  });
});

describe("spot", () => {
  it("never liquidates, pays no funding and drops short entries", () => {
    const bars = barsOf("X", [...flat(2), [99, 100, 10, 20], ...flat(3, 20)]);
    const result = runScenario(bars, { 0: 1, 4: -1 }, plan(), {
      exchange: { market: "spot", fundingRate: 0.01 }, sizing: { marginUsd: 1000, leverage: 10 },
    });
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0].exitReason).toBe("END");
    expect(result.trades[0].leverage).toBe(1);
    expect(result.trades[0].fundingUsd).toBe(0);
    expect(result.counters.gateDrops.alreadyInPosition + result.counters.gateDrops.opposite).toBe(1);
    expectReconciled(result);
  });
});

describe("time and signal exits", () => {
  it("closes at the close of the N-th bar held, the entry bar counting as 1", () => {
    const bars = barsOf("X", [...flat(2), [100, 101, 99, 100.5], [100.5, 102, 100, 101], ...flat(2)]);
    const result = runScenario(bars, { 0: 1 }, plan({ maxHoldingBars: 2 }));
    const exit = exitsOf(result)[0];
    expect([exit.reason, exit.price, exit.timeMs]).toEqual(["TIME", 100.5, bars.time[2]]);
    expect(result.trades[0].barsHeld).toBe(2);
  });

  it("closes on an opposite signal at the next open when onOpposite is close", () => {
    const bars = barsOf("X", [...flat(3), [103, 104, 102, 103], ...flat(2)]);
    const result = runScenario(bars, { 0: 1, 2: -1 }, plan(), { gates: { onOpposite: "close" } });
    expect(result.trades).toHaveLength(1);
    expect([result.trades[0].exitReason, result.trades[0].exitPrice]).toEqual(["SIGNAL", 103]);
  });

  it("reverses at the same open when onOpposite is reverse", () => {
    const bars = barsOf("X", [...flat(3), [103, 104, 102, 103], ...flat(2)]);
    const result = runScenario(bars, { 0: 1, 2: -1 }, plan(), { gates: { onOpposite: "reverse" } });
    expect(result.trades.map((trade) => [trade.side, trade.exitReason])).toEqual([[1, "SIGNAL"], [-1, "END"]]);
    expect(result.trades[1].entryTimeMs).toBe(result.trades[0].exitTimeMs);
    expectReconciled(result);
  });

  it("ignores an opposite signal by default and counts the drop", () => {
    const result = runScenario(barsOf("X", flat(5)), { 0: 1, 2: -1 }, plan());
    expect(result.trades).toHaveLength(1);
    expect(result.counters.gateDrops.opposite).toBe(1);
  });

  it("closes what is still open at the last close (END) and records it in openAtEnd first", () => {
    const result = runScenario(barsOf("X", [...flat(3), [100, 101, 99, 100.7]]), { 0: 1 }, plan({ stopLossPct: 0.03 }));
    expect(result.openAtEnd).toHaveLength(1);
    expect(result.openAtEnd[0].stopPrice).toBeCloseTo(97, 12);
    expect([result.trades[0].exitReason, result.trades[0].exitPrice]).toEqual(["END", 100.7]);
  });
});

describe("shorts mirror longs", () => {
  // Mirrored around the entry (p → 200 − p), levels measured from the entry mirror exactly;
  // a trailing level is a percentage of the peak (long) or trough (short), so it is
  // checked against each side's own extreme.
  it("gives mirrored fills for a bar set mirrored around the entry price", () => {
    const longRows: [number, number, number, number][] = [
      [100, 101, 99, 100], [100, 101, 99, 100.5], [100.5, 103.5, 99.5, 103], [103, 104, 101.5, 102],
      [102, 106, 101.5, 105.5], [105.5, 106.5, 102, 102.5], [102.5, 103, 96, 97],
    ];
    const mirror = (p: number) => 200 - p;
    const shortRows = longRows.map(([o, h, l, c]) => [mirror(o), mirror(l), mirror(h), mirror(c)] as [number, number, number, number]);
    const harvest = plan({
      stopLossPct: 0.03, stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.05, fraction: 0.25 }],
      trailing: { distancePct: 0.03, activationPct: 0.03, afterStage: 1 }, breakevenOffsetPct: 0,
    });
    const long = runScenario(barsOf("X", longRows), { 0: 1 }, harvest);
    const short = runScenario(barsOf("X", shortRows), { 0: -1 }, harvest);
    expect(long.fills.map((f) => f.reason)).toEqual(["ENTRY", "TP1", "TP2", "TRAIL"]);
    expect(short.fills.map((f) => f.reason)).toEqual(long.fills.map((f) => f.reason));
    expect(long.fills[3].price).toBeCloseTo(106.5 * 0.97, 9);
    expect(short.fills[3].price).toBeCloseTo(mirror(106.5) * 1.03, 9);
    short.fills.forEach((fill, i) => {
      if (fill.reason !== "TRAIL") expect(fill.price).toBeCloseTo(mirror(long.fills[i].price), 9);
      expect(fill.quantity).toBeCloseTo(long.fills[i].quantity, 12);
      if (fill.reason !== "TRAIL") expect(fill.realizedPnlUsd).toBeCloseTo(long.fills[i].realizedPnlUsd, 9);
    });
    expectReconciled(long);
    expectReconciled(short);
  });
});

describe("leverage capped to the stop", () => {
  it("lowers leverage so the stop loss lies inside the liquidation distance, and counts it", () => {
    // SL 15 % at 10×: liquidation 9.5 % away, so the stop could never fire first.
    const bars = barsOf("X", [...flat(2), [99, 100, 80, 85]]);
    const capped = runBacktestWithCap(bars);
    expect(capped.counters.leverageCappedToStop).toBe(1);
    expect(capped.counters.slBeyondLiquidation).toBe(0);
    // 1 / (0.15 + 0.005) ≈ 6.45×: the stop at 85 now fires before liquidation at ≈ 85.0.
    expect(capped.trades[0].leverage).toBeCloseTo(1 / 0.155, 6);
    expect(capped.trades[0].exitReason).toBe("SL");
    expectReconciled(capped);
  });
});

function runBacktestWithCap(bars: ReturnType<typeof barsOf>) {
  return runBacktest({
    data: { bars: [bars], funding: new Map(), fingerprint: [] },
    signals: { bySymbol: new Map([["X", signalsAt(bars.length, { 0: 1 })]]), stats: {} },
    exchange: NO_FEES, gates: OPEN_GATES, intrabarMode: "default", initialBalance: 10_000, maxLeverage: 25,
    capLeverageToStop: true,
    sizeEntry: () => ({ marginUsd: 1000, leverage: 10 }),
    planExit: () => plan({ stopLossPct: 0.15 }),
  });
}

describe("isolated margin caps a slipped market exit", () => {
  it("fills a stop whose slippage would pass the liquidation price at the liquidation price", () => {
    // 10×, 1 000 bps slippage: the entry fills at 110, its SL (9 %) at 100.1 lies inside the
    // 9.5 % liquidation distance (99.55), but the stop's fill slips 10 % below — past it.
    const bars = barsOf("X", [...flat(2), [99, 100, 80, 85]]);
    const result = runScenario(bars, { 0: 1 }, plan({ stopLossPct: 0.09 }), {
      sizing: { marginUsd: 1000, leverage: 10 }, exchange: { slippageBps: 1000 }, initialBalance: 10_000,
    });
    const entry = result.fills[0].price;
    const exit = result.fills[1];
    expect(exit.reason).toBe("SL");
    expect(exit.price).toBeCloseTo(entry * (1 - 1 / 10 + 0.005), 9);
    // The position's loss is at most its margin (plus fees).
    expect(result.trades[0].realizedPnlUsd).toBeGreaterThanOrEqual(-result.trades[0].marginUsd - 1e-9);
    expectReconciled(result);
  });
});

describe("tick rounding", () => {
  it("leaves prices below one tick unrounded instead of inventing a price", () => {
    const bars = barsOf("X", [[0.5, 0.51, 0.49, 0.5], [0.5, 0.51, 0.49, 0.505], [0.505, 0.6, 0.5, 0.58]]);
    const result = runScenario(bars, { 0: 1 }, plan({ stopLossPct: 0.03, stages: [{ movePct: 0.05, fraction: 1 }] }), { exchange: { tickSize: 1 } });
    expect(result.fills.map((fill) => fill.reason)).toEqual(["ENTRY", "TP1"]);
    expect(result.fills[0].price).toBe(0.5);
    expect(result.fills[1].price).toBeCloseTo(0.525, 12);
    expectReconciled(result);
  });
});

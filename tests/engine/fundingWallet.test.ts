import { describe, expect, it } from "vitest";
import type { FundingSeries } from "../../engine/index.js";
import type { BracketTable } from "../../engine/brackets.js";
import { HOUR, T0, barsOf, plan, runScenario } from "../fixtures/bars.js";
import { expectReconciled } from "../fixtures/reconcile.js";
import { runOrders } from "../fixtures/orders.js";

// A long of 1 unit at 100 with leverage 10: margin 10, maintenance 0.5 % → liquidation 90.5.
// Funding 3 % per time at 08:00, 16:00, 00:00, 08:00 costs 3 USDT each at price 100.
const tenX = { marginUsd: 0, leverage: 10, quantity: 1 };
const times = [8, 16, 24, 32].map((h) => T0 + h * HOUR);
const funding: FundingSeries = { symbol: "X", time: Float64Array.from(times), rate: Float64Array.from(times, () => 0.03), length: times.length };
const flat = (n: number) => Array.from({ length: n }, () => [100, 100, 100, 100] as [number, number, number, number]);

describe("funding of an isolated position is settled in its isolated wallet (Binance)", () => {
  it("moves the liquidation price toward the market as funding is paid, and liquidates when the wallet is empty", () => {
    // Wallet 10 → 7 → 4 → 1; the fourth payment can take only the last 1: the wallet is empty, the
    // liquidation price (100 − (0 − 0.5)) = 100.5 is past the price, so the position is liquidated at 100.
    const result = runScenario(barsOf("X", flat(40)), { 0: 1 }, plan(), { sizing: tenX, funding: new Map([["X", funding]]) });
    expect(result.trades).toHaveLength(1);
    const trade = result.trades[0];
    expect(trade.exitReason).toBe("LIQUIDATION");
    expect(trade.exitTimeMs).toBe(T0 + 32 * HOUR);
    expect(trade.fundingUsd).toBeCloseTo(-10, 12);
    expect(-trade.fundingUsd).toBeLessThanOrEqual(trade.marginUsd);
    expect(trade.netPnlUsd).toBeCloseTo(-10, 12);
    expect(result.account.finalEquity).toBeCloseTo(100_000 - 10, 9);
    expectReconciled(result);
  });

  it("liquidates along the path at the moved price, losing exactly the wallet", () => {
    // After two payments the wallet is 4: liquidation 100 − (4 − 0.5) = 96.5, reached by bar 20's low of 96.
    const rows = flat(40);
    rows[20] = [100, 100, 96, 99];
    const result = runScenario(barsOf("X", rows), { 0: 1 }, plan(), { sizing: tenX, funding: new Map([["X", funding]]) });
    const trade = result.trades[0];
    expect(trade.exitReason).toBe("LIQUIDATION");
    expect(result.fills[1].price).toBeCloseTo(96.5, 12);
    expect(trade.fundingUsd).toBeCloseTo(-6, 12);
    // PnL −3.5, liquidation fee = wallet left after the loss = 4 − 3.5 = 0.5: the trade loses the margin, 10.
    expect(trade.netPnlUsd).toBeCloseTo(-10, 12);
    expectReconciled(result);
  });

  it("leaves the liquidation price where SPEC §6.3 puts it when no funding is paid", () => {
    const result = runScenario(barsOf("X", flat(5)), { 0: 1 }, plan(), { sizing: tenX });
    expect(result.openAtEnd[0].liquidationPrice).toBeCloseTo(90.5, 12);
  });
});

describe("funding of an isolated position with leverage brackets moves Binance's liquidation price", () => {
  // One tier: MMR 1 %, maintenance amount 0. A long of 1 unit at 100, 10×: wallet 10,
  // LP = (10 + 0 − 100) / (0.01 − 1) = 90.909…; each 2 % funding time costs 2 USDT at price 100.
  const table: BracketTable = [{ bracket: 1, initialLeverage: 20, notionalFloor: 0, notionalCap: 1000, maintMarginRatio: 0.01, cum: 0 }];
  const brackets = new Map([["X", table]]);
  const five = [8, 16, 24, 32, 40].map((h) => T0 + h * HOUR);
  const twoPct: FundingSeries = { symbol: "X", time: Float64Array.from(five), rate: Float64Array.from(five, () => 0.02), length: five.length };
  const lp = (wallet: number, side: number) => (wallet - side * 100) / (0.01 - side);

  it("uses the wallet after funding as WB: paid funding moves the price toward the market, and a later bar liquidates there", () => {
    // After two payments the wallet is 6: LP = (6 − 100) / (0.01 − 1) = 94.949…, reached by bar 20's low of 94.
    const rows = flat(48);
    rows[20] = [100, 100, 94, 99];
    const result = runScenario(barsOf("X", rows), { 0: 1 }, plan(), { sizing: tenX, funding: new Map([["X", twoPct]]), exchange: { brackets } });
    const trade = result.trades[0];
    expect(trade.exitReason).toBe("LIQUIDATION");
    expect(result.fills[1].price).toBeCloseTo(lp(6, 1), 9);
    expect(result.fills[1].price).toBeGreaterThan(lp(10, 1));
    expect(trade.fundingUsd).toBeCloseTo(-4, 12);
    // The trader loses exactly the wallet: margin 10 (4 of it paid as funding).
    expect(trade.netPnlUsd).toBeCloseTo(-10, 9);
    expectReconciled(result);
  });

  it("liquidates at the funding time whose payment moves the price past the market", () => {
    // Wallet 10 → 8 → 6 → 4 → 2 → 0: with nothing left LP = 100 / 0.99 = 101.01… is past the price of 100.
    const result = runScenario(barsOf("X", flat(48)), { 0: 1 }, plan(), { sizing: tenX, funding: new Map([["X", twoPct]]), exchange: { brackets } });
    const trade = result.trades[0];
    expect(trade.exitReason).toBe("LIQUIDATION");
    expect(trade.exitTimeMs).toBe(T0 + 40 * HOUR);
    expect(trade.fundingUsd).toBeCloseTo(-10, 12);
    expect(result.account.finalEquity).toBeCloseTo(100_000 - 10, 9);
    expectReconciled(result);
  });

  it("moves a short's price away from the market when it receives funding, and shows the moved price as the position's", () => {
    // The short receives 2 USDT at each of the first four times: wallet 18, LP = (18 + 100) / 1.01.
    const result = runScenario(barsOf("X", flat(34)), { 0: -1 }, plan(), { sizing: tenX, funding: new Map([["X", twoPct]]), exchange: { brackets } });
    expect(result.openAtEnd[0].liquidationPrice).toBeCloseTo(lp(18, -1), 9);
    expect(lp(18, -1)).toBeGreaterThan(lp(10, -1));
  });

  it("shows a strategy the bracket liquidation price in ctx.position, moved by the funding settled so far", () => {
    const seen: (number | null)[] = [];
    runOrders(barsOf("X", flat(20)), (i, ctx) => {
      if (i === 0) ctx.submit({ side: "buy", size: { kind: "quantity", quantity: 1 }, leverage: 10, exits: {} });
      if (i === 2 || i === 12) seen.push(ctx.position?.liquidationPrice ?? null);
    }, { exchange: { brackets }, funding: new Map([["X", twoPct]]) });
    expect(seen[0]).toBeCloseTo(lp(10, 1), 9);
    expect(seen[1]).toBeCloseTo(lp(8, 1), 9);
  });
});

describe("a partial exit under leverage brackets recomputes Binance's liquidation price for what is left open", () => {
  // Two tiers: notional ≤ 150 MMR 0.5 %, cum 0; above, MMR 1 %, cum 0.75 (= 150 × 0.5 %).
  const table: BracketTable = [
    { bracket: 1, initialLeverage: 50, notionalFloor: 0, notionalCap: 150, maintMarginRatio: 0.005, cum: 0 },
    { bracket: 2, initialLeverage: 20, notionalFloor: 150, notionalCap: 1000, maintMarginRatio: 0.01, cum: 0.75 },
  ];
  const brackets = new Map([["X", table]]);
  const twoUnits = { marginUsd: 0, leverage: 10, quantity: 2 };
  const staged = plan({ stages: [{ movePct: 0.05, fraction: 0.5 }, { movePct: 0.5, fraction: 0.5 }] });

  it("puts the price of the 1 unit left at (10 − 100) / (0.005 − 1) after half of 2 units closed at TP1", () => {
    // Entry 2 units at 100 (notional 200, tier 2), wallet 20: LP = (20 + 0.75 − 200) / (0.02 − 2) = 90.530….
    // Bar 3 reaches TP1 at 105 and closes 1 unit; the open unit's wallet is 10 and its notional 100
    // lies in tier 1: LP = (10 + 0 − 100) / (0.005 − 1) = 90.452….
    const rows = flat(8);
    rows[3] = [100, 106, 100, 104];
    const before = runScenario(barsOf("X", flat(3)), { 0: 1 }, staged, { sizing: twoUnits, exchange: { brackets } });
    expect(before.openAtEnd[0].liquidationPrice).toBeCloseTo((20 + 0.75 - 200) / (0.02 - 2), 9);
    const after = runScenario(barsOf("X", rows), { 0: 1 }, staged, { sizing: twoUnits, exchange: { brackets } });
    expect(after.fills.map((fill) => fill.reason)).toEqual(["ENTRY", "TP1", "END"]);
    expect(after.openAtEnd[0].quantity).toBeCloseTo(1, 12);
    expect(after.openAtEnd[0].liquidationPrice).toBeCloseTo((10 - 100) / (0.005 - 1), 9);
    expectReconciled(after);
  });

  it("keeps the price unchanged by a partial exit under the constant rate, where it does not depend on the quantity", () => {
    const rows = flat(8);
    rows[3] = [100, 106, 100, 104];
    const result = runScenario(barsOf("X", rows), { 0: 1 }, staged, { sizing: twoUnits });
    expect(result.openAtEnd[0].liquidationPrice).toBeCloseTo(90.5, 12);
  });
});

import { describe, expect, it } from "vitest";
import type { FundingSeries } from "../../engine/index.js";
import { HOUR, T0, barsOf, plan, runScenario } from "../fixtures/bars.js";
import { expectReconciled } from "../fixtures/reconcile.js";

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

import { describe, expect, it } from "vitest";
import {
  bracketForNotional, bracketLiquidationPrice, cappedLeverageForBrackets, maintenanceMargin, maxLeverageForNotional, type BracketTable,
} from "../../engine/brackets.js";
import { loadBracketsSync, parseBrackets } from "../../data/loadBrackets.js";
import { barsOf, plan, runScenario } from "../fixtures/bars.js";
import { expectReconciled } from "../fixtures/reconcile.js";

const SHIPPED = "data/brackets/binance-usdm-2021-03-18.json";
const btc = loadBracketsSync(SHIPPED).get("BTCUSDT") as BracketTable;

describe("Binance's leverage brackets (the shipped BTCUSDT tiers of 2021-03-18)", () => {
  it("puts a 264,000 USDT position at a 1 % maintenance margin rate (Binance FAQ example)", () => {
    expect(bracketForNotional(btc, 264_000)?.maintMarginRatio).toBe(0.01);
  });

  it("gives a 500,000 USDT position a maintenance amount of 1,300 USDT (Binance FAQ example)", () => {
    expect(bracketForNotional(btc, 500_000)?.cum).toBe(1300);
  });

  it("reproduces the maintenance margin of Binance's worked example: 3,500,032.458 × 2.50 % − 16,300 = 71,200.81144", () => {
    expect(maintenanceMargin(3_500_032.458, bracketForNotional(btc, 3_500_032.458)!)).toBeCloseTo(71_200.81144, 4);
  });

  it("holds each tier's maintenance amount as Binance's formula gives it: floor × (MMR − previous MMR) + previous amount", () => {
    for (let i = 1; i < btc.length; i++) {
      expect(btc[i].cum).toBeCloseTo(btc[i].notionalFloor * (btc[i].maintMarginRatio - btc[i - 1].maintMarginRatio) + btc[i - 1].cum, 6);
    }
  });

  it("counts a tier's cap into that tier and its floor into the one below (0 < Position ≤ 50,000)", () => {
    expect(bracketForNotional(btc, 50_000)?.bracket).toBe(1);
    expect(bracketForNotional(btc, 50_000.01)?.bracket).toBe(2);
    expect(bracketForNotional(btc, 0)?.bracket).toBe(1);
    expect(bracketForNotional(btc, 500_000_001)).toBeNull();
    expect(maxLeverageForNotional(btc, 500_000_001)).toBe(0);
  });
});

describe("Binance's isolated liquidation price, one-way mode", () => {
  it("is (WB + cum − side·Q·EP) / (Q·MMR − side·Q) for a 10× long and short of 0.1 BTC at 100,000", () => {
    // Notional 10,000 in tier 1 (MMR 0.4 %, cum 0), isolated wallet balance 1,000.
    expect(bracketLiquidationPrice(btc, 100_000, 1, 0.1, 1000)).toBeCloseTo((1000 - 0.1 * 100_000) / (0.1 * 0.004 - 0.1), 9);
    expect(bracketLiquidationPrice(btc, 100_000, 1, 0.1, 1000)).toBeCloseTo(90_361.445783, 5);
    expect(bracketLiquidationPrice(btc, 100_000, -1, 0.1, 1000)).toBeCloseTo(109_561.752988, 5);
  });

  it("leaves exactly the maintenance margin at the liquidation price", () => {
    for (const [entry, side, quantity, balance] of [[100_000, 1, 5, 10_000], [100_000, -1, 5, 10_000], [30_000, 1, 40, 24_000]] as const) {
      const price = bracketLiquidationPrice(btc, entry, side, quantity, balance);
      const equity = balance + side * quantity * (price - entry);
      expect(equity).toBeCloseTo(maintenanceMargin(quantity * price, bracketForNotional(btc, quantity * price)!), 6);
    }
  });

  it("recomputes with the tier of the notional at the liquidation price when it differs (Binance FAQ note)", () => {
    // 2.6 BTC at 100,000 = 260,000 (tier 3), 10×: at tier 3's price the notional is ~235,050, in tier 2.
    const price = bracketLiquidationPrice(btc, 100_000, 1, 2.6, 26_000);
    expect(price).toBeCloseTo((26_000 + 50 - 260_000) / (2.6 * 0.005 - 2.6), 6);
    expect(bracketForNotional(btc, 2.6 * price)?.bracket).toBe(2);
  });

  it("agrees with the price Binance's API reported for a 0.001 BTC long at 61,788.9 (wallet balance 53.35… USDT)", () => {
    // dev.binance.vision "Position risk API": liquidationPrice 8465.58529116, MMR 0.4 %, cum 0.
    const impliedBalance = 8465.58529116 * (0.001 * 0.004 - 0.001) + 0.001 * 61_788.9;
    expect(Math.floor(impliedBalance * 100) / 100).toBe(53.35);
    expect(bracketLiquidationPrice(btc, 61_788.9, 1, 0.001, impliedBalance)).toBeCloseTo(8465.58529116, 6);
  });

  it("has no liquidation price for a long no price can liquidate (1×: Binance shows --)", () => {
    expect(bracketLiquidationPrice(btc, 100_000, 1, 0.1, 10_000)).toBeNaN();
  });
});

describe("capping leverage to the tier", () => {
  it("keeps a leverage the tier allows, else takes the highest tier maximum whose notional fits", () => {
    const budget = (leverage: number) => 5_000 * leverage;
    expect(cappedLeverageForBrackets(btc, 10, budget)).toBe(10);
    // 5,000 × 75 = 375,000 is in tier 3 (max 50×): 50× gives 250,000, in tier 2 (max 100×).
    expect(cappedLeverageForBrackets(btc, 75, budget)).toBe(50);
    expect(cappedLeverageForBrackets(btc, 75, () => 2_000_000)).toBe(20);
    expect(cappedLeverageForBrackets(btc, 5, () => 600_000_000)).toBe(0);
  });
});

describe("the leverage-bracket file", () => {
  it("reads the single-symbol form of the endpoint's answer", () => {
    const tables = parseBrackets(JSON.stringify({ symbol: "ETHUSDT", notionalCoef: 1.5, brackets: [{ bracket: 1, initialLeverage: 75, notionalCap: 10000, notionalFloor: 0, maintMarginRatio: 0.0065, cum: 0 }] }), "f.json");
    expect(tables.get("ETHUSDT")?.[0].initialLeverage).toBe(75);
  });

  it("names the file and the JSON path of a missing field", () => {
    expect(() => parseBrackets('[{"symbol":"X","brackets":[{"bracket":1,"initialLeverage":5,"notionalCap":10,"notionalFloor":0,"cum":0}]}]', "b.json"))
      .toThrow(/not a leverage-bracket file at 0\.brackets\.0\.maintMarginRatio/);
  });

  it("refuses tiers with a gap, bad JSON and a symbol listed twice", () => {
    const tier = (bracket: number, floor: number, cap: number) => ({ bracket, initialLeverage: 10, notionalCap: cap, notionalFloor: floor, maintMarginRatio: 0.01, cum: 0 });
    expect(() => parseBrackets(JSON.stringify([{ symbol: "X", brackets: [tier(1, 0, 10), tier(2, 20, 30)] }]), "b.json")).toThrow(/does not continue the previous tier's cap 10/);
    expect(() => parseBrackets("{", "b.json")).toThrow(/not valid JSON/);
    expect(() => parseBrackets(JSON.stringify([{ symbol: "X", brackets: [tier(1, 0, 10)] }, { symbol: "X", brackets: [tier(1, 0, 10)] }]), "b.json")).toThrow(/listed twice/);
  });
});

describe("entries with leverage brackets", () => {
  // Tier 1: up to 1,000 USDT at 20× (MMR 1 %); tier 2: up to 10,000 at 5× (MMR 2 %, cum 10).
  const table: BracketTable = [
    { bracket: 1, initialLeverage: 20, notionalFloor: 0, notionalCap: 1000, maintMarginRatio: 0.01, cum: 0 },
    { bracket: 2, initialLeverage: 5, notionalFloor: 1000, notionalCap: 10_000, maintMarginRatio: 0.02, cum: 10 },
  ];
  const brackets = new Map([["X", table]]);
  const bars = barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 100.5, 80, 99]]);
  const hold = plan({ stopLossPct: null, stages: [] });

  it("liquidates at Binance's price for the tier of the notional", () => {
    // 5 units at 100 = 500 USDT, 10×: margin 50; LP = (50 + 0 − 500) / (5 × 0.01 − 5) = 90.909…
    const result = runScenario(bars, { 0: 1 }, hold, { sizing: { marginUsd: 0, leverage: 10, quantity: 5 }, exchange: { brackets } });
    const liquidation = result.fills.find((fill) => fill.reason === "LIQUIDATION");
    expect(liquidation?.price).toBeCloseTo(450 / 4.95, 9);
    expect(result.counters.liquidation).toEqual({ price: "last", maintenance: "brackets", markBarsUncovered: 0, leverageRefused: 0, leverageCappedToBracket: 0 });
    expectReconciled(result);
  });

  it("refuses an entry whose leverage is above its tier's maximum, as an event with its reason", () => {
    // 20 units at 100 = 2,000 USDT, tier 2 (max 5×), asked 10×.
    const result = runScenario(bars, { 0: 1 }, hold, { sizing: { marginUsd: 0, leverage: 10, quantity: 20 }, exchange: { brackets } });
    expect(result.trades).toEqual([]);
    expect(result.refusals.map((refusal) => refusal.reason)).toEqual(["LEVERAGE_ABOVE_BRACKET"]);
    expect(result.counters.refusedOrders.LEVERAGE_ABOVE_BRACKET).toBe(1);
    expect(result.counters.liquidation?.leverageRefused).toBe(1);
  });

  it("caps it to the tier's maximum when asked, and counts it", () => {
    const result = runScenario(bars, { 0: 1 }, hold, {
      sizing: { marginUsd: 0, leverage: 10, quantity: 20 }, exchange: { brackets, capLeverageToBracket: true },
    });
    expect(result.trades[0].leverage).toBe(5);
    expect(result.trades[0].marginUsd).toBeCloseTo(400, 9);
    expect(result.counters.liquidation?.leverageCappedToBracket).toBe(1);
  });

  it("refuses a notional above every tier", () => {
    const result = runScenario(bars, { 0: 1 }, hold, { sizing: { marginUsd: 0, leverage: 1, quantity: 200 }, exchange: { brackets, capLeverageToBracket: true } });
    expect(result.refusals.map((refusal) => refusal.reason)).toEqual(["NOTIONAL_ABOVE_BRACKETS"]);
  });
});

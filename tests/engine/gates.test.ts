import { describe, expect, it } from "vitest";
import { runBacktest } from "../../engine/replay.js";
import type { GateSettings } from "../../engine/gates.js";
import type { BarSeries, ExchangeSettings, SignalColumns } from "../../engine/types.js";
import { HOUR, NO_FEES, OPEN_GATES, barsOf, plan } from "../fixtures/bars.js";

/** Flat hourly bars at 100 (no exit level is ever reached). */
const flatBars = (symbol: string, n: number): BarSeries => barsOf(symbol, Array.from({ length: n }, () => [100, 100.5, 99.5, 100] as [number, number, number, number]));

function columns(n: number, at: Record<number, [1 | -1, number]>): SignalColumns {
  const out = {
    action: new Int8Array(n), confidence: new Float64Array(n).fill(NaN),
    score: new Float64Array(n).fill(NaN), sizeMultiplier: new Float64Array(n).fill(NaN),
  };
  for (const [index, [action, confidence]] of Object.entries(at)) {
    out.action[Number(index)] = action;
    out.confidence[Number(index)] = confidence;
  }
  return out;
}

function run(
  signals: Record<string, Record<number, [1 | -1, number]>>, gates: Partial<GateSettings>, options: { exits?: ReturnType<typeof plan>; exchange?: Partial<ExchangeSettings>; bars?: number } = {},
) {
  const n = options.bars ?? 12;
  const bars = Object.keys(signals).sort().map((symbol) => flatBars(symbol, n));
  return runBacktest({
    data: { bars, funding: new Map(), fingerprint: [] },
    signals: { bySymbol: new Map(bars.map((series) => [series.symbol, columns(n, signals[series.symbol])])), stats: {} },
    exchange: { ...NO_FEES, ...options.exchange },
    gates: { ...OPEN_GATES, ...gates },
    intrabarMode: "default",
    initialBalance: 100_000,
    maxLeverage: 25,
    sizeEntry: () => ({ marginUsd: 1000, leverage: 1 }),
    planExit: () => options.exits ?? plan(),
  });
}

const entries = (result: ReturnType<typeof run>) => result.fills.filter((fill) => fill.reason === "ENTRY").map((fill) => [fill.symbol, fill.orderSide]);

describe("intent gates drop what they should and nothing else", () => {
  it("min confidence drops a signal below the threshold and a missing confidence, and keeps one at the threshold", () => {
    const result = run({ A: { 0: [1, 0.44] }, B: { 0: [1, NaN] }, C: { 0: [1, 0.45] } }, { minConfidence: 0.45 });
    expect(entries(result)).toEqual([["C", 1]]);
    expect(result.counters.gateDrops.minConfidence).toBe(2);
    expect(result.counters.signals).toBe(3);
    expect(result.counters.intents).toBe(1);
  });

  it("the symbol allowlist drops other symbols only", () => {
    const result = run({ BTCUSDT: { 0: [1, 0.9] }, ETHUSDT: { 0: [1, 0.9] } }, { symbols: ["ETHUSDT"] });
    expect(entries(result)).toEqual([["ETHUSDT", 1]]);
    expect(result.counters.gateDrops.symbolAllowlist).toBe(1);
  });

  it("the anti-duplicate gate drops the same symbol and side within its TTL, not the other side or after it", () => {
    // Exits after 1 bar (time limit) so the position gate never interferes.
    const exits = plan({ maxHoldingBars: 1 });
    const within = run({ A: { 0: [1, 0.9], 2: [1, 0.9] } }, { duplicateTtlMs: 3 * HOUR }, { exits });
    expect(within.counters.gateDrops.duplicate).toBe(1);
    expect(entries(within)).toEqual([["A", 1]]);
    const after = run({ A: { 0: [1, 0.9], 4: [1, 0.9] } }, { duplicateTtlMs: 3 * HOUR }, { exits });
    expect(after.counters.gateDrops.duplicate).toBe(0);
    expect(entries(after)).toHaveLength(2);
    const otherSide = run({ A: { 0: [1, 0.9], 2: [-1, 0.9] } }, { duplicateTtlMs: 3 * HOUR }, { exits });
    expect(otherSide.counters.gateDrops.duplicate).toBe(0);
    expect(entries(otherSide)).toEqual([["A", 1], ["A", -1]]);
  });

  it("the cooldown drops a new entry too soon after the symbol's last exit, and allows one after it", () => {
    // Entry fills at bar 1 (01:00) and exits at bar 1's close by time limit (exit stamped 01:00).
    const exits = plan({ maxHoldingBars: 1 });
    const tooSoon = run({ A: { 0: [1, 0.9], 1: [1, 0.9] } }, { cooldownMs: 2 * HOUR }, { exits });
    expect(tooSoon.counters.gateDrops.cooldown).toBe(1);
    expect(entries(tooSoon)).toHaveLength(1);
    const later = run({ A: { 0: [1, 0.9], 3: [1, 0.9] } }, { cooldownMs: 2 * HOUR }, { exits });
    expect(later.counters.gateDrops.cooldown).toBe(0);
    expect(entries(later)).toHaveLength(2);
  });

  it("max open positions drops entries beyond the limit, counting orders already queued", () => {
    const result = run({ A: { 0: [1, 0.9] }, B: { 0: [1, 0.9] }, C: { 0: [1, 0.9] } }, { maxOpenPositions: 2 });
    expect(entries(result)).toEqual([["A", 1], ["B", 1]]);
    expect(result.counters.gateDrops.maxOpenPositions).toBe(1);
  });

  it("one position per symbol drops a same-side signal while the position is open", () => {
    const result = run({ A: { 0: [1, 0.9], 3: [1, 0.9] } }, {});
    expect(entries(result)).toHaveLength(1);
    expect(result.counters.gateDrops.alreadyInPosition).toBe(1);
  });

  it("onOpposite ignore drops the opposite signal; close exits without a new entry; reverse exits and enters", () => {
    const ignore = run({ A: { 0: [1, 0.9], 3: [-1, 0.9] } }, { onOpposite: "ignore" });
    expect(ignore.counters.gateDrops.opposite).toBe(1);
    expect(ignore.trades.map((t) => t.exitReason)).toEqual(["END"]);
    const close = run({ A: { 0: [1, 0.9], 3: [-1, 0.9] } }, { onOpposite: "close" });
    expect(close.trades.map((t) => [t.side, t.exitReason])).toEqual([[1, "SIGNAL"]]);
    const reverse = run({ A: { 0: [1, 0.9], 3: [-1, 0.9] } }, { onOpposite: "reverse" });
    expect(reverse.trades.map((t) => [t.side, t.exitReason])).toEqual([[1, "SIGNAL"], [-1, "END"]]);
    expect(close.counters.gateDrops.opposite + reverse.counters.gateDrops.opposite).toBe(0);
  });

  it("a reverse still closes when the new entry is gated by the cooldown", () => {
    const result = run({ A: { 0: [1, 0.9], 1: [-1, 0.9] } }, { onOpposite: "reverse", cooldownMs: 2 * HOUR });
    expect(result.trades.map((t) => [t.side, t.exitReason])).toEqual([[1, "SIGNAL"]]);
    expect(result.counters.gateDrops.cooldown).toBe(1);
  });

  it("spot drops short entries only", () => {
    const result = run({ A: { 0: [-1, 0.9] }, B: { 0: [1, 0.9] } }, {}, { exchange: { market: "spot" } });
    expect(entries(result)).toEqual([["B", 1]]);
    expect(result.counters.gateDrops.spotShort).toBe(1);
  });

  it("replaces a position closed inside bar t with an entry decided at t's close", () => {
    // Time limit 1: the first position exits at bar 1's close; the signal at bar 1 enters at bar 2.
    const result = run({ A: { 0: [1, 0.9], 1: [1, 0.9] } }, {}, { exits: plan({ maxHoldingBars: 1 }) });
    expect(entries(result)).toHaveLength(2);
    expect(result.counters.gateDrops.alreadyInPosition).toBe(0);
  });
});

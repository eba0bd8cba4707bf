import { afterEach, describe, expect, it } from "vitest";
import { generateSynthBars } from "../../data/index.js";
import { freshArray, provideTouchedMemory, runBacktest, touchedMemoryUsed, type MarketData } from "../../engine/index.js";
import { MIN_CARVE_BYTES } from "../../engine/freshMemory.js";
import { buildRunInput, buildSparseSignals } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";

/** engine/freshMemory.ts: large columns carved from memory another thread touched, zeroed like fresh ones, each once. */

afterEach(() => provideTouchedMemory(null));

const LARGE = MIN_CARVE_BYTES / 8; // Float64 elements of the smallest carved array

describe("freshArray", () => {
  it("makes plain fresh arrays when no memory was provided", () => {
    const column = freshArray(Float64Array, LARGE * 4);
    expect(column.buffer).toBeInstanceOf(ArrayBuffer);
    expect(column.byteOffset).toBe(0);
    expect(touchedMemoryUsed()).toBe(0);
  });

  it("carves large arrays from the provided memory, one after the other on cache-line boundaries, each zeroed and its own", () => {
    const memory = new SharedArrayBuffer(1 << 20);
    provideTouchedMemory(memory);
    const a = freshArray(Float64Array, LARGE + 1);
    const b = freshArray(Int8Array, MIN_CARVE_BYTES + 3);
    const c = freshArray(Int32Array, 2 * LARGE);
    for (const column of [a, b, c]) expect(column.buffer).toBe(memory);
    expect([a.byteOffset, b.byteOffset, c.byteOffset]).toEqual([0, Math.ceil(a.byteLength / 64) * 64, Math.ceil(a.byteLength / 64) * 64 + Math.ceil(b.byteLength / 64) * 64]);
    expect(touchedMemoryUsed()).toBe(c.byteOffset + c.byteLength);
    expect(a.every((value) => value === 0) && b.every((value) => value === 0) && c.every((value) => value === 0)).toBe(true);
    a.fill(-1);
    b.fill(-1);
    expect(c.every((value) => value === 0)).toBe(true);
    expect(a[a.length - 1]).toBe(-1);
    expect(b[0]).toBe(-1);
  });

  it("makes small arrays fresh, and fresh ones again once the memory is used up or withdrawn", () => {
    provideTouchedMemory(new SharedArrayBuffer(3 * MIN_CARVE_BYTES));
    expect(freshArray(Float64Array, LARGE - 1).buffer).toBeInstanceOf(ArrayBuffer);
    expect(freshArray(Float64Array, 2 * LARGE).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(freshArray(Float64Array, 2 * LARGE).buffer).toBeInstanceOf(ArrayBuffer); // only one slot's room left
    expect(freshArray(Float64Array, LARGE).buffer).toBeInstanceOf(SharedArrayBuffer);
    provideTouchedMemory(null);
    expect(freshArray(Float64Array, LARGE).buffer).toBeInstanceOf(ArrayBuffer);
  });

  it("gives a run whose columns are carved the same equity curve, trades and fills as a run with fresh columns", () => {
    const data: MarketData = { bars: [generateSynthBars({ symbol: "AAAUSDT", bars: 6000, seed: 11 })], funding: new Map(), fingerprint: [] };
    const config = configSchema.parse({ exits: { kind: "ai" }, sizing: { kind: "math" }, exchange: { fundingRate: 0.0001 } });
    const run = () => runBacktest(buildRunInput(config, data, buildSparseSignals(config, data)).input);
    const fresh = run();
    const memory = new SharedArrayBuffer(8 << 20);
    provideTouchedMemory(memory);
    const carved = run();
    expect(carved.equity.equity.buffer).toBe(memory);
    expect(touchedMemoryUsed()).toBeGreaterThanOrEqual(6 * 6000 * 8);
    for (const column of ["time", "equity", "balance", "unrealizedPnl", "marginUsed", "exposure", "drawdown"] as const) {
      expect(Array.from(carved.equity[column]), column).toEqual(Array.from(fresh.equity[column]));
    }
    expect(carved.trades).toEqual(fresh.trades);
    expect(carved.fills).toEqual(fresh.fills);
  });
});

import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { shareMarketData, sharedCache, viewMarketData, dataHashOf } from "../../workflows/sweep/sharedData.js";
import { generateSynthBars } from "../../data/index.js";
import type { MarketData } from "../../engine/index.js";

const bars = [generateSynthBars({ symbol: "AAAUSDT", bars: 50, seed: 3 }), generateSynthBars({ symbol: "BBBUSDT", bars: 50, seed: 4 })];
const funding = { symbol: "AAAUSDT", length: 3, time: Float64Array.of(0, 1, 2), rate: Float64Array.of(0.0001, -0.0002, 0.0003) };
const data: MarketData = {
  bars, funding: new Map([["AAAUSDT", funding]]),
  fingerprint: bars.map((series) => ({ symbol: series.symbol, kind: "bars" as const, files: [`/x/${series.symbol}.csv`], rows: 50, firstTimeMs: series.time[0], lastTimeMs: series.time[49], sha256: series.symbol, gaps: 0, missingBars: 0 })),
};

describe("shared market data", () => {
  it("views the same columns, funding and fingerprint as the loaded data, over SharedArrayBuffers", () => {
    const view = viewMarketData(shareMarketData(data));
    expect(view.bars.map((series) => series.symbol)).toEqual(["AAAUSDT", "BBBUSDT"]);
    for (const [index, series] of view.bars.entries()) {
      for (const column of ["time", "open", "high", "low", "close", "volume"] as const) {
        expect(series[column]).toEqual(bars[index][column]);
        expect(series[column].buffer).toBeInstanceOf(SharedArrayBuffer);
      }
      expect(series.timeframeMs).toBe(bars[index].timeframeMs);
    }
    expect(view.funding.get("AAAUSDT")).toEqual(funding);
    expect(view.detail).toBeUndefined();
    expect(view.fingerprint).toEqual(data.fingerprint);
  });

  it("is shared with a worker thread, not copied: the worker reads what the main thread wrote", async () => {
    const shared = shareMarketData(data);
    const worker = new Worker(
      "const { parentPort } = require('node:worker_threads'); parentPort.once('message', (s) => { const c = s.bars[0].columns[0]; new Float64Array(c.buffer, c.byteOffset, 1)[0] = -1; parentPort.postMessage('written'); });",
      { eval: true },
    );
    worker.postMessage(shared);
    await new Promise((resolve) => worker.once("message", resolve));
    await worker.terminate();
    expect(viewMarketData(shared).bars[0].time[0]).toBe(-1);
  });

  it("shares bars already in shared memory where they are (from the cache read with shared: true), and copies the others", () => {
    // Six columns as views into one SharedArrayBuffer at offsets of their own, as an Arrow cache entry's are.
    const memory = new SharedArrayBuffer(8 * (6 * 50 + 7));
    const columns = ["time", "open", "high", "low", "close", "volume"] as const;
    const inShared = { ...bars[0], ...Object.fromEntries(columns.map((name, index) => {
      const view = new Float64Array(memory, 8 * (1 + index * 51), 50);
      view.set(bars[0][name]);
      return [name, view];
    })) };
    const shared = shareMarketData({ ...data, bars: [inShared, bars[1]] });
    const view = viewMarketData(shared);
    for (const column of columns) {
      expect(view.bars[0][column].buffer).toBe(memory);
      expect(view.bars[0][column].byteOffset).toBe(inShared[column].byteOffset);
      expect(view.bars[0][column]).toEqual(bars[0][column]);
      expect(view.bars[1][column].buffer).not.toBe(bars[1][column].buffer); // a plain ArrayBuffer's columns are copied
      expect(view.bars[1][column]).toEqual(bars[1][column]);
    }
    expect(sharedCache(null)).toBeNull();
    expect(sharedCache({ dir: "c" })).toEqual({ dir: "c", shared: true });
  });

  it("hashes the data's content, not where its files lie", () => {
    const moved = { ...data, fingerprint: data.fingerprint.map((source) => ({ ...source, files: ["/elsewhere.csv"] })) };
    const changed = { ...data, fingerprint: data.fingerprint.map((source) => ({ ...source, sha256: "other" })) };
    expect(dataHashOf(moved)).toBe(dataHashOf(data));
    expect(dataHashOf(changed)).not.toBe(dataHashOf(data));
  });
});

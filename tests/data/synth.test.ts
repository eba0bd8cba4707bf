import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBarFile } from "../../data/loadBars.js";
import { formatBarsCsv, generateSynthBars, generateSynthMarket, writeBarsCsv } from "../../data/synth.js";
import { makeTempFolder } from "./fixtureFiles.js";

describe("generateSynthBars", () => {
  it("gives identical arrays for the same seed and different ones for another seed", () => {
    const first = generateSynthBars({ symbol: "SYN", bars: 5000, seed: 42 });
    const again = generateSynthBars({ symbol: "SYN", bars: 5000, seed: 42 });
    const other = generateSynthBars({ symbol: "SYN", bars: 5000, seed: 43 });
    for (const column of ["time", "open", "high", "low", "close", "volume"] as const) {
      expect(again[column]).toEqual(first[column]);
    }
    expect(other.close).not.toEqual(first.close);
  });

  it("keeps every one of 100,000 bars valid and the price in a sane band", () => {
    const series = generateSynthBars({ symbol: "SYN", bars: 100_000, seed: 7, startPrice: 100 });
    let invalid = 0;
    let minimum = Infinity;
    let maximum = 0;
    for (let index = 0; index < series.length; index++) {
      const { open, high, low, close, volume, time } = series;
      const ok =
        low[index] > 0 &&
        high[index] >= Math.max(open[index], close[index]) &&
        low[index] <= Math.min(open[index], close[index]) &&
        volume[index] >= 0 &&
        Number.isFinite(high[index]) &&
        (index === 0 || time[index] - time[index - 1] === 3_600_000);
      if (!ok) invalid++;
      minimum = Math.min(minimum, low[index]);
      maximum = Math.max(maximum, high[index]);
    }
    expect(invalid).toBe(0);
    expect(minimum).toBeGreaterThan(100 / 6);
    expect(maximum).toBeLessThan(100 * 6);
  });

  it("switches among all four regimes every few hundred bars", () => {
    const { regimes } = generateSynthMarket({ symbol: "SYN", bars: 20_000, seed: 1 });
    const runLengths: number[] = [];
    let runStart = 0;
    for (let index = 1; index <= regimes.length; index++) {
      if (index === regimes.length || regimes[index] !== regimes[index - 1]) {
        runLengths.push(index - runStart);
        runStart = index;
      }
    }
    expect(new Set(regimes).size).toBe(4);
    // Every completed regime lasts 100–499 bars.
    for (const length of runLengths.slice(0, -1)) {
      expect(length).toBeGreaterThanOrEqual(100);
      expect(length).toBeLessThan(500);
    }
  });

  it("makes occasional jumps between one close and the next open", () => {
    const series = generateSynthBars({ symbol: "SYN", bars: 20_000, seed: 3 });
    let jumps = 0;
    for (let index = 1; index < series.length; index++) if (series.open[index] !== series.close[index - 1]) jumps++;
    expect(jumps).toBeGreaterThan(10);
    expect(jumps).toBeLessThan(200);
  });

  it("generates a million valid bars (speed is measured by npm run bench)", () => {
    const series = generateSynthBars({ symbol: "SYN", bars: 1_000_000, seed: 9 });
    expect(series.length).toBe(1_000_000);
    let valid = true;
    for (let i = 0; i < series.length; i++) {
      if (!(series.high[i] >= Math.max(series.open[i], series.close[i]) && series.low[i] <= Math.min(series.open[i], series.close[i]) && series.low[i] > 0)) valid = false;
    }
    expect(valid).toBe(true);
  });

  it("uses the given start time, timeframe and start price", () => {
    const series = generateSynthBars({ symbol: "SYN", bars: 3, seed: 1, startTimeMs: 0, timeframeMs: 60_000, startPrice: 50 });
    expect([...series.time]).toEqual([0, 60_000, 120_000]);
    expect(series.open[0]).toBe(50);
    expect(series.timeframeMs).toBe(60_000);
  });

  it("refuses a non-integer bar count", () => {
    expect(() => generateSynthBars({ symbol: "SYN", bars: 2.5, seed: 1 })).toThrow(/bars must be a positive integer/);
  });
});

describe("bars CSV writer", () => {
  it("formats the generic header and round-trips exactly through the loader", async () => {
    const series = generateSynthBars({ symbol: "SYN", bars: 500, seed: 11 });
    const text = formatBarsCsv(series);
    expect(text.split("\n")[0]).toBe("timestamp,open,high,low,close,volume");
    const folder = makeTempFolder();
    const path = join(folder, "nested", "SYNUSDT.csv");
    writeBarsCsv(series, path);
    expect(readFileSync(path, "utf8")).toBe(text);
    expect(readdirSync(join(folder, "nested"))).toEqual(["SYNUSDT.csv"]);
    const loaded = await loadBarFile(path);
    expect(loaded.series.symbol).toBe("SYNUSDT");
    for (const column of ["time", "open", "high", "low", "close", "volume"] as const) {
      expect(loaded.series[column]).toEqual(series[column]);
    }
  });
});

import { describe, expect, it } from "vitest";
import type { BarSeries } from "../../engine/types.js";
import { DataError } from "../../engine/errors.js";
import { applyDataWindow, dataWindowOf, parseWindowInstant } from "../../data/dataWindow.js";
import { loadBarFile } from "../../data/loadBars.js";
import { resampleBars, sliceBarsByTime } from "../../data/resampleBars.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Minute bars from `startMs`, `count` of them, skipping the indexes in `missing`; bar i has open i, close i + 1. */
function minuteBars(startMs: number, count: number, missing: readonly number[] = []): BarSeries {
  const times: number[] = [];
  for (let i = 0; i < count; i++) if (!missing.includes(i)) times.push(startMs + i * MINUTE);
  const n = times.length;
  const column = (f: (t: number, k: number) => number): Float64Array => Float64Array.from(times, (t) => f(t, (t - startMs) / MINUTE));
  return {
    symbol: "TESTUSDT", timeframeMs: MINUTE, length: n, time: Float64Array.from(times),
    open: column((_, k) => 100 + k), high: column((_, k) => 102 + k), low: column((_, k) => 99 + k),
    close: column((_, k) => 101 + k), volume: column(() => 1),
  };
}

describe("resampleBars", () => {
  it("rebuilds the shipped spot 1h bars exactly from the shipped 1m bars", async () => {
    const minutes = (await loadBarFile("data/samples/binance-spot-1h/detail/BTCUSDT.csv")).series;
    const hours = (await loadBarFile("data/samples/binance-spot-1h/BTCUSDT.csv")).series;
    const { series, droppedEdgeBuckets } = resampleBars(minutes, HOUR);
    expect(droppedEdgeBuckets).toBe(1);
    const expected = sliceBarsByTime(hours, series.time[0], series.time[series.length - 1] + 1);
    expect(series.length).toBe(833);
    expect(series.timeframeMs).toBe(HOUR);
    for (const column of ["time", "open", "high", "low", "close"] as const) expect([...series[column]]).toEqual([...expected[column]]);
    for (let i = 0; i < series.length; i++) expect(series.volume[i]).toBeCloseTo(expected.volume[i], 6);
  });

  it("aggregates open, high, low, close and volume of each UTC hour", () => {
    const { series } = resampleBars(minuteBars(Date.UTC(2024, 0, 1), 120), HOUR);
    expect([...series.time]).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 1)]);
    expect([...series.open]).toEqual([100, 160]);
    expect([...series.high]).toEqual([161, 221]);
    expect([...series.low]).toEqual([99, 159]);
    expect([...series.close]).toEqual([160, 220]);
    expect([...series.volume]).toEqual([60, 60]);
  });

  it("drops an incomplete first and last hour but keeps an hour with a missing minute inside", () => {
    const { series, droppedEdgeBuckets } = resampleBars(minuteBars(Date.UTC(2024, 0, 1, 0, 30), 30 + 120 + 10, [31 + 60]), HOUR);
    expect(droppedEdgeBuckets).toBe(2);
    expect([...series.time]).toEqual([Date.UTC(2024, 0, 1, 1), Date.UTC(2024, 0, 1, 2)]);
    expect([...series.volume]).toEqual([60, 59]);
  });

  it("aligns 4h and 1d bars to 00:00 UTC", () => {
    const { series } = resampleBars(minuteBars(Date.UTC(2024, 0, 1, 2), 24 * 60), 4 * HOUR);
    expect([...series.time].map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(["04:00", "08:00", "12:00", "16:00", "20:00"]);
  });
});

describe("the data window", () => {
  const bars = minuteBars(Date.UTC(2024, 0, 1), 3 * 60);

  it("keeps bars opening from `from` (inclusive) to `to` (exclusive)", () => {
    const window = dataWindowOf({ from: "2024-01-01T01:00:00Z", to: "2024-01-01T02:00:00Z" })!;
    const { bars: [cut] } = applyDataWindow([bars], new Map(), window);
    expect(cut.time[0]).toBe(Date.UTC(2024, 0, 1, 1));
    expect(cut.time[cut.length - 1]).toBe(Date.UTC(2024, 0, 1, 1, 59));
    expect(cut.length).toBe(60);
  });

  it("keeps the loaded bars as detail of the resampled ones, cut to the same range", () => {
    const { bars: [main], detail } = applyDataWindow([bars], new Map(), dataWindowOf({ timeframe: "1h", from: "2024-01-01T01:00:00Z" })!);
    expect(main.length).toBe(2);
    expect(detail.get("TESTUSDT")?.length).toBe(120);
    expect(detail.get("TESTUSDT")?.time[0]).toBe(Date.UTC(2024, 0, 1, 1));
  });

  it("refuses to resample to a timeframe that is not a multiple of the loaded one, naming the key", () => {
    const fiveMinutes = { ...bars, timeframeMs: 5 * MINUTE };
    expect(() => applyDataWindow([fiveMinutes], new Map(), dataWindowOf({ timeframe: "3m" })!)).toThrow(DataError);
    expect(() => applyDataWindow([fiveMinutes], new Map(), dataWindowOf({ timeframe: "3m" })!)).toThrow(/cannot resample TESTUSDT's 5m bars to 3m/);
  });

  it("refuses a range with fewer than two bars, saying where the bars are", () => {
    expect(() => applyDataWindow([bars], new Map(), dataWindowOf({ from: "2025-01-01" })!)).toThrow(/TESTUSDT has 0 bars in 2025-01-01T00:00:00.000Z \(inclusive\) to the end/);
  });

  it("reads dates as 00:00 UTC and rejects times without a zone or impossible dates", () => {
    expect(parseWindowInstant("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(parseWindowInstant("2024-01-01T12:00:00+02:00")).toBe(Date.UTC(2024, 0, 1, 10));
    expect(parseWindowInstant("2023-02-29")).toBeNaN();
    expect(parseWindowInstant("2024-01-01T12:00:00")).toBeNaN();
    expect(parseWindowInstant("2024-01")).toBeNaN();
  });
});

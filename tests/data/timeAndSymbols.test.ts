import { describe, expect, it } from "vitest";
import { inferSymbol } from "../../data/inferSymbol.js";
import { detectTimeFormat, parseIsoTimeMs, parseTimeMs } from "../../data/timeParsing.js";
import { measureSpacing } from "../../data/validateBars.js";

describe("time detection", () => {
  it.each([
    ["1704067200", "epoch-s"],
    ["1704067200.5", "epoch-s"],
    ["1704067200000", "epoch-ms"],
    ["1704067200000000", "epoch-us"],
    ["2024-01-01", "iso"],
    ["2024-01-01T00:00:00Z", "iso"],
    ["2024-01-01 00:00:00", "iso"],
    ["yesterday", null],
    ["2024-02-30", null],
  ])("reads %s as %s", (text, format) => {
    expect(detectTimeFormat(text)).toBe(format);
  });

  it("normalises every epoch unit to milliseconds", () => {
    expect(parseTimeMs("1704067200", "epoch-s")).toBe(1_704_067_200_000);
    expect(parseTimeMs("1704067200000", "epoch-ms")).toBe(1_704_067_200_000);
    expect(parseTimeMs("1704067200000000", "epoch-us")).toBe(1_704_067_200_000);
  });

  it("refuses a value whose magnitude belongs to another unit than the file's", () => {
    expect(parseTimeMs("1704067200000000", "epoch-ms")).toBeNaN();
    expect(parseTimeMs("2024-01-01", "epoch-ms")).toBeNaN();
  });

  it("reads a zone-less date-time as UTC and honours offsets and fractions", () => {
    expect(parseIsoTimeMs("2024-01-01T00:00:00")).toBe(Date.UTC(2024, 0, 1));
    expect(parseIsoTimeMs("2024-01-01T05:30:00+05:30")).toBe(Date.UTC(2024, 0, 1));
    expect(parseIsoTimeMs("2023-12-31T19:00:00-0500")).toBe(Date.UTC(2024, 0, 1));
    expect(parseIsoTimeMs("2024-01-01T00:00:00.123456Z")).toBe(Date.UTC(2024, 0, 1) + 123);
    expect(parseIsoTimeMs("2024-01-01T24:00:00Z")).toBeNaN();
  });
});

describe("symbol inference from file names", () => {
  it.each([
    ["data/binance_usdm_perp_BTCUSDT_1h.csv", "BTCUSDT"],
    ["BTCUSDT-1h-2024-01.csv", "BTCUSDT"],
    ["ETHBTC.csv", "ETHBTC"],
    ["coinbase_spot_BTCUSD_1d.csv", "BTCUSD"],
    ["EURUSD_2024.csv", "EURUSD"],
    ["SOLUSDC_5m.csv", "SOLUSDC"],
    ["prices.csv", "prices"],
    ["GOOG.csv", "GOOG"],
  ])("names %s %s", (path, symbol) => {
    expect(inferSymbol(path)).toBe(symbol);
  });
});

describe("timeframe and gap measurement", () => {
  const hours = (...offsets: number[]) => new Float64Array(offsets.map((h) => h * 3_600_000));

  it("takes the most common spacing as the timeframe", () => {
    const time = hours(0, 1, 2, 3, 5, 6);
    expect(measureSpacing(time, time.length)).toEqual({ timeframeMs: 3_600_000, gaps: 1, missingBars: 1 });
  });

  it("breaks a tie between spacings towards the smaller one", () => {
    const time = hours(0, 1, 2, 4, 6);
    expect(measureSpacing(time, time.length).timeframeMs).toBe(3_600_000);
  });

  it("counts a spacing that is not a multiple as a gap with the whole bars missing", () => {
    const time = hours(0, 1, 2, 3.5, 4.5, 7);
    expect(measureSpacing(time, time.length)).toEqual({ timeframeMs: 3_600_000, gaps: 2, missingBars: 1 });
  });

  it("sums the missing bars of several gaps", () => {
    const time = hours(0, 1, 4, 5, 15, 16);
    expect(measureSpacing(time, time.length)).toEqual({ timeframeMs: 3_600_000, gaps: 2, missingBars: 11 });
  });
});

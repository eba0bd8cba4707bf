/** Shared helpers for the columnar cache tests: CSV builders, cache folder listing, series comparison. */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { BarSeries, FundingSeries, MarketData } from "../../../engine/types.js";
import { csvLines, HOUR_MS, JAN_1_2024_MS } from "../fixtureFiles.js";

export const BAR_COLUMN_KEYS = ["time", "open", "high", "low", "close", "volume"] as const;

/**
 * Hourly bars with prices that vary per row (so a column mix-up would show), and with bar
 * `gapAt` left out when given, to check that gaps survive the cache.
 */
export function hourlyBarsCsv(count: number, gapAt = -1): string {
  const rows = ["timestamp,open,high,low,close,volume"];
  for (let index = 0; index < count; index++) {
    if (index === gapAt) continue;
    const open = 100 + index * 0.25;
    rows.push(`${JAN_1_2024_MS + index * HOUR_MS},${open},${open + 1.5},${open - 1.25},${open + 0.5},${10 + index / 8}`);
  }
  return csvLines(...rows);
}

/** 1-minute bars, usable as detail bars of `hourlyBarsCsv`. */
export function minuteBarsCsv(count: number): string {
  const rows = ["timestamp,open,high,low,close,volume"];
  for (let index = 0; index < count; index++) rows.push(`${JAN_1_2024_MS + index * 60_000},${50 + index / 4},${51 + index / 4},${49 + index / 4},${50.5 + index / 4},${index}`);
  return csvLines(...rows);
}

export function fundingRatesCsv(count: number): string {
  const rows = ["timestamp,funding_rate"];
  for (let index = 0; index < count; index++) rows.push(`${JAN_1_2024_MS + index * 8 * HOUR_MS},${(index % 5) * 1e-5 - 2e-5}`);
  return csvLines(...rows);
}

/** The cache entries (Arrow files) in `dir`, sorted. */
export function listEntries(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".arrow"))
    .sort()
    .map((name) => join(dir, name));
}

/** Files left in `dir` under a temporary name. */
export function listTemporaryFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(".tmp"));
}

export function expectSameBars(actual: BarSeries, expected: BarSeries): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  expect([actual.symbol, actual.timeframeMs, actual.length]).toEqual([expected.symbol, expected.timeframeMs, expected.length]);
  for (const key of BAR_COLUMN_KEYS) {
    expect(actual[key]).toBeInstanceOf(Float64Array);
    expect(firstDifference(actual[key], expected[key]), `first index where ${key} differs`).toBe(-1);
  }
}

export function expectSameFunding(actual: FundingSeries, expected: FundingSeries): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  expect([actual.symbol, actual.length]).toEqual([expected.symbol, expected.length]);
  expect(firstDifference(actual.time, expected.time), "first index where time differs").toBe(-1);
  expect(firstDifference(actual.rate, expected.rate), "first index where rate differs").toBe(-1);
}

/**
 * -1 when both columns hold the same float64 values (NaN equal to NaN, 0 unequal to -0),
 * else the first index that differs; a length mismatch counts as differing at the end of
 * the shorter. A loop rather than toEqual, which takes seconds on 50k-row columns.
 */
export function firstDifference(actual: Float64Array, expected: Float64Array): number {
  const length = Math.min(actual.length, expected.length);
  for (let index = 0; index < length; index++) if (!Object.is(actual[index], expected[index])) return index;
  return actual.length === expected.length ? -1 : length;
}

/** Every series, column and fingerprint equal, fingerprints down to their key order. */
export function expectSameMarketData(actual: MarketData, expected: MarketData): void {
  expect(JSON.stringify(actual.fingerprint)).toBe(JSON.stringify(expected.fingerprint));
  expect(actual.bars.length).toBe(expected.bars.length);
  actual.bars.forEach((series, index) => expectSameBars(series, expected.bars[index]));
  expect([...actual.funding.keys()]).toEqual([...expected.funding.keys()]);
  for (const [symbol, series] of actual.funding) expectSameFunding(series, expected.funding.get(symbol)!);
  expect(actual.detail === undefined).toBe(expected.detail === undefined);
  expect([...(actual.detail?.keys() ?? [])]).toEqual([...(expected.detail?.keys() ?? [])]);
  for (const [symbol, series] of actual.detail ?? []) expectSameBars(series, expected.detail!.get(symbol)!);
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
}

import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/index.js";
import { DEFAULT_CHANGE_24H_SETTINGS, change24hColumn, change24hSignals } from "../../../strategies/signals/change24h.js";
import { barsOf } from "../../fixtures/bars.js";
import { HOUR, T0, barsFromCloses, signalBars } from "./series.js";

const DAY = 24 * HOUR;

/** Hourly closes: 100 for bars 0..23, then bars 24.. as given (each compared with the bar 24 h earlier, all at 100). */
function dayThen(...later: number[]) {
  return barsFromCloses([...Array.from({ length: 24 }, () => 100), ...later]);
}

describe("change-24h", () => {
  it("compares each hourly close with the close 24 bars earlier, NaN until the data reaches back 24 h", () => {
    const change = change24hColumn(dayThen(101, 102.5), DAY);
    expect(change[23]).toBeNaN();
    expect(change[24]).toBeCloseTo(0.01, 12);
    expect(change[25]).toBeCloseTo(0.025, 12);
  });

  it("takes the last close at or before 24 h back across a gap in the data", () => {
    // Bars at hours 0, 1, 2, then 26 and 27: 24 h before hour 27 is hour 3, which is in the gap → the hour-2 close.
    const series = barsOf("GAP", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 111, 99, 110], [110, 121, 109, 120], [120, 133, 119, 132]]);
    const time = Float64Array.from([0, 1, 2, 26, 27].map((hour) => T0 + hour * HOUR));
    const change = change24hColumn({ ...series, time }, DAY);
    expect(Array.from(change.subarray(0, 3))).toEqual([NaN, NaN, NaN]);
    expect(change[3]).toBeCloseTo(120 / 110 - 1, 12);
    expect(change[4]).toBeCloseTo(132 / 110 - 1, 12);
  });

  it("compares daily bars with the previous bar", () => {
    const change = change24hColumn(barsFromCloses([100, 103, 100], "D", DAY), DAY);
    expect(change[0]).toBeNaN();
    expect(change[1]).toBeCloseTo(0.03, 12);
    expect(change[2]).toBeCloseTo(100 / 103 - 1, 12);
  });

  /*
   * Bar 24: +1 % (inside ±2 %: HOLD). Bar 25: +2.5 % → BUY, strength 0.025 / 0.04 = 0.625,
   * confidence min(1, 0.5 + 0.025 / 0.08) = 0.8125. Bar 26: +3 %, still in the zone: no new
   * event. Bar 27: +1 %, out. Bar 28: −3 % → SELL, confidence 0.875.
   */
  it("buys when the 24 h change enters ≥ +2 % and sells when it enters ≤ −2 %, once per entry into the zone", () => {
    const signals = change24hSignals(dayThen(101, 102.5, 103, 101, 97), DEFAULT_CHANGE_24H_SETTINGS);
    expect(signalBars(signals.action)).toEqual([[25, 1], [28, -1]]);
    expect(signals.confidence[25]).toBeCloseTo(0.8125, 12);
    expect(signals.score[25]).toBeCloseTo(0.625, 12);
    expect(signals.confidence[28]).toBeCloseTo(0.875, 12);
    expect(signals.score[28]).toBeCloseTo(-0.75, 12);
  });

  it("signals every bar inside the zone with emit every-bar, as the seed's bot did each cycle", () => {
    const signals = change24hSignals(dayThen(101, 102.5, 103, 101, 97), { ...DEFAULT_CHANGE_24H_SETTINGS, emit: "every-bar" });
    expect(signalBars(signals.action)).toEqual([[25, 1], [26, 1], [28, -1]]);
    expect(signals.confidence[26]).toBeCloseTo(0.875, 12);
  });

  it("gives confidence 0.75 at exactly x and 1 from 2x on", () => {
    const signals = change24hSignals(dayThen(100, 102, 100, 105), DEFAULT_CHANGE_24H_SETTINGS);
    expect(signalBars(signals.action)).toEqual([[25, 1], [27, 1]]);
    expect(signals.confidence[25]).toBeCloseTo(0.75, 12);
    expect(signals.confidence[27]).toBe(1);
  });

  it("fires on the first bar with a known change when that bar is already in the zone", () => {
    const signals = change24hSignals(dayThen(105), DEFAULT_CHANGE_24H_SETTINGS);
    expect(signalBars(signals.action)).toEqual([[24, 1]]);
  });

  it("uses x = 2 % by default and rejects an unknown emit mode", () => {
    expect(DEFAULT_CHANGE_24H_SETTINGS).toEqual({ thresholdPct: 0.02, emit: "on-enter", windowMs: DAY });
    const bad = { ...DEFAULT_CHANGE_24H_SETTINGS, emit: "always" as "every-bar" };
    expect(() => change24hSignals(dayThen(105), bad)).toThrow(ConfigError);
  });
});

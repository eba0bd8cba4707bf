import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/index.js";
import { macdColumns } from "../../../strategies/indicators.js";
import { DEFAULT_MACD_CROSS_SETTINGS, macdCrossSignals } from "../../../strategies/signals/macdCross.js";
import { flatThen, signalBars } from "./series.js";

/** MACD(2, 3, 2) with ATR(3); full strength at 0.1 ATR. */
const SHORT = { fastPeriod: 2, slowPeriod: 3, signalPeriod: 2, atrPeriod: 3, fullStrengthAtr: 0.1 };

describe("macd-cross", () => {
  /*
   * Six flat bars at 100: every EMA is 100, MACD 0, signal 0, histogram 0. Bar 6 closes at 103
   * (high 104, low 99): EMA(2) = 100 + 3 × 2/3 = 102, EMA(3) = 100 + 3 × 1/2 = 101.5,
   * MACD 0.5, signal = 0.5 × 2/3 = 0.33333, histogram 0.16667 > 0 after 0 → BUY.
   * True range 5, ATR(3) = (2 × 2 + 5) / 3 = 3; strength = 0.16667 / (0.1 × 3) = 0.55556,
   * confidence 0.77778.
   */
  it("computes the histogram the comment works out by hand", () => {
    const { macd, histogram } = macdColumns(flatThen(6, [100, 104, 99, 103]), 2, 3, 2);
    expect(macd[6]).toBeCloseTo(0.5, 12);
    expect(histogram[6]).toBeCloseTo(0.5 / 3, 12);
    expect(histogram[5]).toBe(0);
  });

  it("buys on the bar the MACD crosses above its signal line, with confidence from the histogram in ATRs", () => {
    const signals = macdCrossSignals(flatThen(6, [100, 104, 99, 103]), SHORT);
    expect(signalBars(signals.action)).toEqual([[6, 1]]);
    expect(signals.score[6]).toBeCloseTo(0.5 / 3 / 0.3, 12);
    expect(signals.confidence[6]).toBeCloseTo(0.5 + 0.5 * (0.5 / 3 / 0.3), 12);
  });

  it("sells on the mirror image (a drop to 97 with low 96 and high 101)", () => {
    const signals = macdCrossSignals(flatThen(6, [100, 101, 96, 97]), SHORT);
    expect(signalBars(signals.action)).toEqual([[6, -1]]);
    expect(signals.score[6]).toBeCloseTo(-0.5 / 3 / 0.3, 12);
  });

  it("caps the strength at 1 when the histogram reaches fullStrengthAtr × ATR", () => {
    const signals = macdCrossSignals(flatThen(6, [100, 104, 99, 103]), { ...SHORT, fullStrengthAtr: 0.05 });
    expect(signals.confidence[6]).toBe(1);
  });

  it("defaults to MACD(12, 26, 9) with full strength at 0.05 ATR(14)", () => {
    expect(DEFAULT_MACD_CROSS_SETTINGS).toEqual({ fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, atrPeriod: 14, fullStrengthAtr: 0.05 });
  });

  it("rejects a fast period that is not below the slow one", () => {
    expect(() => macdCrossSignals(flatThen(6, [100, 104, 99, 103]), { ...SHORT, fastPeriod: 3 })).toThrow(ConfigError);
  });
});

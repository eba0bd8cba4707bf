import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/index.js";
import { DEFAULT_MOMENTUM_SETTINGS, momentumSignals } from "../../../strategies/signals/momentum.js";
import { flatThen, signalBars } from "./series.js";

/** ROC over 2 bars, ATR(3), threshold 1 ATR/close. */
const SHORT = { period: 2, atrPeriod: 3, thresholdAtr: 1 };

describe("momentum", () => {
  /*
   * Six flat bars (true range 2, so ATR(3) = 2, ROC 0), then a bar 100 → 104 with high 104,
   * low 99: true range 5, ATR = (2 × 2 + 5) / 3 = 3, ROC(2) = 104 / 100 − 1 = 0.04,
   * volatility = 3 / 104, so m = 0.04 × 104 / 3 = 1.38667 ATRs ≥ 1 → BUY;
   * strength 0.38667, confidence = 0.5 × 1.38667 = 0.69333.
   */
  it("buys on the bar the rate of change crosses +k × ATR/close, with confidence 0.5 × |ROC| / (k × volatility)", () => {
    const signals = momentumSignals(flatThen(6, [100, 104, 99, 104]), SHORT);
    expect(signalBars(signals.action)).toEqual([[6, 1]]);
    expect(signals.confidence[6]).toBeCloseTo(0.5 * (0.04 * 104) / 3, 12);
    expect(signals.score[6]).toBeCloseTo((0.04 * 104) / 3 - 1, 12);
  });

  /* 100 → 96, high 101, low 96: true range 5, ATR 3, m = −0.04 × 96 / 3 = −1.28 → SELL, strength 0.28. */
  it("sells on the bar it crosses −k × ATR/close", () => {
    const signals = momentumSignals(flatThen(6, [100, 101, 96, 96]), SHORT);
    expect(signalBars(signals.action)).toEqual([[6, -1]]);
    expect(signals.confidence[6]).toBeCloseTo(0.64, 12);
    expect(signals.score[6]).toBeCloseTo(-0.28, 12);
  });

  it("stays silent when the same move is below a higher threshold (1.39 ATRs < 2)", () => {
    const signals = momentumSignals(flatThen(6, [100, 104, 99, 104]), { ...SHORT, thresholdAtr: 2 });
    expect(signalBars(signals.action)).toEqual([]);
  });

  it("signals the crossing once, not every bar the momentum stays beyond the threshold", () => {
    // Bar 7: 104 → 105 keeps m above 1 (ROC(2) = 105 / 100 − 1 = 5 %).
    const series = flatThen(6, [100, 104, 99, 104], [104, 105.5, 103.5, 105]);
    expect(signalBars(momentumSignals(series, SHORT).action)).toEqual([[6, 1]]);
  });

  it("defaults to ROC(10) against 2 × ATR(14)/close", () => {
    expect(DEFAULT_MOMENTUM_SETTINGS).toEqual({ period: 10, atrPeriod: 14, thresholdAtr: 2 });
  });

  it("rejects a non-positive threshold as a configuration error", () => {
    expect(() => momentumSignals(flatThen(6, [100, 104, 99, 104]), { ...SHORT, thresholdAtr: 0 })).toThrow(ConfigError);
  });
});

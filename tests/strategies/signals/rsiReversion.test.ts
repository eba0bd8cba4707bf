import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/index.js";
import { rsiColumn } from "../../../strategies/indicators.js";
import { DEFAULT_RSI_REVERSION_SETTINGS, rsiReversionSignals } from "../../../strategies/signals/rsiReversion.js";
import { barsFromCloses, signalBars } from "./series.js";

const RSI2 = { ...DEFAULT_RSI_REVERSION_SETTINGS, period: 2 };

describe("rsi-reversion", () => {
  /*
   * RSI(2), Wilder: closes 100, 102, 101, 98.5, 98, 98.25.
   * bar 2: avg gain (2+0)/2 = 1, avg loss (0+1)/2 = 0.5 → RSI 66.67
   * bar 3: loss 2.5 → gain 0.5, loss 1.5 → RSI 25 (excursion below 30 starts)
   * bar 4: loss 0.5 → gain 0.25, loss 1 → RSI 20 (deeper)
   * bar 5: gain 0.25 → gain 0.25, loss 0.5 → RSI 33.33: crosses back up through 30 → BUY,
   *        depth (30 − 20) / 20 = 0.5 → confidence 0.75, score 0.5.
   */
  const closes = [100, 102, 101, 98.5, 98, 98.25];

  it("computes the RSI the comment works out by hand", () => {
    expect(Array.from(rsiColumn(barsFromCloses(closes), 2))).toEqual([NaN, NaN, 66.67, 25, 20, 33.33]);
  });

  it("buys on the bar the RSI crosses back up through 30, with confidence from the deepest point of the excursion", () => {
    const signals = rsiReversionSignals(barsFromCloses(closes), RSI2);
    expect(signalBars(signals.action)).toEqual([[5, 1]]);
    expect(signals.confidence[5]).toBeCloseTo(0.75, 12);
    expect(signals.score[5]).toBeCloseTo(0.5, 12);
    expect(signals.confidence[4]).toBeNaN();
  });

  it("sells on the bar the RSI crosses back down through 70 (the mirror image: RSI 75, 80, then 66.67)", () => {
    const signals = rsiReversionSignals(barsFromCloses(closes.map((close) => 200 - close)), RSI2);
    expect(signalBars(signals.action)).toEqual([[5, -1]]);
    expect(signals.confidence[5]).toBeCloseTo(0.75, 12);
    expect(signals.score[5]).toBeCloseTo(-0.5, 12);
  });

  it("caps the depth at fullDepth: an RSI of 0 gives confidence 1", () => {
    // RSI(2): 0 at bar 2 (two losses), then a gain of 3 → gain 1.5, loss 0.5 → RSI 75.
    const signals = rsiReversionSignals(barsFromCloses([100, 99, 98, 101]), RSI2);
    expect(signalBars(signals.action)).toEqual([[3, 1]]);
    expect(signals.confidence[3]).toBe(1);
  });

  it("uses RSI(14) by default: a 14-bar slide then a 7-point jump buys at bar 15", () => {
    // Bar 14: all 14 moves are losses of 1 → RSI 0. Bar 15: gain 7 → RS = (7/14) / (13/14) → RSI 35.
    const closes14 = [...Array.from({ length: 15 }, (_, i) => 100 - i), 93];
    const signals = rsiReversionSignals(barsFromCloses(closes14), DEFAULT_RSI_REVERSION_SETTINGS);
    expect(signalBars(signals.action)).toEqual([[15, 1]]);
    expect(signals.confidence[15]).toBe(1);
  });

  it("does not signal while the RSI stays inside its band or is still warming up", () => {
    // RSI(14) of closes alternating 100, 101 stays near 50.
    const alternating = Array.from({ length: 40 }, (_, i) => 100 + (i % 2));
    const signals = rsiReversionSignals(barsFromCloses(alternating), DEFAULT_RSI_REVERSION_SETTINGS);
    expect(signalBars(signals.action)).toEqual([]);
  });

  it("rejects levels out of order as a configuration error naming the setting", () => {
    expect(() => rsiReversionSignals(barsFromCloses(closes), { ...RSI2, oversold: 70, overbought: 30 })).toThrow(ConfigError);
    expect(() => rsiReversionSignals(barsFromCloses(closes), { ...RSI2, period: 0 })).toThrow(/signals.period|period must be/);
  });
});

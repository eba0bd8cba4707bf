import { describe, expect, it } from "vitest";
import { StrategyError, type BarSeries, type SignalColumns } from "../../../engine/index.js";
import { generateSynthBars } from "../../../data/synth.js";
import { checkLookahead, chooseCuts, truncateSeries } from "../../../strategies/signals/lookahead.js";
import { emptySignalColumns } from "../../../strategies/signals/signalColumns.js";
import { barsFromCloses, thrownBy } from "./series.js";

const SYNTH = generateSynthBars({ symbol: "SYN", bars: 1000, seed: 21 });

/** A planted leak: BUY at bar i when the NEXT close is higher — knowable only after bar i + 1. */
function buyBeforeRises(series: BarSeries): SignalColumns {
  const columns = emptySignalColumns(series.length);
  for (let i = 0; i + 1 < series.length; i++) {
    if (series.close[i + 1] > series.close[i]) {
      columns.action[i] = 1;
      columns.confidence[i] = 0.9;
    }
  }
  return columns;
}

/** A subtler leak: the score compares each close with the series' last close. */
function scoreAgainstLastClose(series: BarSeries): SignalColumns {
  const columns = emptySignalColumns(series.length);
  const last = series.close[series.length - 1];
  for (let i = 0; i < series.length; i++) columns.score[i] = Math.tanh(series.close[i] / last - 1);
  return columns;
}

describe("checkLookahead", () => {
  it("catches a source that buys when the next close is higher, at the cut bar itself", () => {
    const report = checkLookahead(buyBeforeRises, SYNTH, { cuts: 50, seed: 1 });
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.violationCount).toBe(report.violations.length);
    for (const violation of report.violations) {
      expect(violation.barIndex).toBe(violation.cutIndex);
      expect(["action", "confidence"]).toContain(violation.field);
      expect(violation.timeMs).toBe(SYNTH.time[violation.barIndex]);
    }
    const action = report.violations.find((violation) => violation.field === "action");
    expect(action).toMatchObject({ full: 1, truncated: 0 });
  });

  it("catches a source whose every value depends on the last bar, and lists at most maxViolations of them", () => {
    const report = checkLookahead(scoreAgainstLastClose, SYNTH, { cuts: 10, maxViolations: 5 });
    expect(report.violations).toHaveLength(5);
    expect(report.violationCount).toBeGreaterThan(100);
    expect(report.violations[0].field).toBe("score");
  });

  it("treats NaN in both runs as equal", () => {
    const report = checkLookahead((series) => emptySignalColumns(series.length), SYNTH, { cuts: 20 });
    expect(report.cutsChecked).toBe(20);
    expect(report.violations).toEqual([]);
  });

  it("passes a causal source that uses only past bars", () => {
    const previousCloseRose = (series: BarSeries) => {
      const columns = emptySignalColumns(series.length);
      for (let i = 1; i < series.length; i++) if (series.close[i] > series.close[i - 1]) columns.action[i] = 1;
      return columns;
    };
    expect(checkLookahead(previousCloseRose, SYNTH).violations).toEqual([]);
  });

  it("fails loudly when a source returns the wrong number of values", () => {
    const error = thrownBy(() => checkLookahead(() => emptySignalColumns(3), SYNTH));
    expect(error).toBeInstanceOf(StrategyError);
    expect(error.message).toContain("3 values for 1000 bars");
  });
});

describe("truncateSeries", () => {
  it("keeps bars 0..c as views on the same memory (zero-copy)", () => {
    const series = barsFromCloses([1, 2, 3, 4, 5]);
    const truncated = truncateSeries(series, 2);
    expect(truncated.length).toBe(3);
    expect(Array.from(truncated.close)).toEqual([1, 2, 3]);
    for (const field of ["time", "open", "high", "low", "close", "volume"] as const) {
      expect(truncated[field].buffer).toBe(series[field].buffer);
      expect(truncated[field].length).toBe(3);
    }
  });
});

describe("chooseCuts", () => {
  it("spreads half the cuts evenly from minIndex to the second-last bar and draws the rest with the seed", () => {
    const cuts = chooseCuts(1000, 10, 100, 7);
    expect(cuts[0]).toBe(100);
    expect(cuts).toContain(998);
    expect(cuts.every((cut) => cut >= 100 && cut <= 998)).toBe(true);
    expect(cuts).toEqual([...cuts].sort((a, b) => a - b));
    expect(chooseCuts(1000, 10, 100, 7)).toEqual(cuts);
    expect(chooseCuts(1000, 10, 100, 8)).not.toEqual(cuts);
  });

  it("drops duplicate cuts on a short series and returns none when there is nothing to cut", () => {
    expect(chooseCuts(4, 50, 0, 1)).toEqual([0, 1, 2]);
    expect(chooseCuts(1, 50, 0, 1)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError } from "../../engine/index.js";
import { parseSpan, walkWindows } from "../../workflows/walkforward/windows.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const days = (n: number): number => T0 + n * DAY;
const bounds = (windows: ReturnType<typeof walkWindows>): number[][] =>
  windows.map((w) => [w.trainFromMs, w.trainToMs, w.testFromMs, w.testToMs].map((ms) => (ms - T0) / DAY));

describe("walk-forward windows", () => {
  it("reads lengths in hours, days, weeks and bars", () => {
    expect(parseSpan("12h", "--train")).toMatchObject({ kind: "ms", ms: 12 * HOUR });
    expect(parseSpan("90d", "--train")).toMatchObject({ kind: "ms", ms: 90 * DAY });
    expect(parseSpan("2w", "--train")).toMatchObject({ kind: "ms", ms: 14 * DAY });
    expect(parseSpan("500bars", "--train")).toMatchObject({ kind: "bars", bars: 500 });
    expect(parseSpan("24b", "--train")).toMatchObject({ kind: "bars", bars: 24 });
  });

  it("refuses a length without a unit, of zero, or of a fractional number of bars, naming the flag", () => {
    for (const [text, fragment] of [["90", "not a length"], ["0d", "longer than 0"], ["1.5bars", "whole number of bars"], ["-3d", "not a length"], ["3 months", "not a length"]]) {
      expect(() => parseSpan(text, "--test")).toThrowError(ConfigError);
      expect(() => parseSpan(text, "--test")).toThrowError(fragment);
    }
  });

  it("rolls a fixed training length forward by the test length by default, keeping only whole test parts", () => {
    const windows = walkWindows({ train: parseSpan("30d", "--train"), test: parseSpan("10d", "--test"), anchored: false }, T0, days(65), HOUR);
    expect(bounds(windows)).toEqual([[0, 30, 30, 40], [10, 40, 40, 50], [20, 50, 50, 60]]);
    expect(windows.map((w) => w.index)).toEqual([1, 2, 3]);
  });

  it("anchors every training part at the data's start when asked, growing by the step", () => {
    const windows = walkWindows({ train: parseSpan("30d", "--train"), test: parseSpan("10d", "--test"), step: parseSpan("15d", "--step"), anchored: true }, T0, days(71), HOUR);
    expect(bounds(windows)).toEqual([[0, 30, 30, 40], [0, 45, 45, 55], [0, 60, 60, 70]]);
  });

  it("moves by a step longer than the test part, leaving gaps between test parts", () => {
    const windows = walkWindows({ train: parseSpan("20d", "--train"), test: parseSpan("5d", "--test"), step: parseSpan("10d", "--step"), anchored: false }, T0, days(50), HOUR);
    expect(bounds(windows)).toEqual([[0, 20, 20, 25], [10, 30, 30, 35], [20, 40, 40, 45]]);
  });

  it("counts bars in the run's timeframe", () => {
    const windows = walkWindows({ train: parseSpan("48bars", "--train"), test: parseSpan("24bars", "--test"), anchored: false }, T0, days(4), HOUR);
    expect(bounds(windows)).toEqual([[0, 2, 2, 3], [1, 3, 3, 4]]);
  });

  it("refuses a test longer than the data, overlapping test parts, and parts shorter than a bar", () => {
    const settings = (train: string, test: string, step?: string) => ({
      train: parseSpan(train, "--train"), test: parseSpan(test, "--test"), ...(step === undefined ? {} : { step: parseSpan(step, "--step") }), anchored: false,
    });
    expect(() => walkWindows(settings("30d", "40d"), T0, days(60), HOUR)).toThrowError(/longer than the data/);
    expect(() => walkWindows(settings("30d", "10d", "5d"), T0, days(60), HOUR)).toThrowError(/test windows would overlap/);
    expect(() => walkWindows(settings("30h", "10h"), T0, days(60), 4 * HOUR)).not.toThrow();
    expect(() => walkWindows(settings("1h", "10d"), T0, days(60), 4 * HOUR)).toThrowError(/shorter than one bar/);
  });
});

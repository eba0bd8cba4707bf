import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ConfigError, sparsifySignals, type BarSeries, type SignalColumns } from "../../../engine/index.js";
import { generateSynthBars } from "../../../data/synth.js";
import {
  BUILTIN_SIGNALS, BUILTIN_SIGNAL_NAMES, builtinSignalSet, computeBuiltinSignals, computeBuiltinSparse, requireBuiltinSignalName,
  type BuiltinSignalName,
} from "../../../strategies/signals/builtinSignals.js";
import { checkLookahead } from "../../../strategies/signals/lookahead.js";
import { atrColumn, emaColumn } from "../../../strategies/indicators.js";
import { SparseSignalRows } from "../../../strategies/signals/signalColumns.js";
import { barsOf } from "../../fixtures/bars.js";
import { thrownBy } from "./series.js";

const SYNTH = generateSynthBars({ symbol: "SYN", bars: 3000, seed: 11 });

/** Short periods so that a 60-bar series has signals, for the property test below. */
const SHORT_SETTINGS: { readonly [Name in BuiltinSignalName]: object } = {
  "ema-cross": { fastPeriod: 3, slowPeriod: 6, atrPeriod: 3 },
  "rsi-reversion": { period: 3 },
  momentum: { period: 3, atrPeriod: 3, thresholdAtr: 1 },
  "macd-cross": { fastPeriod: 3, slowPeriod: 6, signalPeriod: 3, atrPeriod: 3 },
  "change-24h": { windowMs: 6 * 3_600_000, emit: "every-bar" },
};

describe("the built-in signal registry", () => {
  it("lists ema-cross, rsi-reversion, momentum, macd-cross and change-24h, each under its own name", () => {
    expect(BUILTIN_SIGNAL_NAMES).toEqual(["ema-cross", "rsi-reversion", "momentum", "macd-cross", "change-24h"]);
    expect(Object.keys(BUILTIN_SIGNALS).sort()).toEqual([...BUILTIN_SIGNAL_NAMES].sort());
    for (const name of BUILTIN_SIGNAL_NAMES) expect(BUILTIN_SIGNALS[name].name).toBe(name);
  });

  it("fills settings left out with the source's defaults", () => {
    const rsi = BUILTIN_SIGNALS["rsi-reversion"];
    expect(computeBuiltinSignals("rsi-reversion", SYNTH)).toEqual(rsi.compute(SYNTH, rsi.defaults));
    expect(computeBuiltinSignals("rsi-reversion", SYNTH, { oversold: 25 })).toEqual(rsi.compute(SYNTH, { ...rsi.defaults, oversold: 25 }));
  });

  it("runs one source over every symbol of a data set", () => {
    const other = generateSynthBars({ symbol: "OTHER", bars: 500, seed: 3 });
    const set = builtinSignalSet("momentum", [SYNTH, other]);
    expect([...set.bySymbol.keys()]).toEqual(["SYN", "OTHER"]);
    expect(set.bySymbol.get("OTHER")?.action.length).toBe(500);
  });

  it("suggests the nearest name for a typo", () => {
    expect(requireBuiltinSignalName("macd-cross")).toBe("macd-cross");
    const error = thrownBy(() => requireBuiltinSignalName("rsi-reversal"));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).hint).toContain('did you mean "rsi-reversion"');
  });
});

describe.each(BUILTIN_SIGNAL_NAMES)("the built-in %s", (name) => {
  const signals = computeBuiltinSignals(name, SYNTH);

  it("returns one value per bar in every column and signals on the synthetic series", () => {
    for (const column of [signals.action, signals.confidence, signals.score, signals.sizeMultiplier]) expect(column.length).toBe(SYNTH.length);
    expect(signals.action.some((action) => action !== 0)).toBe(true);
  });

  it("gives confidence 0.5 + 0.5 × strength and score ±strength on signal bars, and nothing on HOLD bars", () => {
    for (let i = 0; i < SYNTH.length; i++) {
      const action = signals.action[i];
      if (action === 0) {
        expect(signals.confidence[i]).toBeNaN();
        expect(signals.score[i]).toBeNaN();
        continue;
      }
      expect(signals.confidence[i]).toBeGreaterThanOrEqual(0.5);
      expect(signals.confidence[i]).toBeLessThanOrEqual(1);
      expect(signals.score[i] * action).toBeCloseTo(2 * (signals.confidence[i] - 0.5), 12);
    }
    expect(signals.sizeMultiplier.every((value) => Number.isNaN(value))).toBe(true);
  });

  it("gives as sparse rows exactly what sparsifySignals makes of its columns (the run's form, without the columns)", () => {
    expect(computeBuiltinSparse(name, SYNTH)).toEqual(sparsifySignals(signals));
    const row = fc.tuple(fc.double({ min: 90, max: 110, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }));
    fc.assert(fc.property(fc.array(row, { minLength: 0, maxLength: 80 }), (rows) => {
      const series = seriesOf(rows);
      const settings = SHORT_SETTINGS[name] as Partial<never>;
      expect(computeBuiltinSparse(name, series, settings)).toEqual(sparsifySignals(computeBuiltinSignals(name, series, settings)));
    }), { numRuns: 100, seed: 7 });
  });

  it("passes the look-ahead check over 3000 synthetic bars", () => {
    const report = checkLookahead((series) => computeBuiltinSignals(name, series), SYNTH, { cuts: 50, seed: 5 });
    expect(report.cutsChecked).toBeGreaterThanOrEqual(45);
    expect(report.violations).toEqual([]);
  });

  it("keeps every signal up to bar c when the bars after c are replaced by any others", () => {
    const row = fc.tuple(fc.double({ min: 90, max: 110, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }));
    fc.assert(fc.property(fc.array(row, { minLength: 60, maxLength: 60 }), fc.array(row, { minLength: 60, maxLength: 60 }), fc.integer({ min: 0, max: 58 }),
      (first, second, cut) => {
        const original = seriesOf(first);
        const changed = seriesOf([...first.slice(0, cut + 1), ...second.slice(cut + 1)]);
        const settings = SHORT_SETTINGS[name] as Partial<never>;
        const a = computeBuiltinSignals(name, original, settings);
        const b = computeBuiltinSignals(name, changed, settings);
        for (const field of ["action", "confidence", "score", "sizeMultiplier"] as const) {
          expect(Array.from(b[field].subarray(0, cut + 1))).toEqual(Array.from(a[field].subarray(0, cut + 1)));
        }
      }), { numRuns: 60, seed: 42 });
  });
});

/** ema-cross as it was written over the EMA and ATR columns, before it ran them one bar at a time. */
function emaCrossFromColumns(series: BarSeries, fastPeriod: number, slowPeriod: number, atrPeriod: number): SignalColumns {
  const n = series.length;
  const fast = emaColumn(series, fastPeriod);
  const slow = emaColumn(series, slowPeriod);
  const atr = atrColumn(series, atrPeriod);
  const action = new Int8Array(n);
  const confidence = new Float64Array(n).fill(NaN);
  const score = new Float64Array(n).fill(NaN);
  for (let i = 1; i < n; i++) {
    const previous = fast[i - 1] - slow[i - 1];
    const current = fast[i] - slow[i];
    if (!(previous === previous && current === current && atr[i] > 0)) continue;
    let side = 0;
    if (previous <= 0 && current > 0) side = 1;
    else if (previous >= 0 && current < 0) side = -1;
    if (side === 0) continue;
    const strength = Math.min(1, Math.abs(current) / atr[i]);
    action[i] = side;
    confidence[i] = 0.5 + 0.5 * strength;
    score[i] = side * strength;
  }
  return { action, confidence, score, sizeMultiplier: new Float64Array(n).fill(NaN) };
}

describe("ema-cross one bar at a time", () => {
  it("gives bit for bit the signals it gave over the EMA and ATR columns", () => {
    expect(computeBuiltinSignals("ema-cross", SYNTH)).toEqual(emaCrossFromColumns(SYNTH, 12, 26, 14));
    const row = fc.tuple(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }));
    fc.assert(fc.property(fc.array(row, { minLength: 0, maxLength: 120 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }),
      (rows, fastPeriod, slowPeriod, atrPeriod) => {
        const series = seriesOf(rows);
        expect(computeBuiltinSignals("ema-cross", series, { fastPeriod, slowPeriod, atrPeriod })).toEqual(emaCrossFromColumns(series, fastPeriod, slowPeriod, atrPeriod));
      }), { numRuns: 300, seed: 3 });
  });
});

describe("SparseSignalRows", () => {
  it("grows past its first 1,024 rows and refuses a bar that is not after the last", () => {
    const rows = new SparseSignalRows();
    for (let i = 0; i < 5000; i++) rows.put(2 * i, i % 2 === 0 ? 1 : -1, 0.5 + i / 10_000, i);
    const sparse = rows.finish();
    expect(sparse.length).toBe(5000);
    expect(sparse.index[4999]).toBe(9998);
    expect(sparse.action[4999]).toBe(-1);
    expect(sparse.confidence[4999]).toBe(0.5 + 4999 / 10_000);
    expect(sparse.score[0]).toBe(0);
    expect(sparse.sizeMultiplier.every((value) => Number.isNaN(value))).toBe(true);
    expect(() => rows.put(9998, 1, 1, 1)).toThrow(/bar 9998 after bar 9998/);
  });
});

/** Bars from [close, upper wick, lower wick], each opening at the previous close. */
function seriesOf(rows: readonly (readonly [number, number, number])[]): BarSeries {
  return barsOf("PROP", rows.map(([close, upper, lower], i) => {
    const open = i === 0 ? close : rows[i - 1][0];
    return [open, Math.max(open, close) + upper, Math.min(open, close) - lower, close] as const;
  }));
}

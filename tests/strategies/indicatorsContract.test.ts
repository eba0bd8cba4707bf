import fc from "fast-check";
import technicalindicators from "technicalindicators";
import { describe, expect, it } from "vitest";
import { adxColumn, atrColumn, emaColumn } from "../../strategies/indicators.js";
import { barsOf } from "../fixtures/bars.js";

/** The library's output placed at the end of a NaN column, as the bars align. */
function aligned(values: readonly number[], length: number): number[] {
  return [...Array<number>(length - values.length).fill(NaN), ...values];
}

const series = fc
  .array(fc.record({ move: fc.double({ min: -0.05, max: 0.05, noNaN: true }), up: fc.double({ min: 0, max: 0.03, noNaN: true }), down: fc.double({ min: 0, max: 0.03, noNaN: true }) }), { minLength: 1, maxLength: 120 })
  .map((steps) => {
    let last = 100;
    return barsOf("X", steps.map(({ move, up, down }) => {
      const open = last;
      const close = open * (1 + move);
      last = close;
      return [open, Math.max(open, close) * (1 + up), Math.min(open, close) * (1 - down), close] as [number, number, number, number];
    }));
  });

describe("the fast EMA, ATR and ADX match technicalindicators value for value", () => {
  it("EMA equals technicalindicators.EMA for random series and periods", () => {
    fc.assert(fc.property(series, fc.integer({ min: 1, max: 40 }), (bars, period) => {
      const expected = aligned(technicalindicators.EMA.calculate({ period, values: Array.from(bars.close) }), bars.length);
      expect(Array.from(emaColumn(bars, period))).toEqual(expected);
    }), { numRuns: 1000 });
  });

  it("ATR equals technicalindicators.ATR for random series and periods", () => {
    fc.assert(fc.property(series, fc.integer({ min: 1, max: 30 }), (bars, period) => {
      const expected = aligned(technicalindicators.ATR.calculate({
        period, high: Array.from(bars.high), low: Array.from(bars.low), close: Array.from(bars.close),
      }), bars.length);
      expect(Array.from(atrColumn(bars, period))).toEqual(expected);
    }), { numRuns: 1000 });
  });

  it("ADX equals technicalindicators.ADX for random series and periods, flat stretches included", () => {
    fc.assert(fc.property(series, fc.integer({ min: 1, max: 30 }), fc.boolean(), (bars, period, flat) => {
      if (flat) for (let i = 0; i < Math.min(bars.length, 2 * period + 3); i++) (bars.high as Float64Array)[i] = (bars.low as Float64Array)[i] = (bars.close as Float64Array)[i] = (bars.open as Float64Array)[i] = 100;
      const expected = aligned(technicalindicators.ADX.calculate({
        period, high: Array.from(bars.high), low: Array.from(bars.low), close: Array.from(bars.close),
      }).map((value) => value.adx ?? NaN), bars.length);
      expect(Array.from(adxColumn(bars, period))).toEqual(expected);
    }), { numRuns: 1000 });
  });
});

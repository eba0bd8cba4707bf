import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { downsideDeviationOf, meanOf, periodReturnsOf, returnStatsOf, sampleStdOf } from "../../reports/series.js";

/** What computeStats read before the passes were fused: the three statistics of the returns, one pass each. */
function separately(equity: Float64Array): { mean: number | null; std: number | null; downside: number | null } {
  const returns = periodReturnsOf(equity);
  return { mean: meanOf(returns), std: sampleStdOf(returns), downside: downsideDeviationOf(returns) };
}

describe("returnStatsOf", () => {
  it("gives bit for bit the mean, sample deviation and downside deviation of the period returns", () => {
    const curve = fc.array(fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: 1, max: 1e6, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -5, NaN) },
    ), { maxLength: 400 });
    fc.assert(fc.property(curve, (values) => {
      const equity = Float64Array.from(values);
      const fused = returnStatsOf(equity);
      const plain = separately(equity);
      expect([Object.is(fused.mean, plain.mean), Object.is(fused.std, plain.std), Object.is(fused.downside, plain.downside)], JSON.stringify(values)).toEqual([true, true, true]);
    }), { numRuns: 2000 });
  });

  it("is null where the statistics are: no return, then one return (no deviation)", () => {
    expect(returnStatsOf(Float64Array.from([100]))).toEqual({ mean: null, std: null, downside: null });
    expect(returnStatsOf(Float64Array.from([0, 100, 110]))).toEqual({ mean: 0.10000000000000009, std: null, downside: null });
    const long = Float64Array.from({ length: 200_001 }, (_, i) => 10_000 + 50 * Math.sin(i / 97));
    expect(returnStatsOf(long)).toEqual(separately(long));
  });
});

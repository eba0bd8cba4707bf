import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/errors.js";
import { bootstrapMeanInterval, bootstrapMeanIntervals, quantileOfSorted } from "../../../reports/workflows/bootstrap.js";

/** 200 differences: `edge` plus noise −0.03, −0.01, +0.01, +0.03 repeated, so their mean is exactly `edge`. */
function noisyDifferences(edge: number): number[] {
  const noise = [-0.03, -0.01, 0.01, 0.03];
  return Array.from({ length: 200 }, (_, i) => edge + noise[i % 4]);
}

describe("percentile bootstrap of a mean", () => {
  it("gives the same interval for the same seed, bit for bit", () => {
    const values = noisyDifferences(0.005);
    expect(bootstrapMeanInterval(values, { seed: 7 })).toEqual(bootstrapMeanInterval(values, { seed: 7 }));
  });

  it("gives a different interval for another seed", () => {
    const values = noisyDifferences(0.005);
    expect(bootstrapMeanInterval(values, { seed: 7 })!.lower).not.toBe(bootstrapMeanInterval(values, { seed: 8 })!.lower);
  });

  it("uses 10,000 resamples at 95 % by default", () => {
    const interval = bootstrapMeanInterval([1, 2, 3], { seed: 1 })!;
    expect(interval.resamples).toBe(10_000);
    expect(interval.confidence).toBe(0.95);
  });

  it("brackets the true mean of a clear edge and stays above zero", () => {
    const interval = bootstrapMeanInterval(noisyDifferences(0.02), { seed: 42 })!;
    expect(interval.mean).toBeCloseTo(0.02, 12);
    expect(interval.lower).toBeLessThan(0.02);
    expect(interval.upper).toBeGreaterThan(0.02);
    expect(interval.lower).toBeGreaterThan(0);
    expect(interval.shareAboveZero).toBe(1);
  });

  it("includes zero for pure noise", () => {
    const interval = bootstrapMeanInterval(noisyDifferences(0), { seed: 42 })!;
    expect(interval.lower).toBeLessThan(0);
    expect(interval.upper).toBeGreaterThan(0);
    expect(interval.shareAboveZero).toBeGreaterThan(0.35);
    expect(interval.shareAboveZero).toBeLessThan(0.65);
  });

  it("narrows as the confidence level is lowered", () => {
    const values = noisyDifferences(0);
    const wide = bootstrapMeanInterval(values, { seed: 3, confidence: 0.99 })!;
    const narrow = bootstrapMeanInterval(values, { seed: 3, confidence: 0.8 })!;
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it("finds the resampled means of {0, 1} above zero three times in four", () => {
    // Means of two draws: 0 (¼), 0.5 (½), 1 (¼); the 95 % interval spans [0, 1].
    const interval = bootstrapMeanInterval([0, 1], { seed: 5 })!;
    expect(interval.shareAboveZero).toBeGreaterThan(0.73);
    expect(interval.shareAboveZero).toBeLessThan(0.77);
    expect(interval.lower).toBe(0);
    expect(interval.upper).toBe(1);
  });

  it("keeps its numbers from release to release: 1 … 10, seed 2024, 1,000 resamples → [3.8, 7.3]", () => {
    // Pinned: a change of generator, index draw or quantile rule must show up here, not in users' CI.
    const interval = bootstrapMeanInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { seed: 2024, resamples: 1000 })!;
    expect([interval.mean, interval.lower, interval.upper]).toEqual([5.5, 3.8, 7.3]);
  });

  it("draws the same resamples for columns bootstrapped together as for each alone with that seed", () => {
    const first = noisyDifferences(0.01);
    const second = first.map((value) => value * 10);
    const [together1, together2] = bootstrapMeanIntervals([first, second], { seed: 9, resamples: 500 });
    expect(together1).toEqual(bootstrapMeanInterval(first, { seed: 9, resamples: 500 }));
    expect(together2).toEqual(bootstrapMeanInterval(second, { seed: 9, resamples: 500 }));
  });

  it("has no interval without values", () => {
    expect(bootstrapMeanInterval([], { seed: 1 })).toBeNull();
  });

  it("refuses a fractional seed, zero resamples and a confidence of 1", () => {
    expect(() => bootstrapMeanInterval([1], { seed: 1.5 })).toThrow(ConfigError);
    expect(() => bootstrapMeanInterval([1], { seed: 1, resamples: 0 })).toThrow(/resamples/);
    expect(() => bootstrapMeanInterval([1], { seed: 1, confidence: 1 })).toThrow(/confidence/);
  });
});

describe("quantiles by linear interpolation (type 7)", () => {
  it("takes the midpoint of 2 and 3 as the median of 1, 2, 3, 4", () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it("interpolates the 2.5 % quantile of 1, 2, 3, 4 at 1.075", () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
  });

  it("returns the extremes at 0 and 1", () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileOfSorted([1, 2, 3, 4], 1)).toBe(4);
  });
});

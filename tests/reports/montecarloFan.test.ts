import { describe, expect, it } from "vitest";
import { renderMonteCarloPage } from "../../reports/html/montecarloPage.js";
import { FAN_POINTS, HISTOGRAM_BINS, fanCheckpoints, histogramOf, runMonteCarlo } from "../../reports/montecarlo.js";
import { runBlockBootstrap } from "../../reports/montecarloBlock.js";

const pnls = [120, -80, 45, -30, 200, -150, 60, 10, -40, 90, -20, 75];

describe("the Monte Carlo fan chart and histograms", () => {
  it("keeps every step of a short path and at most FAN_POINTS evenly spaced ones of a long path, ending at the last", () => {
    expect(Array.from(fanCheckpoints(5))).toEqual([0, 1, 2, 3, 4]);
    const long = fanCheckpoints(1000);
    expect(long.length).toBe(FAN_POINTS);
    expect(long[0]).toBe(9);
    expect(long[FAN_POINTS - 1]).toBe(999);
  });

  it("counts every value into equal-width bins, the maximum into the last", () => {
    const histogram = histogramOf(new Float64Array([0, 1, 1, 2, 4]));
    expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(histogram.counts.length).toBe(HISTOGRAM_BINS);
    expect(histogram.counts[0]).toBe(1);
    expect(histogram.counts[10]).toBe(2);
    expect(histogram.counts[HISTOGRAM_BINS - 1]).toBe(1);
  });

  it("ends the fan at the final-equity quantiles and the run's own path at its final equity", () => {
    const result = runMonteCarlo({ pnls, initialBalance: 1000, method: "bootstrap", simulations: 2000, seed: 7, ruinDrawdown: 0.5 });
    const last = result.fan.step.length - 1;
    expect(result.fan.step[last]).toBe(pnls.length);
    expect(result.fan.p50[last]).toBe(result.quantiles.finalEquity.p50);
    expect(result.fan.p5[last]).toBe(result.quantiles.finalEquity.p5);
    expect(result.fan.actual[last]).toBe(result.actual.finalEquity);
    expect(result.fan.actual[0]).toBe(1000 + pnls[0]);
    for (let k = 0; k <= last; k++) expect(result.fan.p5[k]).toBeLessThanOrEqual(result.fan.p95[k]);
    expect(result.histograms.finalEquity.counts.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(result.histograms.maxDrawdownPct.max).toBeGreaterThanOrEqual(result.quantiles.maxDrawdownPct.p99);
  });

  it("compounds the block bootstrap's fan from the initial balance", () => {
    const returns = [0.01, -0.02, 0.015, 0.003, -0.01, 0.02, 0.005, -0.004];
    const result = runBlockBootstrap({ returns, initialBalance: 100, blockLength: 2, simulations: 500, seed: 3, ruinDrawdown: 0.5 });
    expect(result.fan.actual[result.fan.actual.length - 1]).toBeCloseTo(result.actual.finalEquity, 12);
    expect(result.fan.actual[0]).toBeCloseTo(101, 12);
  });

  it("draws the bands, the median, the run's own path and both histograms as static SVG, and says when a figure cannot vary", () => {
    const shuffled = runMonteCarlo({ pnls, initialBalance: 1000, method: "shuffle", simulations: 300, seed: 1, ruinDrawdown: 0.5 });
    const page = renderMonteCarloPage(shuffled, "run");
    for (const part of ['data-band="p5-p95"', 'data-band="p25-p75"', 'data-line="median"', 'data-line="actual"', 'data-chart="histogram-max-drawdown"']) expect(page).toContain(part);
    // A shuffle keeps the sum of the trades: every path ends at the same equity.
    expect(page).toMatch(/data-chart="histogram-final-equity">Every path gives 1\u2009280/);
    expect(page).not.toMatch(/<script|https?:/);
    expect(renderMonteCarloPage(shuffled, "run")).toBe(page);
  });
});

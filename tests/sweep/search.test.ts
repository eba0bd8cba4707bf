import { describe, expect, it } from "vitest";
import { ConfigError } from "../../engine/index.js";
import { cellIdOf, type CellValues } from "../../workflows/sweep/grid.js";
import { STARTUP_TRIALS, TrialPlanner, lossOf } from "../../workflows/sweep/searchPlan.js";
import { gridOfSpace, parseRange, spaceSizeOf, type SearchSpace } from "../../workflows/sweep/searchSpace.js";
import type { SearchSettings } from "../../workflows/sweep/sweepFile.js";
import type { Trial } from "../../workflows/sweep/tpe.js";

const SPACE: SearchSpace = [
  ["x", { kind: "range", min: -5, max: 10, step: null, log: false }],
  ["y", { kind: "range", min: 0, max: 15, step: null, log: false }],
  ["rate", { kind: "range", min: 1e-4, max: 1, step: null, log: true }],
  ["mode", { kind: "list", values: ["a", "b", "c", "d"] }],
];

/**
 * De Jong's sphere, shifted off-centre (minimum 0 at x = 1, y = 3, rate = 0.01), with one
 * log-scaled parameter, and doubled unless the choice is "c": a known function with a known minimum.
 */
function loss(values: CellValues): number {
  const sphere = ((values.x as number) - 1) ** 2 + ((values.y as number) - 3) ** 2 + (Math.log10(values.rate as number) + 2) ** 2;
  return sphere * (values.mode === "c" ? 1 : 2);
}

/** Runs a search against `loss` the way runSweep does: round by round, each round seeing every earlier result. */
function search(method: SearchSettings["method"], trials: number, seed: number, space: SearchSpace = SPACE): Trial[] {
  const planner = new TrialPlanner(space, { method, trials, batch: 4 }, seed);
  const history: Trial[] = [];
  for (;;) {
    const round = planner.nextRound(history);
    if (round.length === 0) return history;
    history.push(...round.map((values) => ({ values, loss: loss(values) })));
  }
}

const best = (trials: readonly Trial[]): number => Math.min(...trials.map((trial) => trial.loss));

describe("search spaces", () => {
  it("expands a stepped range into its steps for a grid search, without float noise", () => {
    const grid = gridOfSpace([["exits.stopLossPct", parseRange({ min: 0.01, max: 0.05, step: 0.01 }, "g")]], "g.json");
    expect(grid).toEqual([["exits.stopLossPct", [0.01, 0.02, 0.03, 0.04, 0.05]]]);
  });

  it("refuses a grid search over a range without a step, naming the path", () => {
    expect(() => gridOfSpace([["exits.stopLossPct", parseRange({ min: 0.01, max: 0.05 }, "g")]], "g.json")).toThrow(ConfigError);
    try {
      gridOfSpace([["exits.stopLossPct", parseRange({ min: 0.01, max: 0.05 }, "g")]], "g.json");
    } catch (error) {
      expect((error as ConfigError).oneLine()).toContain("g.json grid.exits.stopLossPct: a grid search needs a step for every range");
    }
  });
});

describe("random search", () => {
  it("draws distinct cells inside the bounds, on the steps, the same for the same seed and others for another", () => {
    const space: SearchSpace = [["a", parseRange({ min: 1, max: 3, step: 0.5 }, "g")], ["b", parseRange({ min: 0.001, max: 1, log: true }, "g")]];
    const first = search("random", 20, 7, space);
    expect(search("random", 20, 7, space)).toEqual(first);
    expect(search("random", 20, 8, space)).not.toEqual(first);
    expect(new Set(first.map((trial) => cellIdOf(trial.values))).size).toBe(20);
    for (const { values } of first) {
      expect([1, 1.5, 2, 2.5, 3]).toContain(values.a);
      expect(values.b as number).toBeGreaterThanOrEqual(0.001);
      expect(values.b as number).toBeLessThanOrEqual(1);
    }
  });

  it("stops when a finite space is exhausted instead of repeating a cell", () => {
    const space: SearchSpace = [["a", { kind: "list", values: [1, 2, 3] }], ["b", parseRange({ min: 0, max: 1, step: 0.5 }, "g")]];
    expect(spaceSizeOf(space)).toBe(9);
    const trials = search("random", 50, 1, space);
    expect(trials).toHaveLength(9);
    expect(new Set(trials.map((trial) => cellIdOf(trial.values))).size).toBe(9);
  });
});

describe("TPE search", () => {
  it("is deterministic for a seed, and starts with random proposals before fitting its model", () => {
    const first = search("tpe", 30, 3);
    expect(search("tpe", 30, 3)).toEqual(first);
    expect(first.slice(0, STARTUP_TRIALS)).toEqual(search("random", STARTUP_TRIALS, 3));
  });

  it("beats random search on a known function at equal trials (40 trials, 20 seeds)", () => {
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const tpe = seeds.map((seed) => best(search("tpe", 40, seed)));
    const random = seeds.map((seed) => best(search("random", 40, seed)));
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    const wins = seeds.filter((_, i) => tpe[i] < random[i]).length;
    expect(mean(tpe)).toBeLessThan(0.75 * mean(random));
    expect(wins).toBeGreaterThanOrEqual(13);
    console.log(`TPE vs random, best loss after 40 trials, mean of 20 seeds: ${mean(tpe).toFixed(3)} vs ${mean(random).toFixed(3)}; TPE better on ${wins}/20`);
  });
});

describe("the loss a search minimises", () => {
  const spec = { metric: "sharpeRatio" as const, direction: "max" as const, minTrades: 30 };
  const done = (sharpeRatio: number | null, tradeCount: number) => ({ status: "done" as const, metrics: { sharpeRatio, tradeCount }, tradeFingerprint: "" });
  it("is the negated metric under max, and +Infinity for too few trades, an undefined metric, a failed or a skipped cell", () => {
    expect(lossOf(done(1.5, 40), spec)).toBe(-1.5);
    expect(lossOf(done(1.5, 40), { ...spec, direction: "min" })).toBe(1.5);
    expect(lossOf(done(9, 29), spec)).toBe(Infinity);
    expect(lossOf(done(null, 40), spec)).toBe(Infinity);
    expect(lossOf({ status: "failed", message: "x" }, spec)).toBe(Infinity);
    expect(lossOf(undefined, spec)).toBe(Infinity);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError } from "../../engine/index.js";
import { configSchema, type RunConfig } from "../../strategies/config.js";
import { canonicalJson, cellIdOf, expandGrid, gridHashOf, type Grid, type ReadyCell } from "../../workflows/sweep/grid.js";
import { parseSweepSpec, type SweepOverrides } from "../../workflows/sweep/sweepFile.js";

const base = Object.freeze(configSchema.parse({ exits: { kind: "static", stopLossPct: 0.025 } })) as RunConfig;

describe("expandGrid", () => {
  it("gives the cartesian product of the grid's values, the last path varying fastest", () => {
    const grid: Grid = [["exits.stopLossPct", [0.02, 0.03]], ["sizing.leverage", [1, 2, 3]]];
    const cells = expandGrid(base, grid);
    expect(cells.map((cell) => cell.values)).toEqual([
      { "exits.stopLossPct": 0.02, "sizing.leverage": 1 }, { "exits.stopLossPct": 0.02, "sizing.leverage": 2 },
      { "exits.stopLossPct": 0.02, "sizing.leverage": 3 }, { "exits.stopLossPct": 0.03, "sizing.leverage": 1 },
      { "exits.stopLossPct": 0.03, "sizing.leverage": 2 }, { "exits.stopLossPct": 0.03, "sizing.leverage": 3 },
    ]);
    const third = cells[2] as ReadyCell;
    expect(third.status).toBe("ready");
    expect(third.config.exits).toMatchObject({ kind: "static", stopLossPct: 0.02 });
    expect(third.config.sizing).toMatchObject({ kind: "fixed-fraction", leverage: 3 });
    expect(Object.isFrozen(third.config.exits)).toBe(true);
  });

  it("keeps the base config's other settings in every cell", () => {
    const [cell] = expandGrid(base, [["sizing.leverage", [2]]]) as ReadyCell[];
    expect(cell.config.exits).toEqual(base.exits);
    expect(cell.config.data).toEqual(base.data);
  });

  it("skips a combination the schema rejects, with the schema's message, instead of failing", () => {
    const cells = expandGrid(base, [["exits.kind", ["static", "ai"]], ["exits.stopLossPct", [0.02, 0.03]]]);
    expect(cells.map((cell) => cell.status)).toEqual(["ready", "ready", "skipped", "skipped"]);
    expect(cells[2]).toMatchObject({ status: "skipped", message: 'exits: "stopLossPct" is not a key for kind "ai"' });
  });

  it("skips a value out of range with the path and the schema's reason", () => {
    const cells = expandGrid(base, [["sizing.leverage", [2, 500]]]);
    expect(cells[0].status).toBe("ready");
    expect(cells[1].status).toBe("skipped");
    expect(cells[1].status === "skipped" && cells[1].message).toMatch(/^sizing\.leverage: leverage must be below/);
  });

  it("applies a kind before its parameters, whatever the grid's key order, and a new kind starts from its defaults", () => {
    const cells = expandGrid(base, [["exits.maxHoldingBars", [12]], ["exits.kind", ["static", "lsf"]]]) as ReadyCell[];
    expect(cells[0].config.exits).toEqual({ kind: "static", stopLossPct: 0.025, takeProfitPct: 0.05, maxHoldingBars: 12 });
    expect(cells[1].config.exits).toEqual(configSchema.parse({ exits: { kind: "lsf", maxHoldingBars: 12 } }).exits);
  });

  it("names cells by their values: the same values give the same id in any key order", () => {
    const a = expandGrid(base, [["exits.stopLossPct", [0.02, 0.03]], ["sizing.leverage", [1, 3]]]);
    const b = expandGrid(base, [["sizing.leverage", [3, 1]], ["exits.stopLossPct", [0.03, 0.02]]]);
    expect(new Set(a.map((cell) => cell.cellId))).toEqual(new Set(b.map((cell) => cell.cellId)));
    expect(gridHashOf(a)).toBe(gridHashOf(b));
    expect(cellIdOf({ "exits.stopLossPct": 0.02, "sizing.leverage": 1 })).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(a.map((cell) => cell.cellId)).size).toBe(4);
  });

  it("gives another grid hash when a value is added", () => {
    const a = expandGrid(base, [["sizing.leverage", [1, 3]]]);
    const b = expandGrid(base, [["sizing.leverage", [1, 3, 5]]]);
    expect(gridHashOf(a)).not.toBe(gridHashOf(b));
  });

  it("writes canonical JSON with sorted keys at every level", () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: "x" }] })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });
});

describe("parseSweepSpec", () => {
  const parse = (value: unknown, overrides: SweepOverrides = {}) => parseSweepSpec(value, "sweep.json", overrides);

  it("reads the grid in file order with the default metric and direction", () => {
    const spec = parse({ grid: { "sizing.leverage": [1, 3], "exits.kind": ["static"] } });
    expect(spec).toEqual({
      space: [["sizing.leverage", { kind: "list", values: [1, 3] }], ["exits.kind", { kind: "list", values: ["static"] }]],
      metric: "sharpeRatio", direction: "max", minTrades: 30, search: { method: "grid", trials: null, batch: 4 },
    });
  });

  it("reads a numeric range and the search keys, and lets the command line's flags win over the file", () => {
    const spec = parse({ grid: { "exits.stopLossPct": { min: 0.01, max: 0.05, log: true } }, search: "random", trials: 5, minTrades: 10 }, { metric: "calmarRatio", trials: 9 });
    expect(spec).toEqual({
      space: [["exits.stopLossPct", { kind: "range", min: 0.01, max: 0.05, step: null, log: true }]],
      metric: "calmarRatio", direction: "max", minTrades: 10, search: { method: "random", trials: 9, batch: 4 },
    });
  });

  it.each([
    [{ grid: {} }, "sweep.json grid: the grid has no paths"],
    [{ grid: { "sizing.leverage": [] } }, "sweep.json grid.sizing.leverage: needs at least one value"],
    [{ grid: { "data.paths": [["a"]] } }, "sweep.json grid.data.paths: cannot be swept"],
    [{ grid: { "exit.kind": ["ai"] } }, 'did you mean "exits"?'],
    [{ grid: { "sizing.leverage": [1, 1] } }, "sweep.json grid.sizing.leverage: lists 1 twice"],
    [{ grid: { "sizing.leverage": [1] }, metric: "sharpe" }, 'did you mean "sharpeRatio"?'],
    [{ grid: { "sizing.leverage": [1] }, metrics: "x" }, "sweep.json"],
    [{ grid: { "exits.stopLossPct": { min: 0.05, max: 0.01 } } }, "sweep.json grid.exits.stopLossPct: max (0.01) must be greater than min (0.05)"],
    [{ grid: { "exits.stopLossPct": { min: 0, max: 0.1, log: true } } }, "a log range needs min > 0"],
    [{ grid: { "exits.stopLossPct": { min: 0, max: 0.1, steps: 2 } } }, '"steps" is not a range key'],
    [{ grid: { "sizing.leverage": [1] }, search: "random" }, "sweep.json search: a random search needs a number of trials"],
    [{ grid: { "sizing.leverage": [1] }, trials: 5 }, "trials applies to random and tpe only"],
    [{ grid: { "sizing.leverage": [1] }, search: "random", trials: 5, batch: 2 }, "batch applies to a tpe search only"],
  ])("rejects %j with a one-line config error", (value, fragment) => {
    expect(() => parse(value)).toThrow(ConfigError);
    try {
      parse(value);
    } catch (error) {
      expect((error as ConfigError).oneLine()).toContain(fragment);
    }
  });
});

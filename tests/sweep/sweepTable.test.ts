import { describe, expect, it } from "vitest";
import type { CellOutcome } from "../../workflows/sweep/cellRunner.js";
import type { GridCell } from "../../workflows/sweep/grid.js";
import type { SweepSpec } from "../../workflows/sweep/sweepFile.js";
import { formatSweepCsv, formatSweepTerminal, rankCells } from "../../workflows/sweep/sweepTable.js";
import { configSchema, type RunConfig } from "../../strategies/config.js";

const config = configSchema.parse({}) as RunConfig;
const ready = (cellId: string, leverage: number): GridCell => ({ status: "ready", cellId, values: { "sizing.leverage": leverage }, config });
const done = (sharpeRatio: number | null, tradeCount = 5): CellOutcome => ({
  status: "done", metrics: { sharpeRatio, tradeCount, totalReturnPct: 0.1 }, tradeFingerprint: "f".repeat(64),
});
const spec: SweepSpec = {
  space: [["sizing.leverage", { kind: "list", values: [1, 2, 3, 4, 5, 6] }]], metric: "sharpeRatio", direction: "max", minTrades: 0,
  search: { method: "grid", trials: null, batch: 4 },
};

const cells: GridCell[] = [
  ready("c3", 1), ready("a1", 2), ready("b2", 3), ready("d4", 4), ready("e5", 5),
  { status: "skipped", cellId: "f6", values: { "sizing.leverage": 6 }, message: "sizing.leverage: too high, really" },
];
const outcomes = new Map<string, CellOutcome>([
  ["c3", done(1.5)], ["a1", done(0.5)], ["b2", done(1.5)], ["d4", done(null)], ["e5", { status: "failed", message: "module threw" }],
]);

describe("rankCells", () => {
  it("ranks by the metric, breaks ties by cell id, puts an undefined metric last, then failed and skipped cells", () => {
    const rows = rankCells(cells, outcomes, spec);
    expect(rows.map((row) => [row.rank, row.cellId, row.status])).toEqual([
      [1, "b2", "done"], [2, "c3", "done"], [3, "a1", "done"], [4, "d4", "done"], [null, "e5", "failed"], [null, "f6", "skipped"],
    ]);
  });

  it("ranks the smallest first under direction min", () => {
    const rows = rankCells(cells, outcomes, { ...spec, direction: "min" });
    expect(rows.slice(0, 4).map((row) => row.cellId)).toEqual(["a1", "b2", "c3", "d4"]);
  });

  it("gives the same rows whatever order the cells finished in", () => {
    const reversed = new Map([...outcomes].reverse());
    expect(rankCells([...cells].reverse(), reversed, spec)).toEqual(rankCells(cells, outcomes, spec));
  });
});

describe("rankCells with a minimum trade count", () => {
  it("lists a done cell with fewer trades than minTrades after the ranked ones, without a rank and saying why", () => {
    const few = new Map<string, CellOutcome>([...outcomes, ["c3", done(9, 8)], ["a1", done(0.5, 40)], ["b2", done(1.5, 30)]]);
    const rows = rankCells(cells, few, { ...spec, minTrades: 30 });
    expect(rows.map((row) => [row.rank, row.cellId, row.message])).toEqual([
      [1, "b2", null], [2, "a1", null], [null, "c3", "not ranked: 8 trades < min trades 30"], [null, "d4", "not ranked: 5 trades < min trades 30"],
      [null, "e5", "module threw"], [null, "f6", "sizing.leverage: too high, really"],
    ]);
  });
});

describe("formatSweepCsv", () => {
  it("writes one row per cell with full-precision numbers and quotes a field holding a comma", () => {
    const csv = formatSweepCsv(rankCells(cells, outcomes, spec), spec);
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("rank,cellId,status,sizing.leverage,sharpeRatio,totalReturnPct,maxDrawdownPct,winRatePct,profitFactor,tradeCount,expectancyReturnOnMarginPct,tradeFingerprint,message");
    expect(lines[1]).toBe(`1,b2,done,3,1.5,0.1,,,,5,,${"f".repeat(64)},`);
    expect(lines[6]).toBe(',f6,skipped,6,,,,,,,,,"sizing.leverage: too high, really"');
  });
});

describe("formatSweepTerminal", () => {
  it("shows the top rows and names what was left out", () => {
    const text = formatSweepTerminal(rankCells(cells, outcomes, spec), spec, 2);
    expect(text).toContain("6 cells — 4 done, 1 failed, 1 skipped");
    expect(text).toContain("… 2 more in sweep.csv");
    expect(text).toContain("failed e5 sizing.leverage=5: module threw");
  });
});

describe("formatSweepCsv and formula injection", () => {
  it("neutralises grid values and messages a spreadsheet would run as formulas, and leaves numbers alone", () => {
    const textSpec: SweepSpec = { ...spec, space: [["signals.params.label", { kind: "list", values: ["=HYPERLINK(\"x\")", "@SUM(A1)", -0.5] }]] };
    const row = (cellId: string, label: unknown): GridCell => ({ status: "ready", cellId, values: { "signals.params.label": label }, config });
    const rows = rankCells(
      [row("a1", "=HYPERLINK(\"x\")"), row("b2", "@SUM(A1)"), row("c3", -0.5)],
      new Map<string, CellOutcome>([["a1", done(-1)], ["b2", done(-2)], ["c3", { status: "failed", message: "+cmd|' /C calc'!A0" }]]),
      textSpec,
    );
    const lines = formatSweepCsv(rows, textSpec).trimEnd().split("\n");
    expect(lines[1]).toMatch(/^1,a1,done,"'=HYPERLINK\(""x""\)",-1,/);
    expect(lines[2]).toMatch(/^2,b2,done,'@SUM\(A1\),-2,/);
    expect(lines[3]).toMatch(/^,c3,failed,-0\.5,.*,'\+cmd\|' \/C calc'!A0$/);
  });
});

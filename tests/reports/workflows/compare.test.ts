import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/errors.js";
import {
  compareExitPlans,
  type ComparePlanRun,
} from "../../../reports/workflows/compare.js";
import { formatCompareCsv, formatCompareMarkdown, formatCompareTerminal } from "../../../reports/workflows/compareFormat.js";
import { makeFill } from "../fixtures.js";
import { makeStats, tradeWithReturn } from "./workflowFixtures.js";

const NOISE = [-0.03, -0.01, 0.01, 0.03];

/** 40 baseline trades with returns on margin around 0; a plan's trades add `edge` (± the same noise). */
function runOf(name: string, edge: number, extra: Partial<ComparePlanRun> = {}): ComparePlanRun {
  const trades = Array.from({ length: 40 }, (_, i) => tradeWithReturn(i, (i % 5) * 0.01 + edge + (edge === 0 ? 0 : NOISE[i % 4]), { id: i + 1 }));
  return { name, trades, stats: makeStats({ totalReturnPct: edge, tradeCount: trades.length }), ...extra };
}

describe("comparing exit plans on the same entries", () => {
  const result = compareExitPlans([runOf("static", 0), runOf("ai", 0.02), runOf("lsf", -0.02), runOf("math", 0)], { seed: 11 });

  it("takes the first plan as the baseline and compares every other plan with it", () => {
    expect(result.baseline).toBe("static");
    expect(result.differences.map((d) => d.plan)).toEqual(["ai", "lsf", "math"]);
  });

  it("finds the mean per-trade difference in return on margin and in net PnL", () => {
    const ai = result.differences[0];
    expect(ai.matchedPairs).toBe(40);
    expect(ai.returnOnMargin.meanDifference).toBeCloseTo(0.02, 12);
    expect(ai.netPnlUsd.meanDifference).toBeCloseTo(0.2, 10);
  });

  it("calls a plan better when its whole interval lies above zero, and worse below", () => {
    expect(result.differences[0].returnOnMargin.verdict).toBe("better");
    expect(result.differences[0].returnOnMargin.lower).toBeGreaterThan(0);
    expect(result.differences[1].returnOnMargin.verdict).toBe("worse");
    expect(result.differences[1].returnOnMargin.upper).toBeLessThan(0);
  });

  it("finds no clear difference between identical plans", () => {
    const same = result.differences[2].returnOnMargin;
    expect(same.meanDifference).toBe(0);
    expect(same.verdict).toBe("no clear difference");
  });

  it("withholds a verdict below the minimum number of matched trades", () => {
    const few = compareExitPlans([runOf("static", 0), runOf("ai", 0.02)], { seed: 11, minPairs: 41 });
    expect(few.differences[0].returnOnMargin.verdict).toBe("too few pairs");
  });

  it("counts the entries only one side took", () => {
    const base = runOf("static", 0);
    const plan = { ...runOf("ai", 0.02), trades: runOf("ai", 0.02).trades.slice(3) };
    const difference = compareExitPlans([base, plan], { seed: 1 }).differences[0];
    expect([difference.matchedPairs, difference.unmatchedBaseline, difference.unmatchedPlan]).toEqual([37, 3, 0]);
  });

  it("is deterministic: the same runs and seed give the same text", () => {
    const again = compareExitPlans([runOf("static", 0), runOf("ai", 0.02), runOf("lsf", -0.02), runOf("math", 0)], { seed: 11 });
    expect(formatCompareCsv(again)).toBe(formatCompareCsv(result));
  });

  it("lays the chosen metrics side by side, one column per plan", () => {
    const row = result.metrics.find((m) => m.field === "totalReturnPct")!;
    expect(row.values).toEqual([0, 0.02, -0.02, 0]);
  });

  it("refuses two runs of the same plan under the same intrabar mode", () => {
    expect(() => compareExitPlans([runOf("static", 0), runOf("static", 0)], { seed: 1 })).toThrow(ConfigError);
  });
});

describe("exit-reason mix of each plan", () => {
  it("shares the closed quantity among the reasons of all closing fills", () => {
    // Trade 1 closes 0.5 at TP1 and 0.5 on the trail; trade 2 closes 1 on its stop: 2 closed in all.
    const fills = [
      makeFill({ tradeId: 1, reason: "ENTRY", quantity: 1 }),
      makeFill({ tradeId: 1, reason: "TP1", quantity: 0.5 }),
      makeFill({ tradeId: 1, reason: "TRAIL", quantity: 0.5 }),
      makeFill({ tradeId: 2, reason: "ENTRY", quantity: 1 }),
      makeFill({ tradeId: 2, reason: "SL", quantity: 1 }),
    ];
    const result = compareExitPlans([{ ...runOf("ai", 0), fills }], { seed: 1 });
    expect(result.exitReasonMix[0].basis).toBe("fills");
    expect(result.exitReasonMix[0].shares).toEqual({ TP1: 0.25, SL: 0.5, TRAIL: 0.25 });
    expect(Object.keys(result.exitReasonMix[0].shares)).toEqual(["TP1", "SL", "TRAIL"]);
  });

  it("falls back to each trade's final reason when no fills are given", () => {
    const run = runOf("static", 0);
    const trades = run.trades.map((t, i) => ({ ...t, exitReason: i < 10 ? "SL" : "TP1" }));
    const mix = compareExitPlans([{ ...run, trades }], { seed: 1 }).exitReasonMix[0];
    expect(mix.basis).toBe("finalReason");
    expect(mix.shares).toEqual({ TP1: 0.75, SL: 0.25 });
  });
});

describe("path sensitivity across intrabar modes", () => {
  const runs: ComparePlanRun[] = [
    { ...runOf("static", 0), stats: makeStats({ totalReturnPct: 0.05, expectancyReturnOnMarginPct: 0.01 }) },
    { ...runOf("static", 0), intrabar: "pessimistic", stats: makeStats({ totalReturnPct: 0.02, expectancyReturnOnMarginPct: 0.004 }) },
    { ...runOf("static", 0), intrabar: "optimistic", stats: makeStats({ totalReturnPct: 0.07, expectancyReturnOnMarginPct: 0.012 }) },
    { ...runOf("ai", 0.02), intrabar: "pessimistic" },
  ];
  const result = compareExitPlans(runs, { seed: 1 });

  it("spans the total return and mean return of a plan over its modes", () => {
    expect(result.pathSensitivity).toEqual([
      { plan: "static", modes: ["default", "pessimistic", "optimistic"], totalReturnPct: { min: 0.02, max: 0.07 }, meanReturnOnMarginPct: { min: 0.004, max: 0.012 } },
    ]);
  });

  it("uses the default-mode run as the plan's main run", () => {
    expect(result.metrics.find((m) => m.field === "totalReturnPct")!.values[0]).toBe(0.05);
  });

  it("uses the only run of a plan given in one mode as its main run", () => {
    expect(result.plans).toEqual(["static", "ai"]);
    expect(result.differences[0].matchedPairs).toBe(40);
  });

  it("warns when the plans' main runs assumed different intrabar paths", () => {
    expect(result.warnings).toEqual([
      "the plans' main runs use different intrabar modes (static default, ai pessimistic): differences mix the exit plan with the path assumption",
    ]);
    expect(formatCompareTerminal(result)).toContain("warning: the plans' main runs use different intrabar modes");
  });

  it("shows the path-sensitivity intervals in the formatted output", () => {
    expect(formatCompareTerminal(result)).toMatch(/static\s+default, pessimistic, optimistic\s+\[2\.00 %, 7\.00 %\]\s+\[0\.40 %, 1\.20 %\]/);
    expect(formatCompareCsv(result)).toContain("path_sensitivity,static,total_return_pct.max,0.07\n");
  });
});

describe("compare formatters", () => {
  const result = compareExitPlans([runOf("static", 0), runOf("ai", 0.02)], { seed: 11 });

  it("aligns the terminal table's columns", () => {
    const text = formatCompareTerminal(result);
    const lines = text.split("\n");
    const header = lines.find((line) => line.startsWith("metric"))!;
    const totalReturn = lines.find((line) => line.startsWith("Total return"))!;
    expect(totalReturn.length).toBe(header.length);
    expect(text).toContain("better");
    expect(text).toContain("seed 11");
  });

  it("has no warnings when every plan ran in the same mode", () => {
    expect(result.warnings).toEqual([]);
  });

  it("writes Markdown tables under headings", () => {
    const text = formatCompareMarkdown(result);
    expect(text).toContain("### Return on margin, paired vs static");
    expect(text).toMatch(/\| metric \| static \| ai \|\n\|---\|---:\|---:\|/);
  });

  it("writes one value per CSV row with its section, plan and key", () => {
    const lines = formatCompareCsv(result).trimEnd().split("\n");
    expect(lines[0]).toBe("section,plan,key,value");
    expect(lines).toContain("metric,ai,totalReturnPct,0.02");
    expect(lines).toContain("difference,ai,matched_pairs,40");
    expect(lines).toContain("difference,ai,return_on_margin.verdict,better");
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/errors.js";
import type { RunStats } from "../../../reports/stats.js";
import {
  buildBaseline,
  compareToBaseline,
  statusOf,
  type MetricRule,
} from "../../../reports/workflows/regress.js";
import { formatRegressMarkdown, formatRegressTerminal } from "../../../reports/workflows/regressFormat.js";
import { tradeFingerprint } from "../../../reports/workflows/tradeFingerprint.js";
import { makeStats, tradeAt } from "./workflowFixtures.js";

const trades = [tradeAt(0, { id: 1 }), tradeAt(5, { id: 2, symbol: "ETHUSDT", side: -1, exitReason: "SL" })];
const stats = makeStats({ totalReturnPct: 0.1, sharpeRatio: 1.5, profitFactor: 2, tradeCount: 2, maxDrawdownPct: 0.05 });
const baseline = buildBaseline({ stats, trades });

function runWith(overrides: Partial<RunStats>) {
  return { stats: { ...stats, ...overrides }, trades };
}

describe("regress against a baseline", () => {
  it("passes an identical run with every metric ok", () => {
    const report = compareToBaseline({ stats, trades }, baseline);
    expect(report.passed).toBe(true);
    expect(report.rows.every((row) => row.status === "ok")).toBe(true);
    expect(report.fingerprint.status).toBe("ok");
  });

  it("flags a Sharpe ratio that fell by more than its tolerance as regressed, naming the metric", () => {
    const report = compareToBaseline(runWith({ sharpeRatio: 1.4 }), baseline, { baselineFile: "regress/baseline.json" });
    const row = report.rows.find((r) => r.metric === "sharpeRatio")!;
    expect(row.status).toBe("regressed");
    expect(row.delta).toBeCloseTo(-0.1, 12);
    expect(report.passed).toBe(false);
    expect(report.regressed).toBe(1);
    const text = formatRegressTerminal(report);
    expect(text).toMatch(/^exitlab regress against regress\/baseline\.json: FAIL \(1 regressed/);
    expect(text).toMatch(/sharpeRatio\s+1\.5\s+1\.4\s+-0\.1\s+±0\.01\s+higher\s+REGRESSED/);
  });

  it("counts a higher drawdown as a regression, since lower is better there", () => {
    expect(compareToBaseline(runWith({ maxDrawdownPct: 0.07 }), baseline).rows.find((r) => r.metric === "maxDrawdownPct")!.status).toBe("regressed");
  });

  it("reports a better metric as improved, which is not a failure", () => {
    const report = compareToBaseline(runWith({ sharpeRatio: 2, maxDrawdownPct: 0.01 }), baseline);
    expect(report.rows.filter((r) => r.status === "improved").map((r) => r.metric)).toEqual(["maxDrawdownPct", "sharpeRatio"]);
    expect(report.passed).toBe(true);
  });

  it("keeps a worse move within tolerance ok", () => {
    expect(compareToBaseline(runWith({ sharpeRatio: 1.495 }), baseline).passed).toBe(true);
  });

  it("reads an absolute tolerance in the metric's own units: 0.1 % of return", () => {
    const rule = { kind: "absolute", amount: 0.001 } as const;
    expect(statusOf(0.1, 0.0995, rule, "higher")).toBe("ok");
    expect(statusOf(0.1, 0.0985, rule, "higher")).toBe("regressed");
  });

  it("counts a move of exactly the tolerance as within it, despite float rounding", () => {
    expect(0.1 - 0.099).toBeGreaterThan(0.001);
    expect(statusOf(0.1, 0.099, { kind: "absolute", amount: 0.001 }, "higher")).toBe("ok");
  });

  it("reads a relative tolerance as a share of the baseline: 1 % of a profit factor of 2 is 0.02", () => {
    const rule = { kind: "relative", amount: 0.01 } as const;
    expect(statusOf(2, 1.985, rule, "higher")).toBe("ok");
    expect(statusOf(2, 1.97, rule, "higher")).toBe("regressed");
    expect(statusOf(200, 198.5, rule, "higher")).toBe("ok");
    expect(statusOf(0, 0.0001, rule, "higher")).toBe("improved");
  });

  it("calls any change of a metric whose direction is 'either' a change, and fails on it", () => {
    const report = compareToBaseline(runWith({ tradeCount: 3 }), baseline);
    expect(report.rows.find((r) => r.metric === "tradeCount")!.status).toBe("changed");
    expect(report.changed).toBe(1);
    expect(report.passed).toBe(false);
  });

  it("calls a metric that became undefined changed", () => {
    expect(statusOf(2, null, { kind: "relative", amount: 0.01 }, "higher")).toBe("changed");
    expect(statusOf(null, null, { kind: "relative", amount: 0.01 }, "higher")).toBe("ok");
  });

  it("detects changed trades even when every metric is the same", () => {
    const moved = [trades[0], { ...trades[1], exitPrice: trades[1].exitPrice * 1.0001 }];
    const report = compareToBaseline({ stats, trades: moved }, baseline);
    expect(report.rows.every((row) => row.status === "ok")).toBe(true);
    expect(report.fingerprint.status).toBe("changed");
    expect(report.failures).toBe(1);
    expect(formatRegressTerminal(report)).toContain("(CHANGED)");
  });

  it("reports but does not fail on changed trades when told to ignore the fingerprint", () => {
    const report = compareToBaseline({ stats, trades: trades.slice(1) }, baseline, { ignoreFingerprint: true });
    expect(report.fingerprint.status).toBe("ignored");
    expect(report.passed).toBe(true);
  });

  it("compares only the metrics the baseline holds, in its order", () => {
    const rules: Record<string, MetricRule> = {
      sharpeRatio: { tolerance: { kind: "absolute", amount: 0.01 }, better: "higher" },
      totalReturnPct: { tolerance: { kind: "absolute", amount: 0.001 }, better: "higher" },
    };
    const report = compareToBaseline({ stats, trades }, buildBaseline({ stats, trades }, rules));
    expect(report.rows.map((r) => r.metric)).toEqual(["sharpeRatio", "totalReturnPct"]);
  });

  it("refuses a baseline metric that is not a run metric, suggesting the closest one", () => {
    const bad = { ...baseline, metrics: { sharpRatio: baseline.metrics.sharpeRatio } };
    expect(() => compareToBaseline({ stats, trades }, bad, { baselineFile: "b.json" })).toThrow(ConfigError);
    try {
      compareToBaseline({ stats, trades }, bad, { baselineFile: "b.json" });
    } catch (error) {
      expect((error as ConfigError).oneLine()).toBe('b.json: metrics.sharpRatio names no numeric run metric (did you mean "sharpeRatio"?)');
    }
  });

  it("writes Markdown for a pull-request comment with the failing status in bold", () => {
    const text = formatRegressMarkdown(compareToBaseline(runWith({ sharpeRatio: 1 }), baseline));
    expect(text).toMatch(/^### ❌ exitlab regress: FAIL/);
    expect(text).toContain("| sharpeRatio | 1.5 | 1 | -0.5 | ±0.01 | higher | **REGRESSED** |");
    expect(text).toContain(`fingerprint \`${tradeFingerprint(trades).slice(0, 12)}\` unchanged`);
  });
});

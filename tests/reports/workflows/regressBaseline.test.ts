import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../engine/errors.js";
import {
  BASELINE_FORMAT,
  buildBaseline,
  DEFAULT_METRIC_RULES,
  formatBaselineJson,
  parseBaseline,
  rulesOf,
} from "../../../reports/workflows/regressBaseline.js";
import { makeStats, tradeAt } from "./workflowFixtures.js";

const current = { stats: makeStats({ sharpeRatio: 1.25, profitFactor: null }), trades: [tradeAt(0), tradeAt(2, { id: 2 })] };
const baseline = buildBaseline(current);
const text = formatBaselineJson(baseline);

/** The ConfigError's one-line message for a baseline text, or null if it parses. */
function errorOf(source: string): string | null {
  try {
    parseBaseline(source, "ci/baseline.json");
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).oneLine();
  }
}

/** The baseline text with one change applied to its parsed form. */
function edited(edit: (raw: any) => void): string {
  const raw = JSON.parse(text);
  edit(raw);
  return JSON.stringify(raw);
}

describe("the regress baseline file", () => {
  it("holds every default rule with the run's value, its fingerprint and trade count", () => {
    expect(baseline.format).toBe(BASELINE_FORMAT);
    expect(baseline.version).toBe(1);
    expect(Object.keys(baseline.metrics)).toEqual(Object.keys(DEFAULT_METRIC_RULES));
    expect(baseline.metrics.sharpeRatio).toEqual({ value: 1.25, tolerance: { kind: "absolute", amount: 0.01 }, better: "higher" });
    expect(baseline.metrics.profitFactor.value).toBeNull();
    expect(baseline.tradeCount).toBe(2);
  });

  it("is written byte-identically for the same run", () => {
    expect(formatBaselineJson(buildBaseline(current))).toBe(text);
    expect(text.startsWith('{\n  "format": "exitlab/regress-baseline",\n  "version": 1,\n  "metrics": {')).toBe(true);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("reads back what it writes", () => {
    expect(parseBaseline(text, "ci/baseline.json")).toEqual(baseline);
  });

  it("keeps a user's edited tolerances when rebuilt from the old baseline's rules", () => {
    const loosened = parseBaseline(edited((raw) => (raw.metrics.sharpeRatio.tolerance.amount = 0.5)), "b.json");
    expect(buildBaseline(current, rulesOf(loosened)).metrics.sharpeRatio.tolerance.amount).toBe(0.5);
  });

  it("names the file when it is not JSON", () => {
    expect(errorOf("{ nope")).toMatch(/^ci\/baseline\.json: is not valid JSON/);
  });

  it("names the file and the key of a bad tolerance kind", () => {
    expect(errorOf(edited((raw) => (raw.metrics.sharpeRatio.tolerance.kind = "abs"))))
      .toBe('ci/baseline.json: metrics.sharpeRatio.tolerance.kind must be "absolute" or "relative", got "abs"');
  });

  it("refuses a negative tolerance, a bad direction and a non-numeric value", () => {
    expect(errorOf(edited((raw) => (raw.metrics.sharpeRatio.tolerance.amount = -1)))).toContain("metrics.sharpeRatio.tolerance.amount");
    expect(errorOf(edited((raw) => (raw.metrics.sharpeRatio.better = "up")))).toContain("metrics.sharpeRatio.better");
    expect(errorOf(edited((raw) => (raw.metrics.sharpeRatio.value = "1.2")))).toContain("metrics.sharpeRatio.value");
  });

  it("refuses an unknown key with a suggestion", () => {
    expect(errorOf(edited((raw) => (raw.tradeFingerprnt = "x")))).toBe(
      'ci/baseline.json: tradeFingerprnt is not a baseline key (did you mean "tradeFingerprint"?)',
    );
  });

  it("refuses a missing key, another format and another version", () => {
    expect(errorOf(edited((raw) => delete raw.tradeCount))).toBe("ci/baseline.json: tradeCount is missing");
    expect(errorOf(edited((raw) => (raw.format = "other")))).toContain("format must be");
    expect(errorOf(edited((raw) => (raw.version = 2)))).toContain("version 2 is not supported");
  });

  it("refuses a fingerprint that is not a sha256", () => {
    expect(errorOf(edited((raw) => (raw.tradeFingerprint = "abc")))).toContain("tradeFingerprint must be 64");
  });

  it("refuses a rule for something that is not a numeric run metric", () => {
    const rules = { exitReasonCounts: { tolerance: { kind: "absolute" as const, amount: 0 }, better: "either" as const } };
    expect(() => buildBaseline(current, rules)).toThrow(/exitReasonCounts/);
  });
});

/**
 * The regress baseline file (SPEC §8 regress): a committed JSON file holding each watched
 * metric's value with its tolerance and good direction, plus the trade fingerprint.
 *
 *   { "format": "exitlab/regress-baseline", "version": 1,
 *     "metrics": { "<RunStats field>": { "value": 0.12 | null,
 *                  "tolerance": { "kind": "absolute" | "relative", "amount": 0.001 },
 *                  "better": "higher" | "lower" | "either" } },
 *     "tradeFingerprint": "<64 hex>", "tradeCount": 85 }
 *
 * Tolerance: `absolute` allows |current − baseline| ≤ amount; `relative` allows
 * |current − baseline| ≤ amount × |baseline| (so a baseline of 0 allows no change).
 * Unknown keys are errors (STYLE §8), with "did you mean".
 */
import { ConfigError } from "../../engine/errors.js";
import type { RunStats } from "../stats.js";
import { stableStringify } from "../summary.js";
import type { Trade } from "../../engine/types.js";
import { numericStatNames, numericStatOf, suggestName, type NumericStatField } from "./statFields.js";
import { tradeFingerprint } from "./tradeFingerprint.js";
import type { DataIdentity, RunIdentity } from "./regressIdentity.js";

export const BASELINE_FORMAT = "exitlab/regress-baseline";
export const BASELINE_VERSION = 1;

export interface Tolerance {
  readonly kind: "absolute" | "relative";
  /** ≥ 0; for `relative` a fraction of |baseline| (0.01 = 1 %). */
  readonly amount: number;
}

export type BetterDirection = "higher" | "lower" | "either";

export interface MetricRule {
  readonly tolerance: Tolerance;
  readonly better: BetterDirection;
}

export interface BaselineMetric extends MetricRule {
  /** The metric's value in the baseline run; null when it was undefined (e.g. no losing trade). */
  readonly value: number | null;
}

export interface RegressBaseline {
  readonly format: typeof BASELINE_FORMAT;
  readonly version: typeof BASELINE_VERSION;
  /** Metric name (a numeric RunStats field) → rule and value; compared in this order. */
  readonly metrics: Readonly<Record<string, BaselineMetric>>;
  readonly tradeFingerprint: string;
  readonly tradeCount: number;
  /** The config and data the baseline was computed from; absent in baselines written before exitlab stored them. */
  readonly identity?: RunIdentity;
}

/** What a run offers to the regress workflow. */
export interface RegressInput {
  readonly stats: RunStats;
  readonly trades: readonly Trade[];
}

const abs = (amount: number): Tolerance => ({ kind: "absolute", amount });
const rel = (amount: number): Tolerance => ({ kind: "relative", amount });

/**
 * Watched metrics by default. Absolute tolerances for fractions and ratios that live near 0
 * (a relative tolerance of a value near 0 is no tolerance), relative ones for money and
 * unbounded ratios; counts exact. Fractions are plain ratios: 0.001 = 0.1 percentage point.
 */
export const DEFAULT_METRIC_RULES: Readonly<Partial<Record<NumericStatField, MetricRule>>> = {
  totalReturnPct: { tolerance: abs(0.001), better: "higher" },
  annualizedReturnPct: { tolerance: abs(0.005), better: "higher" },
  maxDrawdownPct: { tolerance: abs(0.001), better: "lower" },
  sharpeRatio: { tolerance: abs(0.01), better: "higher" },
  sortinoRatio: { tolerance: abs(0.01), better: "higher" },
  winRatePct: { tolerance: abs(0.005), better: "higher" },
  profitFactor: { tolerance: rel(0.01), better: "higher" },
  expectancyReturnOnMarginPct: { tolerance: abs(0.0005), better: "higher" },
  averageR: { tolerance: abs(0.01), better: "higher" },
  tradeCount: { tolerance: abs(0), better: "either" },
  feesPaidUsd: { tolerance: rel(0.01), better: "lower" },
  liquidationCount: { tolerance: abs(0), better: "lower" },
};

/** The baseline of a run under `rules` (for `regress --update`). Throws on a rule naming no numeric metric. */
export function buildBaseline(
  current: RegressInput, rules: Readonly<Record<string, MetricRule>> = DEFAULT_METRIC_RULES as Record<string, MetricRule>, identity?: RunIdentity,
): RegressBaseline {
  const metrics: Record<string, BaselineMetric> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const value = numericStatOf(current.stats, name);
    if (value === undefined) {
      throw new ConfigError(`regress rule "${name}" names no numeric run metric`, "regress.metrics", suggestName(name, numericStatNames(current.stats)));
    }
    metrics[name] = {
      value,
      tolerance: { kind: rule.tolerance.kind, amount: rule.tolerance.amount },
      better: rule.better,
    };
  }
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    metrics,
    tradeFingerprint: tradeFingerprint(current.trades),
    tradeCount: current.trades.length,
    ...(identity === undefined ? {} : { identity }),
  };
}

/** The rules of an existing baseline, so `--update` keeps tolerances a user edited. */
export function rulesOf(baseline: RegressBaseline): Record<string, MetricRule> {
  const rules: Record<string, MetricRule> = {};
  for (const [name, metric] of Object.entries(baseline.metrics)) rules[name] = { tolerance: metric.tolerance, better: metric.better };
  return rules;
}

/** The file text: fixed key order, 2-space indent, final newline (byte-identical for the same baseline). */
export function formatBaselineJson(baseline: RegressBaseline): string {
  const metrics: Record<string, BaselineMetric> = {};
  for (const [name, m] of Object.entries(baseline.metrics)) {
    metrics[name] = { value: m.value, tolerance: { kind: m.tolerance.kind, amount: m.tolerance.amount }, better: m.better };
  }
  return stableStringify({
    format: baseline.format,
    version: baseline.version,
    metrics,
    tradeFingerprint: baseline.tradeFingerprint,
    tradeCount: baseline.tradeCount,
    ...(baseline.identity === undefined ? {} : { config: baseline.identity.config, data: baseline.identity.data }),
  });
}

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads and validates a baseline file's text; every problem is a ConfigError naming the file and the key. */
export function parseBaseline(text: string, fileName: string): RegressBaseline {
  const fail = (key: string, problem: string, hint: string | null = null): never => {
    throw new ConfigError(`${key} ${problem}`, fileName, hint);
  };
  const checkKeys = (object: Raw, path: string, allowed: readonly string[], optional: readonly string[] = []): void => {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key) && !optional.includes(key)) fail(`${path}${key}`, "is not a baseline key", suggestName(key, [...allowed, ...optional]));
    }
    for (const key of allowed) if (!(key in object)) fail(`${path}${key}`, "is missing");
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`is not valid JSON: ${(error as Error).message}`, fileName, "rewrite it with `exitlab regress --update`");
  }
  if (!isObject(raw)) return fail("the file", "must hold a JSON object");
  checkKeys(raw, "", ["format", "version", "metrics", "tradeFingerprint", "tradeCount"], ["config", "data"]);
  if (("config" in raw) !== ("data" in raw)) fail("config", "and data come together (the run's config and its data fingerprint)", "rewrite with --update");
  if ("config" in raw && !isObject(raw.config)) fail("config", "must be the run's config object");
  const dataOk = (value: unknown): boolean => Array.isArray(value) && value.every((source) =>
    isObject(source) && typeof source.symbol === "string" && typeof source.kind === "string" && typeof source.sha256 === "string");
  if ("data" in raw && !dataOk(raw.data)) fail("data", "must be a list of { symbol, kind, sha256 }");
  if (raw.format !== BASELINE_FORMAT) fail("format", `must be "${BASELINE_FORMAT}", got ${JSON.stringify(raw.format)}`);
  if (raw.version !== BASELINE_VERSION) {
    fail("version", `${JSON.stringify(raw.version)} is not supported`, `this exitlab reads version ${BASELINE_VERSION}; rewrite with --update`);
  }
  if (typeof raw.tradeFingerprint !== "string" || !/^[0-9a-f]{64}$/.test(raw.tradeFingerprint)) {
    fail("tradeFingerprint", "must be 64 lower-case hex characters (a sha256)");
  }
  if (!Number.isSafeInteger(raw.tradeCount) || (raw.tradeCount as number) < 0) fail("tradeCount", "must be a non-negative integer");
  if (!isObject(raw.metrics)) return fail("metrics", "must be an object of metric name → { value, tolerance, better }");
  const metrics: Record<string, BaselineMetric> = {};
  for (const [name, entry] of Object.entries(raw.metrics)) {
    const path = `metrics.${name}`;
    if (!isObject(entry)) return fail(path, "must be an object { value, tolerance, better }");
    checkKeys(entry, `${path}.`, ["value", "tolerance", "better"]);
    const value = entry.value;
    if (value !== null && (typeof value !== "number" || !Number.isFinite(value))) fail(`${path}.value`, "must be a finite number or null");
    const tolerance = entry.tolerance;
    if (!isObject(tolerance)) return fail(`${path}.tolerance`, 'must be { "kind": "absolute" | "relative", "amount": number }');
    checkKeys(tolerance, `${path}.tolerance.`, ["kind", "amount"]);
    if (tolerance.kind !== "absolute" && tolerance.kind !== "relative") {
      fail(`${path}.tolerance.kind`, `must be "absolute" or "relative", got ${JSON.stringify(tolerance.kind)}`);
    }
    if (typeof tolerance.amount !== "number" || !(tolerance.amount >= 0) || !Number.isFinite(tolerance.amount)) {
      fail(`${path}.tolerance.amount`, `must be a finite number ≥ 0, got ${JSON.stringify(tolerance.amount)}`);
    }
    if (entry.better !== "higher" && entry.better !== "lower" && entry.better !== "either") {
      fail(`${path}.better`, `must be "higher", "lower" or "either", got ${JSON.stringify(entry.better)}`);
    }
    metrics[name] = {
      value: value as number | null,
      tolerance: { kind: tolerance.kind as Tolerance["kind"], amount: tolerance.amount as number },
      better: entry.better as BetterDirection,
    };
  }
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    metrics,
    tradeFingerprint: raw.tradeFingerprint as string,
    tradeCount: raw.tradeCount as number,
    ...("config" in raw ? { identity: { config: raw.config, data: raw.data as DataIdentity[] } } : {}),
  };
}

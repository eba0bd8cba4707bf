/**
 * The `regress` workflow (SPEC §8): did my last change make the strategy's metrics worse?
 * Compares a run with a committed baseline (`regressBaseline.ts`). Pure: plain data in and out;
 * reading and writing the file and the exit code belong to the CLI.
 *
 * Status of a metric, with delta = current − baseline and allowed = the tolerance (absolute, or
 * relative × |baseline|):
 * - `ok`: |delta| ≤ allowed, up to float rounding (both null is ok too);
 * - `improved`: beyond tolerance in the better direction — not a failure;
 * - `regressed`: beyond tolerance in the worse direction — a failure;
 * - `changed`: beyond tolerance for a metric whose `better` is `either` (e.g. the trade count:
 *   any change means the strategy behaves differently, and someone must look), or a value that
 *   went from a number to null or back (nothing to compare) — a failure as well, because an
 *   unexplained change is what a regression gate is for; `--update` accepts it.
 * A different trade fingerprint is a failure unless `ignoreFingerprint` is set (then reported
 * as `ignored`): identical metrics from different trades are a coincidence, not a pass.
 */
import { ConfigError } from "../../engine/errors.js";
import {
  type BetterDirection,
  type RegressBaseline,
  type RegressInput,
  type Tolerance,
} from "./regressBaseline.js";
import { numericStatNames, numericStatOf, suggestName } from "./statFields.js";
import { tradeFingerprint } from "./tradeFingerprint.js";

export * from "./regressBaseline.js";
export { tradeFingerprint, TRADE_FINGERPRINT_VERSION } from "./tradeFingerprint.js";

export type MetricStatus = "ok" | "improved" | "regressed" | "changed";

export interface RegressRow {
  readonly metric: string;
  readonly baseline: number | null;
  readonly current: number | null;
  /** current − baseline; null when either is null. */
  readonly delta: number | null;
  readonly tolerance: Tolerance;
  /** The largest |delta| within tolerance. */
  readonly allowedDelta: number;
  readonly better: BetterDirection;
  readonly status: MetricStatus;
}

export interface FingerprintCheck {
  readonly baseline: string;
  readonly current: string;
  readonly baselineTradeCount: number;
  readonly currentTradeCount: number;
  /** `ok`: same hash; `changed`: differs (a failure); `ignored`: differs, but ignoreFingerprint was set. */
  readonly status: "ok" | "changed" | "ignored";
}

export interface RegressOptions {
  /** Do not fail on a changed trade fingerprint (still reported). Default false. */
  readonly ignoreFingerprint?: boolean;
  /** The baseline's file name, for messages and reports. */
  readonly baselineFile?: string;
}

export interface RegressReport {
  readonly baselineFile: string | null;
  /** One row per baseline metric, in the baseline's order. */
  readonly rows: readonly RegressRow[];
  readonly fingerprint: FingerprintCheck;
  readonly regressed: number;
  readonly changed: number;
  readonly improved: number;
  /** regressed + changed + (1 if the fingerprint check is `changed`). */
  readonly failures: number;
  /** No failures: the CLI exits 0. */
  readonly passed: boolean;
}

/** The largest |delta| a tolerance allows around `baseline`. */
export function allowedDeltaOf(tolerance: Tolerance, baseline: number | null): number {
  if (tolerance.kind === "absolute") return tolerance.amount;
  return baseline === null ? 0 : tolerance.amount * Math.abs(baseline);
}

/** The status of one metric (see the file comment). */
export function statusOf(baseline: number | null, current: number | null, tolerance: Tolerance, better: BetterDirection): MetricStatus {
  if (baseline === null || current === null) return baseline === current ? "ok" : "changed";
  const delta = current - baseline;
  // Slack of 1e-12 of the values' scale, so a move of exactly the tolerance (0.1 → 0.099 at
  // ±0.001, whose float difference is 0.0010000000000000009) counts as within it.
  const slack = 1e-12 * Math.max(1, Math.abs(baseline), Math.abs(current));
  if (Math.abs(delta) <= allowedDeltaOf(tolerance, baseline) + slack) return "ok";
  if (better === "either") return "changed";
  return (better === "higher") === delta > 0 ? "improved" : "regressed";
}

/** Compares the current run with the baseline, metric by metric, and its trades by fingerprint. */
export function compareToBaseline(current: RegressInput, baseline: RegressBaseline, options: RegressOptions = {}): RegressReport {
  const rows: RegressRow[] = [];
  for (const [metric, rule] of Object.entries(baseline.metrics)) {
    const value = numericStatOf(current.stats, metric);
    if (value === undefined) {
      const where = options.baselineFile ?? "regress baseline";
      throw new ConfigError(`metrics.${metric} names no numeric run metric`, where, suggestName(metric, numericStatNames(current.stats)));
    }
    rows.push({
      metric,
      baseline: rule.value,
      current: value,
      delta: rule.value === null || value === null ? null : value - rule.value,
      tolerance: rule.tolerance,
      allowedDelta: allowedDeltaOf(rule.tolerance, rule.value),
      better: rule.better,
      status: statusOf(rule.value, value, rule.tolerance, rule.better),
    });
  }
  const currentFingerprint = tradeFingerprint(current.trades);
  const fingerprintStatus =
    currentFingerprint === baseline.tradeFingerprint ? "ok" : options.ignoreFingerprint === true ? "ignored" : "changed";
  const count = (status: MetricStatus): number => rows.filter((row) => row.status === status).length;
  const regressed = count("regressed");
  const changed = count("changed");
  const failures = regressed + changed + (fingerprintStatus === "changed" ? 1 : 0);
  return {
    baselineFile: options.baselineFile ?? null,
    rows,
    fingerprint: {
      baseline: baseline.tradeFingerprint,
      current: currentFingerprint,
      baselineTradeCount: baseline.tradeCount,
      currentTradeCount: current.trades.length,
      status: fingerprintStatus,
    },
    regressed,
    changed,
    improved: count("improved"),
    failures,
    passed: failures === 0,
  };
}

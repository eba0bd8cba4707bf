import { existsSync } from "node:fs";
import { ConfigError } from "../engine/index.js";
import {
  buildBaseline, compareToBaseline, parseBaseline, rulesOf, type RegressBaseline, type RegressReport,
} from "../reports/workflows/regress.js";
import { formatBaselineJson } from "../reports/workflows/regressBaseline.js";
import { identityDifferences, runIdentityOf, type RunIdentity } from "../reports/workflows/regressIdentity.js";
import { executeRun, type CompletedRun, type PreparedRun } from "./backtest.js";
import { INPUT_FILE_LIMITS, readInputFile } from "./readInputFile.js";

/**
 * Regress: one backtest compared with a baseline (metrics with tolerances and a trade
 * fingerprint). A baseline records its run's config and data fingerprint; when this run's
 * differ, its metrics are not comparable and no report is made unless `checkAnyway`.
 */

export interface RegressOutcome {
  readonly run: CompletedRun;
  /** null when the config or data differs from the baseline's and `checkAnyway` is off. */
  readonly report: RegressReport | null;
  /** How this run's config and data differ from the baseline's; null when the baseline records none (older exitlab). */
  readonly differences: readonly string[] | null;
}

/** Reads and checks a baseline file (a ConfigError naming the file when it is missing or invalid). */
export function readBaseline(file: string): RegressBaseline {
  if (!existsSync(file)) throw new ConfigError("the baseline file does not exist", file, "create it with --update");
  return parseBaseline(readInputFile(file, { what: "the baseline", maxBytes: INPUT_FILE_LIMITS.baseline }), file);
}

/** The run's identity as a baseline records it: its config and data fingerprint. */
export function identityOf(run: CompletedRun, prepared: Pick<PreparedRun, "data">): RunIdentity {
  return runIdentityOf(run.config as unknown as Record<string, unknown>, prepared.data.fingerprint);
}

export interface RegressSettings {
  readonly ignoreFingerprint?: boolean;
  readonly checkAnyway?: boolean;
  readonly baselineFile?: string;
}

/** Compares a finished run with a baseline. */
export function regressRun(run: CompletedRun, prepared: Pick<PreparedRun, "data">, baseline: RegressBaseline, settings: RegressSettings = {}): RegressOutcome {
  const differences = baseline.identity === undefined ? null : identityDifferences(baseline.identity, identityOf(run, prepared));
  if (differences !== null && differences.length > 0 && settings.checkAnyway !== true) return { run, report: null, differences };
  const report = compareToBaseline({ stats: run.stats, trades: run.result.trades }, baseline, {
    ignoreFingerprint: settings.ignoreFingerprint === true, ...(settings.baselineFile === undefined ? {} : { baselineFile: settings.baselineFile }),
  });
  return { run, report, differences };
}

/** Backtests, then compares with the baseline. */
export function runRegress(prepared: PreparedRun, baseline: RegressBaseline, settings: RegressSettings = {}): RegressOutcome {
  return regressRun(executeRun(prepared), prepared, baseline, settings);
}

/** A baseline's JSON from a run, with its identity; an earlier baseline's tolerances are kept. */
export function baselineJsonOf(run: CompletedRun, prepared: Pick<PreparedRun, "data">, previous: RegressBaseline | null): string {
  const current = { stats: run.stats, trades: run.result.trades };
  return formatBaselineJson(buildBaseline(current, previous === null ? undefined : rulesOf(previous), identityOf(run, prepared)));
}

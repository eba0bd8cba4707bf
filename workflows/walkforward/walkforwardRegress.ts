import { compareToBaseline, buildBaseline, rulesOf, type RegressBaseline, type RegressReport } from "../../reports/workflows/regress.js";
import { formatBaselineJson } from "../../reports/workflows/regressBaseline.js";
import { identityDifferences } from "../../reports/workflows/regressIdentity.js";
import type { WalkforwardOutcome } from "./walkforward.js";

/**
 * A walk-forward as a regression gate (`exitlab walkforward --baseline f.json [--update]`): the
 * stitched out-of-sample run's metrics and trade fingerprint against a baseline in the format of
 * `exitlab regress`. The identity recorded is the base config plus the walk-forward's settings
 * and search space, and the data's fingerprint, so a baseline of another grid or window layout
 * reports CONFIG DIFFERS instead of comparing metrics.
 */

export function walkforwardBaselineJson(outcome: WalkforwardOutcome, previous: RegressBaseline | null): string {
  const current = { stats: outcome.stitched.stats, trades: outcome.stitched.result.trades };
  return formatBaselineJson(buildBaseline(current, previous === null ? undefined : rulesOf(previous), outcome.identity));
}

export function regressWalkforward(
  outcome: WalkforwardOutcome, baseline: RegressBaseline, settings: { readonly ignoreFingerprint?: boolean; readonly checkAnyway?: boolean; readonly baselineFile?: string } = {},
): { readonly report: RegressReport | null; readonly differences: readonly string[] | null } {
  const differences = baseline.identity === undefined ? null : identityDifferences(baseline.identity, outcome.identity);
  if (differences !== null && differences.length > 0 && settings.checkAnyway !== true) return { report: null, differences };
  const report = compareToBaseline({ stats: outcome.stitched.stats, trades: outcome.stitched.result.trades }, baseline, {
    ignoreFingerprint: settings.ignoreFingerprint === true, ...(settings.baselineFile === undefined ? {} : { baselineFile: settings.baselineFile }),
  });
  return { report, differences };
}

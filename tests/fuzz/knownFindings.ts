/**
 * Product bugs the fuzzer has found that are still open. A failing case whose every violation
 * one of these explains is counted and printed, not failed, so CI stays green while the bug is
 * open. Each has a minimal reproduction in regressions.test.ts (`it.fails`), which starts
 * failing the day the bug is fixed: then turn that test into `it` and delete the entry here.
 *
 * The matchers are narrow on purpose: they look at the case's own output (summary.json) or
 * files, so a new bug with a similar symptom is still reported.
 *
 * Found and since fixed (regression tests in regressions.test.ts): F1/F1b zero fill price,
 * F2 unknown key in a predictions section, F3 deeply nested config, F4 arguments after `--`,
 * F5a–f raw input echoed into the one-line error, F6/F7 odd values from strategy modules,
 * F8 fee rates up to 100 %, F9 funding rates unbounded, F10 funding beyond the isolated margin,
 * F11 failing Q-table save, F12 DEL escaping, F13 a zeroed cache entry hanging the Arrow parse.
 */

import type { FuzzCase } from "./cases.js";

export interface KnownFinding {
  readonly id: string;
  readonly title: string;
  /** True when this finding explains `violation` in case `c` (run just now; its output folder is still there). */
  readonly explains: (violation: string, c: FuzzCase) => boolean;
}

export const KNOWN_FINDINGS: readonly KnownFinding[] = [];

/** The known finding that explains a violation, or null. */
export function explainedBy(violation: string, c: FuzzCase): KnownFinding | null {
  return KNOWN_FINDINGS.find((finding) => finding.explains(violation, c)) ?? null;
}

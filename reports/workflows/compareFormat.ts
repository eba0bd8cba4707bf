/**
 * Formatters of a `CompareResult`: aligned terminal text, Markdown and a long-format CSV.
 * Formatting only (STYLE §10); the same result gives byte-identical text.
 */
import { formatCsvField } from "../csv.js";
import type { CompareMetricRow, CompareResult, DifferenceSummary, MetricUnit, PlanDifference } from "./compare.js";
import {
  displayNumber,
  displayPercent,
  displaySignedNumber,
  displaySignedPercent,
  formatAlignedTable,
  formatMarkdownTable,
  MISSING,
  type Align,
  type TextTable,
} from "./textTable.js";

function displayMetric(value: number | null, unit: MetricUnit): string {
  switch (unit) {
    case "percent":
      return displayPercent(value);
    case "count":
      return displayNumber(value, 0);
    case "bars":
      return displayNumber(value, 1);
    default:
      return displayNumber(value, 2);
  }
}

function metricsTable(result: CompareResult): TextTable {
  return {
    header: ["metric", ...result.plans],
    rows: result.metrics.map((row: CompareMetricRow) => [row.label, ...row.values.map((v) => displayMetric(v, row.unit))]),
    align: ["left", ...result.plans.map((): Align => "right")],
  };
}

function differenceTable(result: CompareResult, measure: "returnOnMargin" | "netPnlUsd"): TextTable {
  const confidence = `${displayNumber(result.settings.confidence * 100, 0)} % CI`;
  const show = measure === "returnOnMargin" ? displaySignedPercent : displaySignedNumber;
  return {
    header: ["plan", "pairs", `only ${result.baseline}`, "only plan", "mean Δ", `${confidence} low`, `${confidence} high`, "share Δ>0", "verdict"],
    rows: result.differences.map((difference: PlanDifference) => {
      const summary: DifferenceSummary = difference[measure];
      return [
        difference.plan,
        String(difference.matchedPairs),
        String(difference.unmatchedBaseline),
        String(difference.unmatchedPlan),
        show(summary.meanDifference),
        show(summary.lower),
        show(summary.upper),
        displayPercent(summary.shareAboveZero, 1),
        summary.verdict,
      ];
    }),
    align: ["left", "right", "right", "right", "right", "right", "right", "right", "left"],
  };
}

function exitReasonTable(result: CompareResult): TextTable {
  return {
    header: ["reason (share of closed quantity)", ...result.plans],
    rows: result.exitReasons.map((reason) => [
      reason,
      ...result.exitReasonMix.map((mix) => (reason in mix.shares ? displayPercent(mix.shares[reason], 1) : MISSING)),
    ]),
    align: ["left", ...result.plans.map((): Align => "right")],
  };
}

function rangeText(range: { min: number; max: number } | null): string {
  return range === null ? MISSING : `[${displayPercent(range.min)}, ${displayPercent(range.max)}]`;
}

function pathTable(result: CompareResult): TextTable {
  return {
    header: ["plan", "intrabar modes", "total return [min, max]", "mean return on margin [min, max]"],
    rows: result.pathSensitivity.map((row) => [row.plan, row.modes.join(", "), rangeText(row.totalReturnPct), rangeText(row.meanReturnOnMarginPct)]),
  };
}

export function settingsLine(result: CompareResult): string {
  const { seed, resamples, confidence, minPairs } = result.settings;
  return (
    `baseline ${result.baseline}; bootstrap: ${resamples} resamples, ${displayNumber(confidence * 100, 0)} % percentile interval, ` +
    `seed ${seed}; a verdict needs ${minPairs} matched trades`
  );
}

function reasonBasisNote(result: CompareResult): string | null {
  const approximate = result.exitReasonMix.filter((mix) => mix.basis === "finalReason").map((mix) => mix.plan);
  return approximate.length === 0 ? null : `(no fills given for ${approximate.join(", ")}: each trade's quantity is counted under its final reason)`;
}

/** One titled table of a workflow's result: the terminal, Markdown and report.html all render these. */
export interface Section {
  readonly title: string;
  readonly table: TextTable;
  readonly note?: string | null;
}

/** The compare result's tables, in the terminal's order (report.html shows the same ones). */
export function compareSections(result: CompareResult): Section[] {
  return sectionsOf(result);
}

function sectionsOf(result: CompareResult): Section[] {
  const sections: Section[] = [{ title: "Metrics", table: metricsTable(result) }];
  if (result.differences.length > 0) {
    const note = "Δ = plan − baseline per trade with the same entry; verdict from the bootstrap interval of the mean Δ";
    sections.push({ title: `Return on margin, paired vs ${result.baseline}`, table: differenceTable(result, "returnOnMargin"), note });
    sections.push({ title: `Net PnL (USD), paired vs ${result.baseline}`, table: differenceTable(result, "netPnlUsd") });
  }
  sections.push({ title: "Exit reasons", table: exitReasonTable(result), note: reasonBasisNote(result) });
  if (result.pathSensitivity.length > 0) {
    const note = "alternative intrabar assumptions (SPEC §6.2), not guaranteed bounds";
    sections.push({ title: "Path sensitivity", table: pathTable(result), note });
  }
  return sections;
}

/** Aligned plain text for the terminal, ending in a newline. */
export function formatCompareTerminal(result: CompareResult): string {
  const parts = [`exitlab compare: ${result.plans.join(" vs ")}`, settingsLine(result), ...result.warnings.map((w) => `warning: ${w}`)];
  for (const section of sectionsOf(result)) {
    parts.push("", section.title, formatAlignedTable(section.table));
    if (section.note) parts.push(section.note);
  }
  return parts.join("\n") + "\n";
}

/** Markdown (headings, tables, notes in italics), ending in a newline. */
export function formatCompareMarkdown(result: CompareResult): string {
  const parts = [`## exitlab compare: ${result.plans.join(" vs ")}`, "", settingsLine(result)];
  for (const warning of result.warnings) parts.push("", `> **Warning:** ${warning}`);
  for (const section of sectionsOf(result)) {
    parts.push("", `### ${section.title}`, "", formatMarkdownTable(section.table));
    if (section.note) parts.push("", `_${section.note}_`);
  }
  return parts.join("\n") + "\n";
}

export const COMPARE_CSV_COLUMNS = ["section", "plan", "key", "value"] as const;

/**
 * Long-format CSV (`section,plan,key,value`), one value per row, so every part of the result
 * fits one rectangular file: `settings`, `warning`, `metric` (key = RunStats field),
 * `difference` (key = `matched_pairs`, `return_on_margin.mean` …), `exit_reason_basis`,
 * `exit_reason` (key = reason, value = share of closed quantity) and `path_sensitivity`.
 * Fractions stay fractions; an empty value is null.
 */
export function formatCompareCsv(result: CompareResult): string {
  const rows: (string | number | null)[][] = [];
  const { seed, resamples, confidence, minPairs } = result.settings;
  rows.push(["settings", "", "baseline", result.baseline], ["settings", "", "seed", seed], ["settings", "", "resamples", resamples]);
  rows.push(["settings", "", "confidence", confidence], ["settings", "", "min_pairs", minPairs]);
  for (const warning of result.warnings) rows.push(["warning", "", "message", warning]);
  for (const metric of result.metrics) {
    metric.values.forEach((value, index) => rows.push(["metric", result.plans[index], metric.field, value]));
  }
  for (const difference of result.differences) {
    const plan = difference.plan;
    rows.push(["difference", plan, "matched_pairs", difference.matchedPairs]);
    rows.push(["difference", plan, "unmatched_baseline", difference.unmatchedBaseline]);
    rows.push(["difference", plan, "unmatched_plan", difference.unmatchedPlan]);
    for (const [prefix, summary] of [["return_on_margin", difference.returnOnMargin], ["net_pnl_usd", difference.netPnlUsd]] as const) {
      rows.push(["difference", plan, `${prefix}.mean`, summary.meanDifference]);
      rows.push(["difference", plan, `${prefix}.ci_lower`, summary.lower]);
      rows.push(["difference", plan, `${prefix}.ci_upper`, summary.upper]);
      rows.push(["difference", plan, `${prefix}.share_above_zero`, summary.shareAboveZero]);
      rows.push(["difference", plan, `${prefix}.verdict`, summary.verdict]);
    }
  }
  for (const mix of result.exitReasonMix) {
    rows.push(["exit_reason_basis", mix.plan, "basis", mix.basis]);
    for (const [reason, share] of Object.entries(mix.shares)) rows.push(["exit_reason", mix.plan, reason, share]);
  }
  for (const row of result.pathSensitivity) {
    rows.push(["path_sensitivity", row.plan, "modes", row.modes.join("|")]);
    rows.push(["path_sensitivity", row.plan, "total_return_pct.min", row.totalReturnPct?.min ?? null]);
    rows.push(["path_sensitivity", row.plan, "total_return_pct.max", row.totalReturnPct?.max ?? null]);
    rows.push(["path_sensitivity", row.plan, "mean_return_on_margin_pct.min", row.meanReturnOnMarginPct?.min ?? null]);
    rows.push(["path_sensitivity", row.plan, "mean_return_on_margin_pct.max", row.meanReturnOnMarginPct?.max ?? null]);
  }
  const lines = [COMPARE_CSV_COLUMNS.join(","), ...rows.map((row) => row.map(formatCsvField).join(","))];
  return lines.join("\n") + "\n";
}

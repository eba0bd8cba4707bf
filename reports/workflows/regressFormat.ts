/**
 * Formatters of a `RegressReport`: a diff table for the terminal, Markdown for pull-request
 * comments, and JUnit XML for CI test reporters (one testcase per metric plus one for the trade
 * fingerprint; no times or timestamps, so the same report gives byte-identical XML).
 */
import type { FingerprintCheck, RegressReport, RegressRow } from "./regress.js";
import type { Tolerance } from "./regressBaseline.js";
import {
  displaySignedSignificant,
  displaySignificant,
  formatAlignedTable,
  formatMarkdownTable,
  type TextTable,
} from "./textTable.js";

function toleranceText(tolerance: Tolerance): string {
  return tolerance.kind === "absolute"
    ? `±${displaySignificant(tolerance.amount)}`
    : `±${displaySignificant(tolerance.amount * 100, 4)} %`;
}

function statusText(row: RegressRow): string {
  return row.status === "regressed" || row.status === "changed" ? row.status.toUpperCase() : row.status;
}

function diffTable(report: RegressReport, markStatus: (text: string, row: RegressRow) => string): TextTable {
  return {
    header: ["metric", "baseline", "current", "delta", "tolerance", "better", "status"],
    rows: report.rows.map((row) => [
      row.metric,
      displaySignificant(row.baseline),
      displaySignificant(row.current),
      displaySignedSignificant(row.delta),
      toleranceText(row.tolerance),
      row.better,
      markStatus(statusText(row), row),
    ]),
    align: ["left", "right", "right", "right", "right", "left", "left"],
  };
}

function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

function fingerprintLine(check: FingerprintCheck): string {
  const trades = `trades ${check.baselineTradeCount} → ${check.currentTradeCount}`;
  if (check.status === "ok") return `${trades}, fingerprint ${shortHash(check.current)} unchanged`;
  const note = check.status === "ignored" ? "changed, ignored" : "CHANGED";
  return `${trades}, fingerprint ${shortHash(check.baseline)} → ${shortHash(check.current)} (${note})`;
}

function outcome(report: RegressReport): string {
  const counts = `${report.regressed} regressed, ${report.changed} changed, ${report.improved} improved`;
  const trades = report.fingerprint.status === "changed" ? ", trades changed" : "";
  return `${report.passed ? "PASS" : "FAIL"} (${counts}${trades})`;
}

function title(report: RegressReport): string {
  return report.baselineFile === null ? "exitlab regress" : `exitlab regress against ${report.baselineFile}`;
}

/** The readable diff table, ending in a newline. */
export function formatRegressTerminal(report: RegressReport): string {
  return [
    `${title(report)}: ${outcome(report)}`,
    "",
    formatAlignedTable(diffTable(report, (text) => text)),
    "",
    fingerprintLine(report.fingerprint),
  ].join("\n") + "\n";
}

/** Markdown for a pull-request comment, ending in a newline. */
export function formatRegressMarkdown(report: RegressReport): string {
  const bold = (text: string, row: RegressRow): string => (row.status === "ok" ? text : `**${text}**`);
  return [
    `### ${report.passed ? "✅" : "❌"} ${title(report)}: ${outcome(report)}`,
    "",
    formatMarkdownTable(diffTable(report, bold)),
    "",
    fingerprintLine(report.fingerprint).replace(/fingerprint ([0-9a-f]+)(?: \u2192 ([0-9a-f]+))?/, (_m, a: string, b?: string) =>
      b === undefined ? `fingerprint \`${a}\`` : `fingerprint \`${a}\` → \`${b}\``,
    ),
  ].join("\n") + "\n";
}

/** XML 1.0 text: the five special characters escaped and characters XML cannot hold dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

function failureMessage(row: RegressRow): string {
  const direction = row.better === "either" ? "any change beyond tolerance fails" : `${row.better} is better`;
  return (
    `${row.metric} ${row.status}: ${displaySignificant(row.baseline)} → ${displaySignificant(row.current)} ` +
    `(delta ${displaySignedSignificant(row.delta)}, tolerance ${toleranceText(row.tolerance)}; ${direction})`
  );
}

export interface JUnitOptions {
  /** `name` of the testsuite(s); default "exitlab regress". */
  readonly suiteName?: string;
}

/** JUnit XML: one testcase per metric, a `<failure>` for each regressed or changed one. */
export function formatRegressJUnit(report: RegressReport, options: JUnitOptions = {}): string {
  const suite = escapeXml(options.suiteName ?? "exitlab regress");
  const tests = report.rows.length + 1;
  const skipped = report.fingerprint.status === "ignored" ? 1 : 0;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${suite}" tests="${tests}" failures="${report.failures}" errors="0" skipped="${skipped}">`,
    `  <testsuite name="${suite}" tests="${tests}" failures="${report.failures}" errors="0" skipped="${skipped}">`,
  ];
  if (report.baselineFile !== null) {
    lines.push("    <properties>", `      <property name="baseline" value="${escapeXml(report.baselineFile)}"/>`, "    </properties>");
  }
  for (const row of report.rows) {
    const open = `    <testcase classname="exitlab.regress.metrics" name="${escapeXml(row.metric)}"`;
    if (row.status === "regressed" || row.status === "changed") {
      const message = escapeXml(failureMessage(row));
      lines.push(`${open}>`, `      <failure type="${row.status}" message="${message}">${message}</failure>`, "    </testcase>");
    } else {
      lines.push(`${open}/>`);
    }
  }
  const check = report.fingerprint;
  const open = '    <testcase classname="exitlab.regress.trades" name="tradeFingerprint"';
  const message = escapeXml(fingerprintLine(check));
  if (check.status === "changed") {
    lines.push(`${open}>`, `      <failure type="changed" message="${message}">${message}</failure>`, "    </testcase>");
  } else if (check.status === "ignored") {
    lines.push(`${open}>`, `      <skipped message="${message}"/>`, "    </testcase>");
  } else {
    lines.push(`${open}/>`);
  }
  lines.push("  </testsuite>", "</testsuites>");
  return lines.join("\n") + "\n";
}

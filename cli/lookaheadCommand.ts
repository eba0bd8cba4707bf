import { formatIsoTime } from "../reports/csv.js";
import type { PredictionTimingReport } from "../strategies/signals/predictionTiming.js";
import { runLookaheadCheck, type LookaheadOutcome } from "../workflows/lookahead.js";
import type { CliIo } from "./cliIo.js";
import { configFromArgv } from "./runArgs.js";

/** How many violations are listed per symbol (all are counted). */
const LISTED = 5;

/**
 * `exitlab lookahead` (workflows/lookahead.ts). Exit code 0 when no signal changed (or a
 * predictions file's timing was reported), 1 when the source looked ahead.
 */
export async function runLookaheadCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const config = configFromArgv(argv, env);
  const outcome = await runLookaheadCheck(config, { cuts: argv.cuts === undefined ? null : Number(argv.cuts), cutsLabel: "--cuts" });
  if (outcome.kind === "predictions") {
    io.out(formatPredictionTiming(outcome.file, outcome.timing));
    return 0;
  }
  if (outcome.kind === "orders") {
    io.out(formatOrderStreamCheck(outcome));
    return outcome.violationCount === 0 ? 0 : 1;
  }
  const { asked } = outcome;
  const lines = [`exitlab lookahead — signals ${config.signals.kind}, ${asked === null ? "every bar a cut point" : `${asked} cut points per symbol (seed ${config.seed})`}`];
  for (const { series, report, candidates } of outcome.symbols) {
    const capped = asked !== null && asked > candidates ? ` (--cuts ${asked} capped at the ${candidates} bars that can be cut)` : "";
    lines.push(`  ${series.symbol}: ${report.cutsChecked} of ${candidates} bars checked as cut points${capped}, ${report.violationCount === 0 ? "no look-ahead found" : `${report.violationCount} signal values changed when later bars were added`}`);
    for (const violation of report.violations.slice(0, LISTED)) {
      lines.push(`    bar ${violation.barIndex} (${formatIsoTime(violation.timeMs)}) ${violation.field}: ${violation.full} with all bars, ${violation.truncated} with bars up to ${violation.cutIndex}`);
    }
  }
  const leaks = outcome.violationCount;
  lines.push(leaks === 0 ? "verdict: no signal changed when future bars were added" : "verdict: LOOK-AHEAD — the signal source reads bars after the decision bar");
  io.out(`${lines.join("\n")}\n`);
  return leaks === 0 ? 0 : 1;
}

/** A version-2 strategy's report: the order stream up to each cut, compared with the full run's. */
function formatOrderStreamCheck(outcome: Extract<LookaheadOutcome, { kind: "orders" }>): string {
  const { asked } = outcome;
  const lines = [`exitlab lookahead — version-2 strategy (order stream), ${asked === null ? "every bar a cut point" : `${asked} cut points per symbol (seed ${outcome.config.seed})`}`];
  for (const { series, report, candidates } of outcome.symbols) {
    const capped = asked !== null && asked > candidates ? ` (--cuts ${asked} capped at the ${candidates} bars that can be cut)` : "";
    lines.push(`  ${series.symbol}: ${report.cutsChecked} of ${candidates} bars checked as cut points${capped}, ${report.violationCount === 0 ? "no look-ahead found" : `the order stream changed at ${report.violationCount} cut points when later bars were added`}`);
    for (const violation of report.violations.slice(0, LISTED)) {
      lines.push(`    bar ${violation.barIndex} (${formatIsoTime(violation.timeMs)}): ${violation.full ?? "nothing"} with all bars, ${violation.truncated ?? "nothing"} with bars up to ${violation.cutIndex}`);
    }
  }
  lines.push(outcome.violationCount === 0
    ? "verdict: no order, stop change or fill changed when future bars were added"
    : "verdict: LOOK-AHEAD — the strategy's orders depend on bars after the decision bar");
  return `${lines.join("\n")}\n`;
}

const HOUR_MS = 3_600_000;
const hours = (ms: number): string => `${(ms / HOUR_MS).toFixed(2)} h`;

/** A predictions file's report: why it cannot be cut, and the timing check that can be made. */
function formatPredictionTiming(file: string, report: PredictionTimingReport): string {
  const lead = report.leadMs;
  return [
    `exitlab lookahead — ${file} is a predictions file: its rows are fixed, so cutting bars cannot show look-ahead (it would pass by construction)`,
    "checked instead: when each prediction is stamped relative to the bar it acts on (it acts at the close of the bar whose open ≤ timestamp < close)",
    `  ${report.mapped} of ${report.predictions} predictions act on a bar; ${report.beforeData} are stamped before their symbol's first bar`,
    lead === null ? "  no prediction acts on a bar" : `  timestamp to the close it acts at: min ${hours(lead.min)}, median ${hours(lead.median)}, max ${hours(lead.max)}; ${report.atOpen} stamped exactly at their bar's open`,
    "verdict: NOT CHECKED for look-ahead — make sure each prediction used only data up to its timestamp (your model's side); exitlab acts on it no earlier than that bar's close",
  ].join("\n") + "\n";
}

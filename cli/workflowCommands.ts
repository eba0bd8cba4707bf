import { existsSync } from "node:fs";
import { ConfigError } from "../engine/index.js";
import { writeRunFolder, type WriteRunFolderOptions } from "../reports/outputFolder.js";
import { writeOwnedFile } from "../reports/ownedFile.js";
import { formatTierReasonTerminal } from "../reports/tables/breakdownFormat.js";
import { formatCompareTerminal } from "../reports/workflows/compareFormat.js";
import { formatRegressJUnit, formatRegressMarkdown, formatRegressTerminal } from "../reports/workflows/regressFormat.js";
import { formatTierTerminal } from "../reports/workflows/tiersFormat.js";
import type { RunConfig } from "../strategies/config.js";
import { EXIT_KINDS } from "../strategies/exits/exitConfig.js";
import { compareFiles, INTRABAR_MODES, runCompare } from "../workflows/compare.js";
import { writeTextAtomically } from "../workflows/files.js";
import { baselineJsonOf, readBaseline, regressRun } from "../workflows/regress.js";
import { executeRun } from "../workflows/backtest.js";
import { inputPathsOf } from "../workflows/inputPaths.js";
import { runTiers, tierBreakdowns, tiersFiles } from "../workflows/tiers.js";
import type { CliIo } from "./cliIo.js";
import { printWarnings } from "./printReport.js";
import { createProgress } from "./progress.js";
import { prepareFromArgv } from "./runArgs.js";
import { processPathsOf, printNotes } from "./outputSafety.js";
import { markWritten } from "./runPhase.js";
import { phaseClock } from "./timings.js";

/** How a workflow's run folder is written: --force, and the folders it must not be written over (README "Safety"). */
function outputOptions(config: RunConfig, argv: Record<string, unknown>): WriteRunFolderOptions {
  return {
    force: argv.force === true, protectedPaths: [...processPathsOf(argv), ...inputPathsOf(config)], timeFile: (name, work) => phaseClock.time(name, work),
  };
}

/** A comma-separated flag checked against its allowed values. */
function listFlag<T extends string>(value: unknown, allowed: readonly T[], flag: string): T[] {
  const items = String(value).split(",").map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new ConfigError("needs at least one value", flag);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new ConfigError(`"${item}" is not one of ${allowed.join(", ")}`, flag);
  }
  return items as T[];
}

/** `exitlab compare`: several exit plans on one setup, each under several intrabar paths (workflows/compare.ts). */
export async function runCompareCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const plans = listFlag(argv.plans, EXIT_KINDS, "--plans");
  const paths = listFlag(argv.paths, INTRABAR_MODES, "--paths");
  const prepared = await prepareFromArgv(argv, env);
  const progress = createProgress("compare", argv.quiet === true);
  const outcome = runCompare(prepared, {
    plans, paths, resamples: Number(argv.resamples), onProgress: progress.update, timePhase: (phase, work) => phaseClock.time(phase, work),
  });
  progress.stop();
  const out = String(argv.out);
  printNotes(writeRunFolder(out, compareFiles(outcome, prepared), outputOptions(prepared.config, argv)).notes, io);
  markWritten(out);
  if (argv.quiet !== true) io.out(`${formatCompareTerminal(outcome.result)}\nwritten to ${out}/ (compare.md, compare.csv, summary.json, report.html)\n`);
  printWarnings(outcome.mains[0].warnings, io);
}

/** `exitlab tiers`: one backtest, then metrics per confidence tier and a calibration verdict. */
export async function runTiersCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const prepared = await prepareFromArgv(argv, env);
  const outcome = runTiers(prepared, { minTrades: Number(argv["min-trades"]) });
  const breakdowns = await tierBreakdowns(outcome.run);
  const out = outcome.run.config.output.dir;
  printNotes(writeRunFolder(out, tiersFiles(outcome, breakdowns, prepared), outputOptions(outcome.run.config, argv)).notes, io);
  markWritten(out);
  if (argv.quiet !== true) {
    io.out(`${formatTierTerminal(outcome.table)}\n${formatTierReasonTerminal(breakdowns)}\nwritten to ${out}/ (tiers.md, tiers.csv, breakdown.csv and the backtest files)\n`);
  }
  printWarnings(outcome.run.warnings, io);
}

/**
 * `exitlab regress`: one backtest compared with a committed baseline. Returns the exit code:
 * 0 pass, 1 regression. `--update` rewrites the baseline from this run, keeping its tolerances.
 */
export async function runRegressCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const baselineFile = String(argv.baseline);
  const prepared = await prepareFromArgv(argv, env);
  const run = executeRun(prepared);
  if (argv.update === true) {
    const old = existsSync(baselineFile) ? readBaseline(baselineFile) : null;
    writeTextAtomically(baselineFile, baselineJsonOf(run, prepared, old));
    io.out(`exitlab regress: baseline ${baselineFile} ${old === null ? "written" : "updated"} (${run.result.trades.length} trades)\n`);
    return 0;
  }
  const { report, differences } = regressRun(run, prepared, readBaseline(baselineFile), {
    ignoreFingerprint: argv["ignore-fingerprint"] === true, checkAnyway: argv["check-anyway"] === true, baselineFile,
  });
  if (differences === null) {
    io.err(`exitlab: note: ${baselineFile} records no config or data fingerprint (written by an older exitlab); checked as before — \`--update\` adds them\n`);
  } else if (report === null) {
    io.out(`exitlab regress: CONFIG DIFFERS from the baseline's run (${baselineFile}), so its metrics are not comparable:\n${differences.slice(0, 20).map((line) => `  ${line}`).join("\n")}${differences.length > 20 ? `\n  … and ${differences.length - 20} more` : ""}\n`
      + "run with the baseline's config and data, rewrite the baseline with --update, or compare anyway with --check-anyway\n");
    printWarnings(run.warnings, io);
    return 1;
  } else if (differences.length > 0) {
    io.err(`exitlab: note: the config or data differs from the baseline's (${differences.length} differences); compared anyway (--check-anyway)\n`);
  }
  if (report === null) throw new Error("regress: no report without a config difference");
  if (typeof argv.junit === "string") printNotes(writeOwnedFile(argv.junit, formatRegressJUnit(report), { force: argv.force === true }), io);
  if (typeof argv.markdown === "string") printNotes(writeOwnedFile(argv.markdown, formatRegressMarkdown(report), { force: argv.force === true }), io);
  io.out(formatRegressTerminal(report));
  printWarnings(run.warnings, io);
  return report.passed ? 0 : 1;
}

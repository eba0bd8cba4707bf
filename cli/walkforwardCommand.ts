import { existsSync } from "node:fs";
import { ConfigError } from "../engine/index.js";
import { formatRegressTerminal } from "../reports/workflows/regressFormat.js";
import { writeTextAtomically } from "../workflows/files.js";
import { readBaseline } from "../workflows/regress.js";
import { regressWalkforward, walkforwardBaselineJson } from "../workflows/walkforward/walkforwardRegress.js";
import { threadCountOf } from "../workflows/sweep/cellPool.js";
import { DEFAULT_PBO_PARTITIONS } from "../workflows/sweep/overfitting.js";
import { CHOSEN_CELL_WIDTH, WALKFORWARD_HEADER, walkforwardCells, walkforwardSummaryLines } from "../workflows/walkforward/walkforwardFormat.js";
import { loadSweepFile } from "../workflows/sweep/sweepFile.js";
import { runWalkforward, type WalkforwardOutcome } from "../workflows/walkforward/walkforward.js";
import { parseSpan } from "../workflows/walkforward/windows.js";
import type { CliIo } from "./cliIo.js";
import { processPathsOf, printNotes } from "./outputSafety.js";
import { printWarnings } from "./printReport.js";
import { cacheOf, configFromArgv } from "./runArgs.js";
import { markWritten } from "./runPhase.js";
import { sweepOverridesOf } from "./sweep/sweepCommand.js";

/** `exitlab walkforward` (workflows/walkforward/): flags to options, the per-window table on stdout. */
export async function runWalkforwardCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const spec = loadSweepFile(String(argv.grid), sweepOverridesOf(argv));
  const windows = {
    train: parseSpan(argv.train, "--train"), test: parseSpan(argv.test, "--test"),
    ...(argv.step === undefined ? {} : { step: parseSpan(argv.step, "--step") }), anchored: argv.anchored === true,
  };
  const warmup = argv.warmup === undefined || argv.warmup === "all" ? null : parseSpan(argv.warmup, "--warmup");
  const partitions = Number(argv["pbo-partitions"] ?? DEFAULT_PBO_PARTITIONS);
  if (!Number.isInteger(partitions) || partitions < 2 || partitions % 2 !== 0 || partitions > 24) throw new ConfigError(`"${String(argv["pbo-partitions"])}" is not an even whole number from 2 to 24`, "--pbo-partitions");
  const quiet = argv.quiet === true;
  const outcome = await runWalkforward({
    spec, gridLabel: String(argv.grid), config: configFromArgv(argv, env), windows, warmup, threads: threadCountOf(argv.workers),
    ...(argv.queue === undefined ? {} : { queue: String(argv.queue), sweepId: String(argv["sweep-id"] ?? "default") }),
    cache: cacheOf(argv), pboPartitions: partitions, out: String(argv.out), force: argv.force === true, protectedPaths: processPathsOf(argv),
    log: (line) => void (quiet ? undefined : io.err(`${line}\n`)),
  });
  markWritten(outcome.out);
  printNotes(outcome.notes, io);
  if (!quiet) io.out(formatWalkforwardTerminal(outcome));
  const gate = typeof argv.baseline === "string" ? gateWalkforward(outcome, argv, io) : 0;
  printWarnings(outcome.warnings, io);
  // As a sweep: a cell that failed (a known error of its config, e.g. a strategy module that throws) makes the exit code 1.
  const failed = outcome.windows.reduce((sum, row) => sum + row.inSampleCells.failed, 0);
  if (failed > 0) io.err(`exitlab: walkforward: ${failed} in-sample cell${failed === 1 ? "" : "s"} failed (the note of each window in walkforward.csv names one)\n`);
  return failed > 0 ? 1 : gate;
}

/** `--baseline f.json [--update]`: the stitched run against a regress baseline (exit 1 on a regression or a differing config). */
function gateWalkforward(outcome: WalkforwardOutcome, argv: Record<string, unknown>, io: CliIo): number {
  const file = String(argv.baseline);
  if (argv.update === true) {
    const old = existsSync(file) ? readBaseline(file) : null;
    writeTextAtomically(file, walkforwardBaselineJson(outcome, old));
    io.out(`exitlab walkforward: baseline ${file} ${old === null ? "written" : "updated"} (${outcome.stitched.result.trades.length} trades)\n`);
    return 0;
  }
  const { report, differences } = regressWalkforward(outcome, readBaseline(file), {
    ignoreFingerprint: argv["ignore-fingerprint"] === true, checkAnyway: argv["check-anyway"] === true, baselineFile: file,
  });
  if (report === null) {
    io.out(`exitlab walkforward: CONFIG DIFFERS from the baseline's walk-forward (${file}):\n${(differences ?? []).slice(0, 20).map((line) => `  ${line}`).join("\n")}\n`
      + "run with the baseline's settings, rewrite it with --update, or compare anyway with --check-anyway\n");
    return 1;
  }
  if (differences !== null && differences.length > 0) io.err(`exitlab: note: the walk-forward's config or data differs from the baseline's (${differences.length} differences); compared anyway (--check-anyway)\n`);
  io.out(formatRegressTerminal(report));
  return report.passed ? 0 : 1;
}

function formatWalkforwardTerminal(outcome: WalkforwardOutcome): string {
  const widths = [6, 11, CHOSEN_CELL_WIDTH, 15, 10, 11, 16, 11, 7];
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [
    line(WALKFORWARD_HEADER), ...outcome.windows.map((row) => line(walkforwardCells(row))),
    ...walkforwardSummaryLines(outcome.stitched, outcome.efficiency),
    `written to ${outcome.out}/ (walkforward.csv, walkforward.json, summary.json, equity.csv, trades.csv, fills.csv, report.html, …)`,
  ].join("\n") + "\n";
}

import { resolve } from "node:path";
import { verifyOwnedFiles, type VerifiedFiles } from "../reports/ownershipCheck.js";
import { equityOutputsOf, executeRun, writeBacktestFolder } from "../workflows/backtest.js";
import type { CliIo } from "./cliIo.js";
import { formatRunReport, printWarnings } from "./printReport.js";
import { createProgress } from "./progress.js";
import { prepareFromArgv } from "./runArgs.js";
import { processPathsOf, printNotes } from "./outputSafety.js";
import { markWritten } from "./runPhase.js";
import { phaseClock } from "./timings.js";

/** `exitlab backtest`: resolve config, load data, run, write the run folder atomically. */
export async function runBacktestCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  // An earlier run in the output folder is checked while the data loads and the run replays.
  let verifying: Promise<VerifiedFiles> | null = null;
  const prepared = await prepareFromArgv(argv, env, (config) => {
    verifying = verifyOwnedFiles(resolve(config.output.dir));
  });
  const progress = createProgress("backtest", argv.quiet === true);
  const timePhase = <T>(phase: string, work: () => T): T => phaseClock.time(phase, work);
  const run = executeRun(prepared, prepared.config, progress.update, timePhase, true);
  progress.stop();
  const pending = verifying as Promise<VerifiedFiles> | null;
  const verified = pending === null ? undefined : await phaseClock.timeAsync("ownership check", () => pending);
  const out = writeBacktestFolder(run, prepared.data, {
    force: argv.force === true, protectedPaths: processPathsOf(argv), onNote: (note) => printNotes([note], io), timePhase, verified,
  });
  markWritten(out);
  const arrowWritten = equityOutputsOf(run.config, run.result).summary.equityArrow !== null;
  if (argv.quiet !== true) io.out(formatRunReport(out, run.result, run.stats, arrowWritten ? ["equity.arrow"] : []));
  printWarnings(run.warnings, io);
}

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
  const prepared = await prepareFromArgv(argv, env);
  const progress = createProgress("backtest", argv.quiet === true);
  const timePhase = <T>(phase: string, work: () => T): T => phaseClock.time(phase, work);
  const run = executeRun(prepared, prepared.config, progress.update, timePhase, true);
  progress.stop();
  const out = writeBacktestFolder(run, prepared.data, {
    force: argv.force === true, protectedPaths: processPathsOf(argv), onNote: (note) => printNotes([note], io), timePhase,
  });
  markWritten(out);
  const arrowWritten = equityOutputsOf(run.config, run.result).summary.equityArrow !== null;
  if (argv.quiet !== true) io.out(formatRunReport(out, run.result, run.stats, arrowWritten ? ["equity.arrow"] : []));
  printWarnings(run.warnings, io);
}

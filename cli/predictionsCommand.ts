import { writeOwnedFile } from "../reports/ownedFile.js";
import { exportPredictions } from "../workflows/predictions.js";
import type { CliIo } from "./cliIo.js";
import { printNotes } from "./outputSafety.js";
import { configFromArgv } from "./runArgs.js";

/** `exitlab data predictions`: the configured signal source's signals as a predictions CSV (workflows/predictions.ts). */
export async function runPredictionsCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const config = configFromArgv(argv, env);
  const exported = await exportPredictions(config);
  const out = String(argv.out);
  printNotes(writeOwnedFile(out, exported.csv, { force: argv.force === true }), io);
  io.out(`wrote ${out} (${exported.rows} predictions from ${config.signals.kind} over ${exported.symbols} symbols)\n`);
}

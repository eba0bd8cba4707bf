#!/usr/bin/env node
import { runsInCommandThread } from "./commandThread.js";
import { adoptLauncher } from "./launcher.js";
import { runPhase } from "./runPhase.js";

/**
 * Commands that compute (load data, run strategies, write a run) run in a worker thread that
 * a signal can stop at any moment (interruptShell.ts, README "Safety"). The others — help,
 * the sweep and its queue worker (their main thread only waits on worker threads), the
 * Binance download (it waits on the network) — run here as before.
 */
const args = process.argv.slice(2);

// Started by bin/exitlab.js in a child process (sweep, walkforward, worker): die with the launcher.
adoptLauncher();

if (runsInCommandThread(args, process.env)) {
  const { runInWorker } = await import("./interruptShell.js");
  await runInWorker(args);
} else {
  // An interrupted run leaves no partial output: a signal handled here arrives before a
  // folder is written or after it is complete (the writes are synchronous).
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const written = runPhase.outputWritten;
      process.stderr.write(`exitlab: interrupted by ${signal}; ${written ? `the output in ${runPhase.outputDir} is complete` : "no output was written"}\n`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }

  // Loaded after the handlers are in place, so a signal during start-up is handled too.
  // EXITLAB_TIMINGS=1: the phases of this run on stderr at the end (cli/timings.ts).
  const clock = await import("./timings.js");
  const timings = clock.startTimings(process.env);
  const { runCli } = await import("./runCli.js");
  process.exitCode = await runCli(args, process.env);
  if (timings !== "off") process.stderr.write(clock.formatTimings(clock.phaseClock.report(), timings));
}

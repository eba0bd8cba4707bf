#!/usr/bin/env node
import { adoptLauncher } from "./launcher.js";
import { runPhase } from "./runPhase.js";

// An interrupted run leaves no partial output: the run folder is built in memory and
// written in one synchronous, atomic step, so a signal handled here can only arrive
// before that step starts or after it has finished.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    const written = runPhase.outputWritten;
    process.stderr.write(`exitlab: interrupted by ${signal}; ${written ? `the output in ${runPhase.outputDir} is complete` : "no output was written"}\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

// Started by bin/exitlab.js in a child process (sweep, worker): die with the launcher.
adoptLauncher();

// Loaded after the handlers are in place, so a signal during start-up is handled too.
// EXITLAB_TIMINGS=1: the phases of this run on stderr at the end (cli/timings.ts).
const clock = await import("./timings.js");
const timings = clock.startTimings(process.env);
const { runCli } = await import("./runCli.js");
process.exitCode = await runCli(process.argv.slice(2), process.env);
if (timings !== "off") process.stderr.write(clock.formatTimings(clock.phaseClock.report(), timings));

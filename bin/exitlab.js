#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the `prepare` script).
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
const compiled = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write("exitlab: not built yet; run `npm install` (or `npm run build`) in the project folder\n");
  process.exit(1);
}
// The bundle (cli/bundle.mjs, built after tsc) when it is at least as new as the tsc output —
// ~100 ms faster to start; else the tsc output, so a `tsc` after an edit never runs a stale bundle.
const bundled = new URL("../dist/bundle/cli/main.js", import.meta.url);
const mtimeOf = (url) => statSync(fileURLToPath(url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const entry = mtimeOf(bundled) >= mtimeOf(compiled) ? bundled : compiled;

// `sweep`, `walkforward` and `worker` keep every core busy with worker threads. V8's parallel and concurrent
// GC helper threads then compete with them for the same cores (measured: 2 workers 1.65× → 1.87×
// faster than 1 on a 64-cell sweep with single-threaded GC, and 1 worker no slower). The flag
// can only be given when V8 starts, so those two commands run in a child process that has it;
// README "Performance" has the figures. EXITLAB_PARALLEL_GC=1 keeps V8's default.
const GC_FLAG = "--single-threaded-gc";
const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
const relaunch = (command === "sweep" || command === "worker" || command === "walkforward")
  && !process.execArgv.includes(GC_FLAG) && process.env.EXITLAB_PARALLEL_GC !== "1";

if (!relaunch) {
  // A computing command's worker thread starts now, booting on the other core while this
  // thread loads the CLI (cli/commandThread.ts); the shell hands it its start data.
  const { startCommandThreadEarly } = await import(new URL("../dist/cli/commandThread.js", import.meta.url).href);
  startCommandThreadEarly(entry, process.argv.slice(2), process.env);
  await import(entry.href);
} else {
  const child = spawn(process.execPath, [...process.execArgv, GC_FLAG, fileURLToPath(entry), ...process.argv.slice(2)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, EXITLAB_LAUNCHER_PID: String(process.pid) },
  });
  // A signal sent to this process alone (a supervisor's SIGTERM) reaches the run too; the
  // child's own handlers decide what an interrupted run leaves behind.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (error) => {
    process.stderr.write(`exitlab: could not start ${process.execPath}: ${error.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

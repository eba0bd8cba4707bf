/**
 * The output thread: started by the CLI's shell beside the worker of a `backtest` or `tiers`
 * command (interruptShell.ts), it writes the files the worker hands it — equity.csv,
 * trades.csv, fills.csv, equity.arrow (reports/fileTasks.ts) — into the run's work folder and
 * answers each with the file's sha256, while the worker renders report.html (README
 * "Performance"). It writes only the paths it is given, inside the work folder the worker
 * created; a stopped run's folder is removed with it.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { workerData } from "node:worker_threads";
import { streamOfFileTask } from "../reports/fileTasks.js";
import { writeStreamedFile } from "../reports/outputFolder.js";
import { OUTPUT_ANSWERS, type OutputThreadLink } from "./interruptProtocol.js";
import type { OutputAnswer, OutputTask } from "./outputThreadLink.js";

/**
 * The lowest scheduling priority for this thread alone (Linux: its thread id from
 * /proc/thread-self, `setpriority` on it): on a machine whose other core V8 needs for the
 * worker's compiler and garbage collector, the files take only what the worker leaves, so the
 * thread never slows the run down; while the worker waits for them, they have the core. A
 * no-op where that is not possible.
 */
function yieldToTheWorker(): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: the thread runs at the process's priority.
  }
}
yieldToTheWorker();

const link = workerData as OutputThreadLink;
const word = new Int32Array(link.answers);

link.port.on("message", ({ seq, task, path }: OutputTask) => {
  let answer: OutputAnswer;
  const started = performance.now();
  try {
    answer = { seq, sha256: writeStreamedFile(path, streamOfFileTask(task)), ms: performance.now() - started };
  } catch (error) {
    answer = { seq, error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  // cli/bundle.mjs is making the code cache: save it before the answer can let the process end.
  (globalThis as { __exitlabWriteCodeCache?: () => void }).__exitlabWriteCodeCache?.();
  link.port.postMessage(answer);
  Atomics.add(word, OUTPUT_ANSWERS, 1);
  Atomics.notify(word, OUTPUT_ANSWERS);
});

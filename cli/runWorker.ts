/**
 * The worker thread that runs a computing command for the shell (interruptShell.ts): the
 * whole run — flags, data, signals, replay, outputs — exactly as main.ts would, with its
 * stdout, stderr and progress bar sent to the shell as messages, its strategy call sites in
 * shared memory, and its writes bracketed by the commit gate.
 */
import { parentPort, workerData } from "node:worker_threads";
import { provideTouchedMemory, touchedMemoryUsed } from "../engine/index.js";
import { setCommitGate } from "../reports/commitGate.js";
import { setFileWriterElsewhere } from "../reports/outputElsewhere.js";
import { shareCallSite } from "../strategies/signals/callSite.js";
import type { CliIo } from "./cliIo.js";
import { receiveStart } from "./commandThread.js";
import { COMMITTING, RUNNING, STOPPING, type WorkerMessage, type WorkerStart } from "./interruptProtocol.js";
import { setProgressTerminal } from "./progress.js";
import type { ThreadTimings } from "./timings.js";
import { fileWriterOver, offerOutputThread } from "./outputThreadLink.js";

const { start, waitedMs } = receiveStart<WorkerStart>(workerData);
const port = parentPort;
if (port === null) throw new Error("cli/runWorker.js runs in a worker thread started by cli/interruptShell.js");
const post = (message: WorkerMessage): void => port.postMessage(message);
const phase = new Int32Array(start.control);

/** The shell is terminating this thread; nothing more may happen until it does. */
function awaitTermination(): never {
  // terminate() ends an Atomics.wait at once (milliseconds after the signal).
  for (;;) Atomics.wait(phase, 0, Atomics.load(phase, 0));
}

shareCallSite(start.callSite);
if (start.prefaulted !== undefined) provideTouchedMemory(start.prefaulted);
const outputLink = start.output;
if (outputLink !== undefined) {
  offerOutputThread(() => {
    post({ kind: "output thread" });
    setFileWriterElsewhere(fileWriterOver(outputLink));
  });
}
setCommitGate({
  created: (path) => post({ kind: "created", path }),
  begin: () => {
    if (Atomics.compareExchange(phase, 0, RUNNING, COMMITTING) !== RUNNING) awaitTermination();
  },
  end: (written) => {
    if (written !== null) post({ kind: "written", path: written });
    if (Atomics.compareExchange(phase, 0, COMMITTING, RUNNING) === COMMITTING) return;
    Atomics.store(phase, 0, STOPPING);
    post({ kind: "stop" });
    awaitTermination();
  },
});
const io: CliIo = { out: (text) => post({ kind: "out", text }), err: (text) => post({ kind: "err", text }) };
setProgressTerminal({ isTTY: start.stderrIsTTY, columns: start.stderrColumns, write: (text: string) => io.err(text) });

/** The memory touched ahead for this run's columns and how much it used, MB, and the wait for the start data (EXITLAB_TIMINGS). */
function threadTimings(): ThreadTimings {
  const memory = start.prefaulted;
  return {
    ...(memory === undefined ? {} : { prefaulted: { touched: memory.byteLength / 2 ** 20, used: touchedMemoryUsed() / 2 ** 20 } }),
    ...(waitedMs === null ? {} : { startedAhead: { waitedMs } }),
  };
}

// No top-level await: the worker bundle is CommonJS (cli/workerLoader.cjs), which has none.
async function runCommand(): Promise<void> {
  const clock = await import("./timings.js");
  const timings = clock.startTimings(process.env, start.timeOrigin);
  const { runCli } = await import("./runCli.js");
  const code = await runCli(start.args, process.env, io);
  if (timings !== "off") io.err(clock.formatTimings(clock.phaseClock.report(), timings, threadTimings()));
  post({ kind: "done", code });
}

// A rejection here is an internal error: rethrown outside the promise, it reaches the shell's "error" handler with its trace.
runCommand().catch((error: unknown) => setImmediate(() => {
  throw error;
}));

/**
 * Stop when told (README "Safety"). A computing command runs in a worker thread
 * (runWorker.ts) while the main thread stays free to handle SIGINT and SIGTERM at once, even
 * when the run is stuck in a strategy's endless loop. On a signal the shell terminates the
 * worker, removes the work folders it had created (an output is never half-written), names
 * the strategy call that was running (strategies/signals/callSite.ts) and exits 130 (SIGINT)
 * or 143 (SIGTERM). A signal that arrives while a finished output is being renamed into
 * place waits for those renames (milliseconds); the output is then complete and stays.
 */
import { existsSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { ConfigError } from "../engine/index.js";
import { CALL_SITE_BYTES, describeCallSite } from "../strategies/signals/callSite.js";
import {
  COMMITTING, OUTPUT_ANSWERS, OUTPUT_THREAD_ENDED, RUNNING, STOP_AFTER_COMMIT, STOPPING, type WorkerMessage, type WorkerStart,
} from "./interruptProtocol.js";
import { startCommandThread, takeCommandThread } from "./commandThread.js";
import { prefaultMemory, touchPages } from "./prefault.js";

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;
/** How long terminate() may take before the shell exits anyway (a thread blocked in a system call). */
const TERMINATE_TIMEOUT_MS = 1500;

/** The output thread's entry: its code-cached loader in the bundle (cli/bundle.mjs), else outputThread.js itself. */
function outputThreadEntry(): URL {
  const loader = new URL("./outputThreadLoader.cjs", import.meta.url);
  return existsSync(loader) ? loader : new URL("./outputThread.js", import.meta.url);
}

/** The commands that write one run folder, whose CSVs and equity.arrow the output thread writes while the worker renders report.html. */
const OUTPUT_THREAD_COMMANDS = ["backtest", "tiers"];

/**
 * Whether `args` may get an output thread: a command that writes one run folder, on a machine
 * with four or more cores (EXITLAB_OUTPUT_THREAD=0: never; =1: whatever the cores and the run's
 * size). With fewer, V8 already keeps a second core busy for the worker (compiling its hot code
 * and collecting garbage concurrently): on this 2-core machine the thread measured no faster
 * (±25 ms of 0.7 s) when idle and ~0.1 s slower when the machine was busy (README "Performance").
 */
function wantsOutputThread(args: readonly string[]): boolean {
  const command = args.find((arg) => !arg.startsWith("-"));
  const setting = process.env.EXITLAB_OUTPUT_THREAD;
  if (command === undefined || !OUTPUT_THREAD_COMMANDS.includes(command) || setting === "0") return false;
  return setting === "1" || availableParallelism() >= OUTPUT_THREAD_MIN_CORES;
}

/** The cores from which the output thread is used without being asked for. */
const OUTPUT_THREAD_MIN_CORES = 4;

/**
 * Starts the output thread (outputThread.ts) when the worker asks, once its data is loaded and
 * large enough: the thread boots and compiles its code on the other core while the worker
 * computes signals and replays. Unref'd: the process never waits for it, and a run that ends ends it.
 */
function startOutputThread(port: MessagePort, answers: SharedArrayBuffer): Worker {
  const thread = new Worker(outputThreadEntry(), { workerData: { port, answers }, transferList: [port] });
  thread.unref();
  // A thread that ended (it crashed) answers nothing more: a worker waiting for an answer is woken and fails at once.
  const ended = (): void => {
    const words = new Int32Array(answers);
    Atomics.store(words, OUTPUT_THREAD_ENDED, 1);
    Atomics.add(words, OUTPUT_ANSWERS, 1);
    Atomics.notify(words, OUTPUT_ANSWERS);
  };
  thread.on("error", (error: Error) => {
    process.stderr.write(`exitlab: internal error in the output thread — please report it with this trace\n${error.stack ?? String(error)}\n`);
    ended();
  });
  thread.on("exit", ended);
  return thread;
}

/** Runs `args` in a worker thread; exits the process with the command's code when it is done, resolves when the thread ended otherwise (process.exitCode set), never when a signal stops it. */
export function runInWorker(args: readonly string[]): Promise<void> {
  const control = new SharedArrayBuffer(4);
  const phase = new Int32Array(control);
  const callSite = new SharedArrayBuffer(CALL_SITE_BYTES);
  const channel = wantsOutputThread(args) ? { ports: new MessageChannel(), answers: new SharedArrayBuffer(8) } : null;
  // Started by bin/exitlab.js while this code loaded, if it was (cli/commandThread.ts).
  const early = takeCommandThread();
  let prefaulted: SharedArrayBuffer | undefined;
  try {
    prefaulted = prefaultMemory(args, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    void early?.worker.terminate();
    process.stderr.write(`exitlab: ${error.oneLine()}\n`);
    process.exitCode = 2;
    return Promise.resolve();
  }
  const start: WorkerStart = {
    args, control, callSite, timeOrigin: performance.timeOrigin, ...(prefaulted === undefined ? {} : { prefaulted }),
    stderrIsTTY: process.stderr.isTTY === true, stderrColumns: process.stderr.columns,
    ...(channel === null ? {} : { output: { port: channel.ports.port1, answers: channel.answers } }),
  };
  const transfer = channel === null ? [] : [channel.ports.port1];
  const worker = early?.worker ?? startCommandThread(new URL(import.meta.url), start, transfer);
  early?.begin(start, transfer);
  // Touched while the worker starts and runs; a worker that ended needs no more.
  const touching = prefaulted === undefined ? null : touchPages(prefaulted);
  let output: Worker | null = null;
  const created = new Set<string>();
  const written: string[] = [];
  let exitCode: number | null = null;
  let stopping: StopSignal | null = null;

  const stop = async (signal: StopSignal): Promise<never> => {
    touching?.stop();
    const threads = output === null ? [worker.terminate()] : [worker.terminate(), output.terminate()];
    await Promise.race([Promise.all(threads), new Promise((resolve) => setTimeout(resolve, TERMINATE_TIMEOUT_MS).unref())]);
    removeWorkFolders(created);
    const where = describeCallSite(callSite);
    process.stderr.write(`exitlab: interrupted by ${signal}${where === null ? "" : ` in the strategy's ${where}`}; `
      + `${written.length > 0 ? `the output in ${written.join(", ")} is complete` : "no output was written"}\n`);
    process.exit(EXIT_CODES[signal]);
  };
  const onSignal = (signal: StopSignal): void => {
    if (stopping !== null) return;
    stopping = signal;
    for (;;) {
      const now = Atomics.load(phase, 0);
      if (now === COMMITTING) {
        if (Atomics.compareExchange(phase, 0, COMMITTING, STOP_AFTER_COMMIT) === COMMITTING) return; // "stop" follows
      } else if (now === RUNNING) {
        if (Atomics.compareExchange(phase, 0, RUNNING, STOPPING) === RUNNING) break;
      } else {
        break;
      }
    }
    void stop(signal);
  };
  for (const signal of Object.keys(EXIT_CODES) as StopSignal[]) process.on(signal, onSignal);

  return new Promise((resolve) => {
    worker.on("message", (message: WorkerMessage) => {
      switch (message.kind) {
        case "out": process.stdout.write(message.text); break;
        case "err": process.stderr.write(message.text); break;
        case "created": created.add(message.path); break;
        case "written": written.push(message.path); break;
        // The worker's last message: its output is in place and every message before this one
        // has been written (a pipe or file on Linux is written synchronously). Exiting now
        // skips tearing down the worker's heap (~15–30 ms after a large run) — except while
        // cli/bundle.mjs makes the code cache, which the worker writes as it ends.
        case "done":
          if (process.env.EXITLAB_WRITE_CODE_CACHE !== "1") process.exit(message.code);
          exitCode = message.code;
          break;
        case "stop": if (stopping !== null) void stop(stopping); break;
        case "output thread":
          if (channel !== null && output === null && stopping === null) output = startOutputThread(channel.ports.port2, channel.answers);
          break;
      }
    });
    // An exception nothing caught (the main thread would have printed its trace and exited 1).
    worker.on("error", (error: Error) => {
      if (stopping !== null) return;
      process.stderr.write(`exitlab: internal error — please report it with this trace\n${error.stack ?? String(error)}\n`);
      exitCode = 1;
    });
    worker.on("exit", (code) => {
      touching?.stop();
      if (stopping !== null) return;
      process.exitCode = exitCode ?? code;
      resolve();
    });
    early?.replayEarlyEvents();
  });
}

/** Removes what a stopped worker left of its writes: only the work folders and temporary files it created, named as such. */
function removeWorkFolders(paths: ReadonlySet<string>): void {
  for (const path of paths) {
    if (!basename(path).includes(`.tmp-${process.pid}`)) continue;
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Left for the next run's left-over clean-up (README "Safety").
    }
  }
}

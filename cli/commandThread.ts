/**
 * The worker thread that runs a computing command (runWorker.ts), started as early as the
 * process can: bin/exitlab.js starts it before it loads the CLI's own code, so that the new
 * thread boots (~50 ms: a V8 isolate and Node's bootstrap) and compiles its code from the code
 * cache on the second core while the main thread loads the shell (interruptShell.ts) and works
 * out the run's data size. The thread then waits for its start data (`WorkerStart`), which the
 * shell posts once it has them. Measured on the peer workload: the start-up phase ~15 ms
 * shorter (README "Performance").
 *
 * This file is imported by the launcher straight from dist/cli/ (plain JavaScript after tsc,
 * Node built-ins only) and by the shell from its bundle: two copies of the module, which share
 * the started thread through `globalThis`, not through module state.
 */
import { existsSync } from "node:fs";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type TransferListItem } from "node:worker_threads";

/** The commands that run in the worker thread (the others — help, sweep, the queue worker, the Binance download — run on the main thread). */
const WORKER_COMMANDS = ["backtest", "compare", "tiers", "regress", "lookahead", "walkforward", "montecarlo", "data synth", "data predictions"];

/**
 * The command thread's young generation, MB (Node's default for a thread is 48: semi-spaces of
 * 16 MB). A run's short-lived garbage needs no more: with the default, each scavenge cycle
 * moves through fresh memory, and on this project's VM every first touch of a page is a page
 * fault. Measured on the peer workload (README "Performance"): ~5,000 fewer page faults and
 * 918 → 871 ms median (10 interleaved runs each); 8 and 12 MB were as good, 32 MB no better
 * than the default. Set per thread (resourceLimits), not as a V8 flag, which would make V8
 * reject the code cache.
 */
const COMMAND_YOUNG_GENERATION_MB = 16;

/** Whether `args` run in the command thread: a computing command, not its help, unless EXITLAB_IN_PROCESS=1. */
export function runsInCommandThread(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const words = args.filter((arg) => !arg.startsWith("-"));
  const command = words[0] === "data" ? `data ${words[1] ?? ""}` : words[0];
  const help = args.some((arg) => arg === "--help" || arg === "-h");
  return !help && command !== undefined && WORKER_COMMANDS.includes(command) && env.EXITLAB_IN_PROCESS !== "1";
}

/**
 * The thread's entry for the CLI whose main module is at `main`: in the bundle (cli/bundle.mjs),
 * the loader that compiles the worker's code from V8's code cache; in the tsc output,
 * runWorker.js itself.
 */
export function commandThreadEntry(main: URL): URL {
  const loader = new URL("./workerLoader.cjs", main);
  return existsSync(loader) ? loader : new URL("./runWorker.js", main);
}

/** What a thread started ahead of its start data carries as `workerData`: where to wait for them. */
export interface EarlyStart {
  readonly early: {
    /** Int32 word 0 becomes 1 once the start data are on `port`. */
    readonly ready: SharedArrayBuffer;
    readonly port: MessagePort;
  };
}

/** A started command thread and how to give it its start data. */
export interface CommandThread {
  readonly worker: Worker;
  /** Posts the start data (the thread is waiting for them), transferring `transfer`. */
  begin(start: unknown, transfer: readonly TransferListItem[]): void;
  /** Hands the thread's "error" and "exit" events that came before the shell listened to the shell's listeners, once they are attached. */
  replayEarlyEvents(): void;
}

const HANDOFF = Symbol.for("exitlab.commandThread");
type Handoff = { [HANDOFF]?: CommandThread };

/**
 * Starts the command thread for `args` now, if they run in one, and leaves it for the shell
 * (`takeCommandThread`). Unref'd until then: a process that ends before the shell takes the
 * thread (an error in the flags the shell reports itself) is not kept alive by it.
 */
export function startCommandThreadEarly(main: URL, args: readonly string[], env: NodeJS.ProcessEnv): void {
  if (!runsInCommandThread(args, env)) return;
  const ready = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const early: EarlyStart = { early: { ready, port: port2 } };
  const worker = startCommandThread(main, early, [port2]);
  worker.unref();
  // An error or exit before the shell listens (the thread's code missing or broken) is kept for it, not thrown here.
  const pending: Array<readonly ["error" | "exit", unknown]> = [];
  const onError = (error: unknown): void => void pending.push(["error", error]);
  const onExit = (code: unknown): void => void pending.push(["exit", code]);
  worker.on("error", onError).on("exit", onExit);
  (globalThis as Handoff)[HANDOFF] = {
    worker,
    begin(start, transfer) {
      worker.ref();
      port1.postMessage(start, transfer);
      port1.close();
      const word = new Int32Array(ready);
      Atomics.store(word, 0, 1);
      Atomics.notify(word, 0);
    },
    replayEarlyEvents() {
      worker.off("error", onError).off("exit", onExit);
      for (const [event, value] of pending.splice(0)) worker.emit(event, value);
    },
  };
}

/** The thread `startCommandThreadEarly` started, once (null when there is none). */
export function takeCommandThread(): CommandThread | null {
  const handoff = globalThis as Handoff;
  const thread = handoff[HANDOFF] ?? null;
  delete handoff[HANDOFF];
  return thread;
}

/** Starts the command thread with `workerData` — its start data, or where to wait for them (`EarlyStart`). */
export function startCommandThread(main: URL, workerData: unknown, transfer: readonly TransferListItem[]): Worker {
  return new Worker(commandThreadEntry(main), {
    workerData, transferList: [...transfer], resourceLimits: { maxYoungGenerationSizeMb: COMMAND_YOUNG_GENERATION_MB },
  });
}

/**
 * The start data in the command thread: its `workerData`, or — for a thread started ahead —
 * the message it waits for (synchronously: nothing else can happen in the thread before), with
 * how long it waited (EXITLAB_TIMINGS: 0 means the shell was ready first).
 */
export function receiveStart<T>(workerData: unknown): { readonly start: T; readonly waitedMs: number | null } {
  const early = (workerData as Partial<EarlyStart> | null)?.early;
  if (early === undefined) return { start: workerData as T, waitedMs: null };
  const from = performance.now();
  Atomics.wait(new Int32Array(early.ready), 0, 0);
  const waitedMs = performance.now() - from;
  const received = receiveMessageOnPort(early.port);
  early.port.close();
  if (received === undefined) throw new Error("cli/commandThread.js: the shell signalled the start data but none came");
  return { start: received.message as T, waitedMs };
}

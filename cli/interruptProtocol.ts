/**
 * What the CLI's shell (interruptShell.ts) and the worker thread running a command
 * (runWorker.ts) share: the phase word both change atomically, the data the worker starts
 * with, and the messages it sends.
 */
import type { MessagePort } from "node:worker_threads";

/** The phase word (`Int32Array` over `WorkerStart.control`, index 0). */
export const RUNNING = 0;
/** The worker is renaming a finished write into place: a signal waits for it (reports/commitGate.ts). */
export const COMMITTING = 1;
/** The shell is terminating the worker. */
export const STOPPING = 2;
/** A signal came during a commit: the worker asks to be stopped once it is done. */
export const STOP_AFTER_COMMIT = 3;

/** The output thread's shared words (`Int32Array` over `OutputThreadLink.answers`): how many answers it has posted… */
export const OUTPUT_ANSWERS = 0;
/** …and 1 once it has ended (it crashed; no further answer will come). */
export const OUTPUT_THREAD_ENDED = 1;

/** How the worker reaches the output thread (cli/outputThread.ts): a port of their own and the words it waits on. */
export interface OutputThreadLink {
  readonly port: MessagePort;
  readonly answers: SharedArrayBuffer;
}

export interface WorkerStart {
  readonly args: readonly string[];
  readonly control: SharedArrayBuffer;
  readonly callSite: SharedArrayBuffer;
  /** The shell's `performance.timeOrigin`: EXITLAB_TIMINGS counts from the process's start. */
  readonly timeOrigin: number;
  readonly stderrIsTTY: boolean;
  readonly stderrColumns: number | undefined;
  /** The worker's end of the output thread's channel (backtest, tiers), if it may have one. */
  readonly output?: OutputThreadLink;
  /** Memory whose pages the shell touches while the worker starts, for its large columns (cli/prefault.ts), if any. */
  readonly prefaulted?: SharedArrayBuffer;
}

export type WorkerMessage =
  | { readonly kind: "out" | "err"; readonly text: string }
  /** A work folder or temporary file the shell removes if the run is stopped. */
  | { readonly kind: "created"; readonly path: string }
  /** An output is in place (the user's name for it). */
  | { readonly kind: "written"; readonly path: string }
  /** The command ended with this exit code. */
  | { readonly kind: "done"; readonly code: number }
  /** A commit a signal waited for is done: terminate now. */
  | { readonly kind: "stop" }
  /** This run is large enough for the output thread: start it (cli/outputThread.ts). */
  | { readonly kind: "output thread" };

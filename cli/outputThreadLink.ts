/**
 * The worker's side of the output thread (outputThread.ts): `fileWriterOver` posts a file's
 * task to the thread and returns a function that later waits for its answer — the sha256 of
 * the file it wrote, or the error it met — without the event loop (the worker is busy in
 * synchronous code, rendering report.html): on a shared counter of answers the thread bumps
 * after each one it posts.
 */
import { receiveMessageOnPort } from "node:worker_threads";
import { equityColumnsOf, mapEquityColumns } from "../engine/index.js";
import type { FileTask } from "../reports/fileTasks.js";
import type { FileWriterElsewhere } from "../reports/outputElsewhere.js";
import { OUTPUT_ANSWERS, OUTPUT_THREAD_ENDED, type OutputThreadLink } from "./interruptProtocol.js";
import { phaseClock } from "./timings.js";

/**
 * The bars from which a run's files are worth a thread: below, its CSVs take a few
 * milliseconds and the thread's start-up (~30 ms of a core) and the copy of their data would
 * cost more than they save.
 */
export const OUTPUT_THREAD_MIN_BARS = 50_000;

let offer: (() => void) | null = null;

/** runWorker.ts: how this worker has the output thread started (once); none outside the CLI's worker. */
export function offerOutputThread(start: () => void): void {
  offer = start;
}

/**
 * The run's data is loaded: with at least OUTPUT_THREAD_MIN_BARS bars (any number with
 * EXITLAB_OUTPUT_THREAD=1), its larger files are written on the output thread, started now.
 */
export function useOutputThreadFor(bars: number, env: NodeJS.ProcessEnv): void {
  if (offer === null || (bars < OUTPUT_THREAD_MIN_BARS && env.EXITLAB_OUTPUT_THREAD !== "1")) return;
  offer();
  offer = null;
}

/** A file for the thread to write; `seq` counts the tasks from 1. */
export interface OutputTask {
  readonly seq: number;
  readonly task: FileTask;
  readonly path: string;
}

/** What the thread posts back for task `seq`: the file's sha256 and the time it took, or its error. */
export type OutputAnswer = { readonly seq: number; readonly sha256: string; readonly ms: number } | { readonly seq: number; readonly error: string };

/**
 * `task` as it is posted: a structured clone copies a typed array's whole underlying buffer,
 * so a curve column that is a view into a larger one — the time column of bars read from a
 * cache file, which is the file's buffer — is sent as a copy of its own values. The engine
 * does not copy it for every run (engine/timeline.ts); the copy is made only here, when a
 * thread needs it.
 */
export function postableTask(task: FileTask): FileTask {
  if (!("curve" in task) || equityColumnsOf(task.curve).every(postsItself)) return task;
  return { ...task, curve: mapEquityColumns(task.curve, task.curve.length, (column) => (postsItself(column) ? column : column.slice())) };
}

/** Whether posting `column` sends only its own values: it is its whole buffer, or a view into shared memory (engine/freshMemory.ts), which is shared, not copied. */
function postsItself(column: Float64Array): boolean {
  return column.buffer instanceof SharedArrayBuffer || (column.byteOffset === 0 && column.byteLength === column.buffer.byteLength);
}

export function fileWriterOver(link: OutputThreadLink): FileWriterElsewhere {
  const word = new Int32Array(link.answers);
  const answers = new Map<number, OutputAnswer>();
  let posted = 0;
  const take = (seq: number): { sha256: string; ms: number } | null => {
    for (let message = receiveMessageOnPort(link.port); message !== undefined; message = receiveMessageOnPort(link.port)) {
      const answer = message.message as OutputAnswer;
      answers.set(answer.seq, answer);
    }
    const answer = answers.get(seq);
    if (answer === undefined) return null;
    answers.delete(seq);
    if ("error" in answer) throw new Error(`the output thread could not write the file:\n${answer.error}`);
    return answer;
  };
  return (task, path) => {
    if (Atomics.load(word, OUTPUT_THREAD_ENDED) !== 0) throw new Error(`the output thread has ended; ${task.kind} was not written`);
    const seq = ++posted;
    const message: OutputTask = { seq, task: postableTask(task), path };
    link.port.postMessage(message);
    return () => {
      for (;;) {
        const seen = Atomics.load(word, OUTPUT_ANSWERS);
        const answer = take(seq);
        if (answer !== null) {
          phaseClock.elsewhere(task.kind, answer.ms);
          return answer.sha256;
        }
        if (Atomics.load(word, OUTPUT_THREAD_ENDED) !== 0) throw new Error(`the output thread ended before it wrote ${task.kind}`);
        Atomics.wait(word, OUTPUT_ANSWERS, seen);
      }
    };
  };
}

/**
 * What two threads can gain on this machine at all, printed next to the sweep's speed-up
 * (scenario s): the same fixed amount of work done by one worker thread and split over two,
 * interleaved, for two loops — one whose array stays in the core's cache (512 KiB) and one that
 * streams a 15.3 MiB array through memory on every pass, as a replay streams its bar columns.
 * Where two cores share a memory system (or are two threads of one core) the second loop
 * gains less than 2×, and even the first pays for starting its threads. A sweep's cells lie
 * between the two: they stream bar columns, but do more work per byte than this loop.
 *
 * The kernel runs in worker threads started from this file (`workerData.ceiling`), as the
 * sweep's cells do.
 */
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";

export interface CeilingResult {
  readonly kernel: "cache-resident" | "memory-streaming";
  readonly arrayBytes: number;
  /** Median wall ms of the whole work on one thread and split over two. */
  readonly oneThreadMs: number;
  readonly twoThreadsMs: number;
  readonly speedup: number;
  readonly speedups: number[];
}

interface KernelTask {
  readonly ceiling: true;
  readonly length: number;
  readonly passes: number;
}

/** Array length (float64) and passes for ~1.5 s of one thread's work on a ~3 GHz core. */
const KERNELS = [
  { kernel: "cache-resident", length: 65_536, passes: 20_000 },
  { kernel: "memory-streaming", length: 2_000_000, passes: 650 },
] as const;
const REPEATS = 3;

function kernel(length: number, passes: number): number {
  const values = new Float64Array(length);
  let sum = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < length; i++) {
      values[i] = values[i] * 0.999 + i;
      sum += values[i];
    }
  }
  return sum;
}

if (!isMainThread && (workerData as Partial<KernelTask> | null)?.ceiling === true) {
  const task = workerData as KernelTask;
  parentPort?.postMessage(kernel(task.length, task.passes));
}

/** Wall ms for `passes` passes over `length` values split over `threads` worker threads. */
function timeThreads(threads: number, length: number, passes: number): Promise<number> {
  const started = performance.now();
  const file = fileURLToPath(import.meta.url);
  const runs = Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
    const task: KernelTask = { ceiling: true, length, passes: Math.round(passes / threads) };
    const worker = new Worker(file, { workerData: task });
    worker.once("message", () => resolve());
    worker.once("error", reject);
  }));
  return Promise.all(runs).then(() => performance.now() - started);
}

export async function measureTwoThreadCeiling(): Promise<CeilingResult[]> {
  const results: CeilingResult[] = [];
  for (const { kernel: name, length, passes } of KERNELS) {
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      one.push(await timeThreads(1, length, passes));
      two.push(await timeThreads(2, length, passes));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    results.push({
      kernel: name, arrayBytes: length * 8, oneThreadMs: median(one), twoThreadsMs: median(two),
      speedup: median(one) / median(two), speedups: one.map((ms, i) => ms / two[i]),
    });
  }
  return results;
}

export function formatCeiling(results: readonly CeilingResult[]): string {
  const lines = ["(s) this machine's two-thread ceiling: the same work on 1 worker thread and split over 2"];
  for (const result of results) {
    const size = result.arrayBytes >= 1 << 20 ? `${(result.arrayBytes / (1 << 20)).toFixed(1)} MiB` : `${(result.arrayBytes / 1024).toFixed(0)} KiB`;
    lines.push(`  ${`${result.kernel} (${size})`.padEnd(28)} ${(result.oneThreadMs / 1000).toFixed(2)} s → ${(result.twoThreadsMs / 1000).toFixed(2)} s`
      + `   ${result.speedup.toFixed(2)}× (pairs: ${result.speedups.map((x) => `${x.toFixed(2)}×`).join(", ")})`);
  }
  return `${lines.join("\n")}\n\n`;
}

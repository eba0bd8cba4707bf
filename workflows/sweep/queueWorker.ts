import type { RunConfig } from "../../strategies/config.js";
import { Queue, Worker, type Job } from "bullmq";
import { dataWindowOf } from "../../data/dataWindow.js";
import { loadMarketData, type MarketDataCacheOptions } from "../../data/index.js";
import { DataError } from "../../engine/index.js";
import { configSchema } from "../../strategies/config.js";
import { locateSample } from "../packageInfo.js";
import { beforeRecord, processLabel } from "./processHooks.js";
import { createCellPool } from "./cellPool.js";
import type { CellOutcome } from "./cellRunner.js";
import { canonicalJson } from "./grid.js";
import {
  JOB_FORMAT, connectionOf, probeRedis, queueNameOf, type CellJobData, type CellJobResult,
} from "./queueProtocol.js";
import { shareMarketData, type SharedMarketData } from "./sharedData.js";
import { segmentFromJob, WINDOW_JOB_FORMAT, type WindowJobData, type WindowJobResult } from "../walkforward/queueWindowPool.js";
import { createWindowPool, type WindowPool } from "../walkforward/windowPool.js";

/**
 * `exitlab worker --queue`: takes sweep cells (and walk-forward in-sample cells) from the BullMQ queue and runs them on this
 * machine's cores (the same piscina pool as a local sweep), loading the data itself from the
 * paths in each job's config — so the data must be reachable at the same absolute paths on
 * every worker machine; a worker that reads different bytes refuses the job.
 *
 * A worker that dies mid-job holds the job's lock until `lockDurationMs` passes; then the
 * stalled-job check of another worker (every `stalledIntervalMs`) puts the job back in the
 * queue. The defaults (30 s) suit real sweeps; tests pass short ones.
 */

export interface QueueWorkerOptions {
  readonly queue: unknown;
  readonly sweepId: unknown;
  /** Cells run at once (threads of the pool, and BullMQ concurrency). */
  readonly threads: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** Stop once the queue holds no unfinished job (and has finished at least one). */
  readonly exitWhenDrained: boolean;
  /** One line per event (start, cell started, cell finished, stop). */
  readonly log: (line: string) => void;
  /** Stops the worker (after its running cells) when aborted. */
  readonly signal?: AbortSignal;
  /** The columnar cache the data is loaded through (the CLI's --cache-dir); null or absent: parse the files. */
  readonly cache?: MarketDataCacheOptions | null;
}

const UNFINISHED_STATES = ["waiting", "active", "delayed", "prioritized", "paused", "waiting-children"] as const;

/** A cell's outcome as the queue carries it (JSON): its daily returns, a Float64Array from the thread, as a plain array. */
function asJsonOutcome(outcome: CellOutcome): CellOutcome {
  return outcome.status === "done" && outcome.dailyReturns instanceof Float64Array ? { ...outcome, dailyReturns: Array.from(outcome.dailyReturns) } : outcome;
}

export async function runQueueWorker(options: QueueWorkerOptions): Promise<{ processed: number }> {
  const name = queueNameOf(options.sweepId);
  const connection = connectionOf(options.queue);
  await probeRedis(connection, "--queue");
  const ranBy = processLabel();
  const pool = createCellPool(options.threads);
  const loadData = sharedDataLoader(options.cache ?? null);
  let processed = 0;

  let windowPool: WindowPool | null = null;
  const processWindowCell = async (job: Job<WindowJobData, WindowJobResult>): Promise<WindowJobResult> => {
    const { cellId, dataHash, label } = job.data;
    options.log(`walk-forward cell ${cellId} (${label}) started (attempt ${job.attemptsStarted})`);
    const config = configSchema.parse(job.data.config);
    const data = await loadData(config.data);
    if (data.hash !== dataHash) {
      throw new DataError("the data loaded on this worker differs from the data the walk-forward was started with", config.data.paths.join(", "),
        "make the same files reachable at the same paths on every worker machine");
    }
    windowPool ??= createWindowPool(options.threads);
    const run = await windowPool.run({ cellId, config, data, segment: segmentFromJob(job.data.segment), label });
    beforeRecord();
    processed += 1;
    options.log(`walk-forward cell ${cellId} (${label}) ${run.outcome.status} in ${run.elapsedMs} ms`);
    return { format: WINDOW_JOB_FORMAT, cellId, outcome: run.outcome, ranBy, elapsedMs: run.elapsedMs };
  };

  const processCell = async (job: Job<CellJobData, CellJobResult>): Promise<CellJobResult> => {
    if ((job.data as { format: string }).format === WINDOW_JOB_FORMAT) {
      return processWindowCell(job as unknown as Job<WindowJobData, WindowJobResult>) as unknown as CellJobResult;
    }
    const { format, cellId, sweepHash, dataHash } = job.data;
    if (format !== JOB_FORMAT) throw new Error(`job ${job.id} is not an exitlab sweep cell (format ${String(format)})`);
    options.log(`cell ${cellId} started (attempt ${job.attemptsStarted})`);
    const config = configSchema.parse(job.data.config);
    const data = await loadData(config.data);
    if (data.hash !== dataHash) {
      throw new DataError("the data loaded on this worker differs from the data the sweep was started with", config.data.paths.join(", "),
        "make the same files reachable at the same paths on every worker machine");
    }
    const run = await pool.run({ cellId, config, data });
    beforeRecord();
    processed += 1;
    options.log(`cell ${cellId} ${run.outcome.status} in ${run.elapsedMs} ms`);
    return { format: JOB_FORMAT, sweepHash, cellId, outcome: asJsonOutcome(run.outcome), ranBy, elapsedMs: run.elapsedMs };
  };

  const worker = new Worker<CellJobData, CellJobResult>(name, processCell, {
    connection, concurrency: options.threads, autorun: false,
    lockDuration: options.lockDurationMs, stalledInterval: options.stalledIntervalMs,
    // A cell may be caught by a worker death more than once before it is called failed.
    maxStalledCount: 3,
  });
  worker.on("error", (error) => options.log(`worker error: ${error.message}`));
  worker.on("failed", (job, error) => options.log(`cell ${job?.id ?? "?"} failed: ${error.message}`));
  const stop = (): void => void worker.close();
  options.signal?.addEventListener("abort", stop, { once: true });
  const drainCheck = options.exitWhenDrained ? watchForDrain(name, connection, stop) : null;
  options.log(`worker ${ranBy} on queue ${name}, ${options.threads} thread${options.threads === 1 ? "" : "s"}`);
  try {
    await worker.run();
  } finally {
    options.signal?.removeEventListener("abort", stop);
    await drainCheck?.close();
    await pool.close();
    await (windowPool as WindowPool | null)?.close();
  }
  options.log(`worker ${ranBy} stopped after ${processed} cell${processed === 1 ? "" : "s"}`);
  return { processed };
}

/** Calls `stop` once the queue has finished jobs and none unfinished (waiting, active, delayed …). */
function watchForDrain(name: string, connection: ReturnType<typeof connectionOf>, stop: () => void): { close(): Promise<void> } {
  const queue = new Queue(name, { connection });
  queue.on("error", () => undefined);
  const timer = setInterval(() => {
    void queue.getJobCounts(...UNFINISHED_STATES, "completed", "failed").then((counts) => {
      const unfinished = UNFINISHED_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
      if (unfinished === 0 && (counts.completed ?? 0) + (counts.failed ?? 0) > 0) stop();
    }, () => undefined);
  }, 1_000);
  return {
    close: async () => {
      clearInterval(timer);
      await queue.close();
    },
  };
}

/** Loads (once per data section) and shares a job's data; the last few data sets stay cached. */
function sharedDataLoader(dataCache: MarketDataCacheOptions | null): (section: RunConfig["data"]) => Promise<SharedMarketData> {
  const cache = new Map<string, Promise<SharedMarketData>>();
  return (section) => {
    const key = canonicalJson(section);
    let loaded = cache.get(key);
    if (loaded === undefined) {
      loaded = loadMarketData({ paths: section.paths.map(locateSample), fundingPaths: section.funding, detailPaths: section.detail, markPaths: section.mark, cache: dataCache, window: dataWindowOf(section) }).then(shareMarketData);
      loaded.catch(() => cache.delete(key));
      cache.set(key, loaded);
      if (cache.size > 2) cache.delete(cache.keys().next().value as string);
    }
    return loaded;
  };
}

import { Queue, QueueEvents } from "bullmq";
import { ExitlabError } from "../../engine/index.js";
import type { RunConfig } from "../../strategies/config.js";
import type { CellOutcome, CellRun } from "../sweep/cellRunner.js";
import { canonicalJson, sha256Hex } from "../sweep/grid.js";
import { withAbsolutePaths } from "../sweep/portableConfig.js";
import { connectionOf, jobValueOf, probeRedis, queueNameOf } from "../sweep/queueProtocol.js";
import type { Segment } from "./segment.js";
import type { WindowCellTask } from "./windowCell.js";
import type { WindowPool } from "./windowPool.js";

/**
 * `exitlab walkforward --queue`: the in-sample cells of every window as BullMQ jobs on the
 * sweep's queue, run by `exitlab worker`s (workflows/sweep/queueWorker.ts) exactly as the local
 * pool runs them (`runWindowCell`), so the folder is byte-identical to a local walk-forward.
 * A job's id is a hash of the data, the window's training part and the cell's config (without its
 * output folder): a cell is
 * enqueued once, and a walk-forward started again finds the cells finished meanwhile. Workers
 * load the data themselves (from absolute paths) and refuse a job whose data hash differs.
 */

export const WINDOW_JOB_FORMAT = "exitlab/walkforward-cell/v1";

export interface WindowJobData {
  readonly format: typeof WINDOW_JOB_FORMAT;
  readonly dataHash: string;
  readonly cellId: string;
  /** The cell's config, data paths made absolute. */
  readonly config: unknown;
  /** The training part; a warm-up from the data's first bar (−∞) travels as null (JSON has no infinity). */
  readonly segment: { readonly warmFromMs: number | null; readonly fromMs: number; readonly toMs: number };
  readonly label: string;
}

export interface WindowJobResult {
  readonly format: typeof WINDOW_JOB_FORMAT;
  readonly cellId: string;
  readonly outcome: CellOutcome;
  readonly ranBy: string;
  readonly elapsedMs: number;
}

/** How often the coordinator looks in Redis for results it might have missed as events. */
const RECONCILE_MS = 3_000;

/** The segment as a job carries it, and back. */
export const segmentToJob = (segment: Segment): WindowJobData["segment"] =>
  ({ warmFromMs: Number.isFinite(segment.warmFromMs) ? segment.warmFromMs : null, fromMs: segment.fromMs, toMs: segment.toMs });
export const segmentFromJob = (segment: WindowJobData["segment"]): Segment =>
  ({ warmFromMs: segment.warmFromMs === null ? -Infinity : segment.warmFromMs, fromMs: segment.fromMs, toMs: segment.toMs });

export async function createQueueWindowPool(queueUrl: unknown, sweepId: unknown): Promise<WindowPool> {
  const name = queueNameOf(sweepId);
  const connection = connectionOf(queueUrl);
  await probeRedis(connection, "--queue");
  const queue = new Queue<WindowJobData, WindowJobResult>(name, { connection });
  const events = new QueueEvents(name, { connection });
  const waiting = new Map<string, { resolve: (run: CellRun) => void; reject: (error: unknown) => void }>();
  const failAll = (error: Error): void => {
    for (const [jobId, entry] of waiting) {
      waiting.delete(jobId);
      entry.reject(new ExitlabError("USAGE_INVALID", `lost the Redis connection: ${error.message}`, "--queue", "check that redis-server is running, then run the walk-forward again"));
    }
  };
  queue.on("error", failAll);
  events.on("error", failAll);
  await events.waitUntilReady();

  const settle = (jobId: string, value: unknown): void => {
    const entry = waiting.get(jobId);
    const result = parseWindowResult(value);
    if (entry === undefined || result === null) return;
    waiting.delete(jobId);
    entry.resolve({ outcome: result.outcome, elapsedMs: result.elapsedMs });
  };
  const check = async (jobId: string): Promise<void> => {
    const job = await queue.getJob(jobId);
    if (job === undefined || !waiting.has(jobId)) return;
    if (job.returnvalue !== null && job.returnvalue !== undefined) return settle(jobId, job.returnvalue);
    if (job.finishedOn !== undefined && job.failedReason && (await job.getState()) === "failed") {
      const entry = waiting.get(jobId);
      waiting.delete(jobId);
      entry?.reject(new ExitlabError("STRATEGY_FAILED", `walk-forward cell ${job.data.cellId} (${job.data.label}) failed on a worker after its retries: ${job.failedReason}`, name,
        "fix the cause shown in that worker's output, then run the walk-forward again (finished cells are kept in the queue)"));
    }
  };
  events.on("completed", ({ jobId, returnvalue }) => settle(jobId, returnvalue));
  events.on("failed", ({ jobId }) => void check(jobId).catch(failAll));
  const timer = setInterval(() => {
    for (const jobId of [...waiting.keys()]) void check(jobId).catch(failAll);
  }, RECONCILE_MS);

  return {
    threads: 0,
    where: `on the queue ${name}`,
    run: (task: WindowCellTask) => new Promise<CellRun>((resolve, reject) => {
      const config = withAbsolutePaths(task.config as RunConfig);
      const segment = segmentToJob(task.segment);
      // The output folder is not part of a cell's work (in-sample cells write no files): a walk-forward into another --out finds the same jobs.
      const { output: _output, ...work } = config;
      const jobId = sha256Hex(canonicalJson({ format: WINDOW_JOB_FORMAT, dataHash: task.data.hash, segment, config: work })).slice(0, 40);
      waiting.set(jobId, { resolve, reject });
      const data: WindowJobData = { format: WINDOW_JOB_FORMAT, dataHash: task.data.hash, cellId: task.cellId, config, segment, label: task.label };
      queue.add("window-cell", data, { jobId, attempts: 3, backoff: { type: "fixed", delay: 1_000 }, removeOnComplete: false, removeOnFail: false })
        .then(() => check(jobId))
        .catch((error: unknown) => {
          waiting.delete(jobId);
          reject(error);
        });
    }),
    close: async () => {
      clearInterval(timer);
      await events.close();
      await queue.close();
    },
  };
}

/** A window job's return value, or null when it is not one. */
function parseWindowResult(value: unknown): WindowJobResult | null {
  const result = jobValueOf(value) as Partial<WindowJobResult> | null;
  return result !== null && result.format === WINDOW_JOB_FORMAT && typeof result.outcome === "object" ? (result as WindowJobResult) : null;
}

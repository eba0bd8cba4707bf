import { Queue, QueueEvents, type JobType } from "bullmq";
import { ConfigError, ExitlabError } from "../../engine/index.js";
import type { CellRecord } from "./cellLog.js";
import type { ReadyCell } from "./grid.js";
import {
  JOB_FORMAT, connectionOf, parseJobResult, probeRedis, queueNameOf, type CellJobData, type CellJobResult,
} from "./queueProtocol.js";

/**
 * The coordinator of a distributed sweep (`exitlab sweep --queue`): enqueues the cells on a
 * BullMQ queue — job id = cell id, so a cell is enqueued once — and collects the return values
 * as workers finish them. Results are deduplicated by cell id: a cell retried after its
 * worker died counts once. Jobs stay in Redis after completion, so a coordinator that is
 * stopped and started again collects the cells finished meanwhile.
 */

export interface QueueSweepOptions {
  readonly queue: unknown;
  readonly sweepId: unknown;
  readonly sweepHash: string;
  readonly dataHash: string;
  /** Cells still to run; each job's config must carry absolute data paths. */
  readonly cells: readonly ReadyCell[];
  /** Empty a queue that holds another sweep's jobs instead of failing. */
  readonly force: boolean;
  readonly onFinished: (record: CellRecord) => void;
  readonly onWaiting: (queueName: string) => void;
}

const ALL_STATES: JobType[] = ["waiting", "active", "delayed", "prioritized", "paused", "waiting-children", "completed", "failed"];
/** How often the coordinator checks the queue for results it might have missed as events. */
const RECONCILE_MS = 3_000;

export async function runCellsOnQueue(options: QueueSweepOptions): Promise<void> {
  if (options.cells.length === 0) return;
  const name = queueNameOf(options.sweepId);
  const connection = connectionOf(options.queue);
  await probeRedis(connection, "--queue");
  const queue = new Queue<CellJobData, CellJobResult>(name, { connection });
  const events = new QueueEvents(name, { connection });
  let connectionError: Error | null = null;
  queue.on("error", (error) => { connectionError = error; });
  events.on("error", (error) => { connectionError = error; });
  const pending = new Map(options.cells.map((cell) => [cell.cellId, cell]));
  let timer: NodeJS.Timeout | undefined;
  let lastResultMs = Date.now();
  try {
    await events.waitUntilReady();
    await claimQueue(queue, options.sweepHash, options.force, name);
    await new Promise<void>((resolve, reject) => {
      const settle = (value: unknown): void => {
        const result = parseJobResult(value);
        if (result === null || result.sweepHash !== options.sweepHash || !pending.has(result.cellId)) return;
        const cell = pending.get(result.cellId) as ReadyCell;
        pending.delete(result.cellId);
        lastResultMs = Date.now();
        try {
          options.onFinished({ cellId: cell.cellId, values: cell.values, outcome: result.outcome, ranBy: result.ranBy, elapsedMs: result.elapsedMs });
        } catch (error) {
          reject(error);
        }
        if (pending.size === 0) resolve();
      };
      const fail = (jobId: string, reason: string): void => {
        reject(new ExitlabError("STRATEGY_FAILED", `cell ${jobId} failed on a worker after its retries: ${reason}`, name,
          "fix the cause shown in that worker's output, then run the sweep again (finished cells are kept; failed jobs are retried)"));
      };
      events.on("completed", ({ returnvalue }) => settle(returnvalue));
      events.on("failed", ({ jobId }) => {
        void queue.getJob(jobId).then(async (job) => {
          if (job !== undefined && pending.has(jobId) && (await job.getState()) === "failed") fail(jobId, job.failedReason);
        }, reject);
      });
      // Catch-up: results that finished before we listened (an earlier coordinator), or events
      // missed in between. Run at the start and whenever no result has arrived for a while.
      let reconciling = false;
      const reconcile = async (): Promise<void> => {
        if (connectionError !== null) throw new ConfigError(`lost the Redis connection: ${(connectionError as Error).message}`, "--queue");
        if (reconciling) return;
        reconciling = true;
        try {
          const ids = [...pending.keys()];
          for (let start = 0; start < ids.length; start += 200) {
            const jobs = await Promise.all(ids.slice(start, start + 200).map((id) => queue.getJob(id)));
            for (const job of jobs) {
              if (job === undefined || job.id === undefined) continue;
              if (job.returnvalue !== null && job.returnvalue !== undefined) settle(job.returnvalue);
              else if (job.finishedOn !== undefined && job.failedReason && (await job.getState()) === "failed") fail(job.id, job.failedReason);
            }
          }
        } finally {
          reconciling = false;
        }
      };
      const start = async (): Promise<void> => {
        timer = setInterval(() => {
          if (Date.now() - lastResultMs >= RECONCILE_MS) void reconcile().catch(reject);
        }, RECONCILE_MS / 3);
        await retryFailedJobs(queue, pending);
        await queue.addBulk(options.cells.map((cell) => ({
          name: "cell",
          data: {
            format: JOB_FORMAT, sweepHash: options.sweepHash, dataHash: options.dataHash,
            cellId: cell.cellId, values: cell.values, config: cell.config,
          },
          opts: { jobId: cell.cellId, attempts: 3, backoff: { type: "fixed", delay: 1_000 }, removeOnComplete: false, removeOnFail: false },
        })));
        options.onWaiting(name);
        await reconcile();
      };
      start().catch(reject);
    });
  } finally {
    clearInterval(timer);
    await events.close();
    await queue.close();
  }
}

/**
 * Fails on jobs of another sweep in the queue: results of two sweeps must not mix. With --force
 * the queue is emptied whatever it holds, so the sweep starts afresh (its own finished jobs too).
 */
async function claimQueue(queue: Queue<CellJobData, CellJobResult>, sweepHash: string, force: boolean, name: string): Promise<void> {
  const jobs = await queue.getJobs(ALL_STATES, 0, -1);
  const foreign = jobs.find((job) => job !== undefined && job.data?.sweepHash !== sweepHash);
  if (foreign !== undefined && !force) {
    throw new ConfigError(`the queue ${name} holds jobs of another sweep (job ${foreign.id})`, "--sweep-id",
      "pass another --sweep-id (and the same to its workers), or --force to empty that queue");
  }
  if (force && jobs.length > 0) await queue.obliterate({ force: true });
}

/** Failed jobs of this sweep from an earlier attempt go back to the queue (their ids would block a new add). */
async function retryFailedJobs(queue: Queue<CellJobData, CellJobResult>, pending: ReadonlyMap<string, ReadyCell>): Promise<void> {
  for (const job of await queue.getJobs(["failed"], 0, -1)) {
    if (job !== undefined && job.id !== undefined && pending.has(job.id)) await job.retry("failed");
  }
}

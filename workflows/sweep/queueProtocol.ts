import { connect } from "node:net";
import type { ConnectionOptions } from "bullmq";
import { ConfigError } from "../../engine/index.js";
import type { CellOutcome } from "./cellRunner.js";
import type { CellValues } from "./grid.js";

/**
 * What `exitlab sweep --queue` and `exitlab worker --queue` agree on: the Redis connection,
 * the BullMQ queue's name, and the shape of a job and of its return value. One queue per
 * sweep id; one job per cell, its job id the cell id, so a cell is enqueued once however often
 * the sweep is started.
 */

export const JOB_FORMAT = "exitlab/sweep-job/v1";
export const DEFAULT_SWEEP_ID = "default";

export interface CellJobData {
  readonly format: typeof JOB_FORMAT;
  /** Identity of the sweep (grid and base hash): a job of another sweep is never mixed in. */
  readonly sweepHash: string;
  /** The data the coordinator loaded; a worker that loads different bytes refuses the job. */
  readonly dataHash: string;
  readonly cellId: string;
  readonly values: CellValues;
  /** The cell's resolved config, data paths made absolute. */
  readonly config: unknown;
}

export interface CellJobResult {
  readonly format: typeof JOB_FORMAT;
  readonly sweepHash: string;
  readonly cellId: string;
  readonly outcome: CellOutcome;
  readonly ranBy: string;
  readonly elapsedMs: number;
}

/** `--sweep-id`: letters, digits, `_`, `-` and `.`, as it becomes part of Redis key names. */
export function queueNameOf(sweepId: unknown): string {
  const id = sweepId === undefined ? DEFAULT_SWEEP_ID : String(sweepId);
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(id)) {
    throw new ConfigError(`"${id}" is not a valid sweep id`, "--sweep-id", "use letters, digits, _, - and . (at most 100)");
  }
  return `exitlab-sweep-${id}`;
}

/** `--queue redis://[user:password@]host:port[/db]` (rediss:// for TLS) as BullMQ connection options. */
export function connectionOf(queue: unknown): ConnectionOptions {
  let url: URL;
  try {
    url = new URL(String(queue));
  } catch {
    throw new ConfigError(`"${String(queue)}" is not a URL`, "--queue", "write it as redis://host:port");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new ConfigError(`"${url.protocol}" is not a Redis URL scheme`, "--queue", "write it as redis://host:port");
  }
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new ConfigError(`"${db}" is not a database number`, "--queue", "write it as redis://host:port/0");
  return {
    host: url.hostname || "127.0.0.1",
    port: url.port === "" ? 6379 : Number(url.port),
    ...(url.username !== "" ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password !== "" ? { password: decodeURIComponent(url.password) } : {}),
    ...(db !== "" ? { db: Number(db) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ workers block on Redis; their commands must wait for a reconnect rather than fail.
    maxRetriesPerRequest: null,
  };
}

/** A job's return value as an object: BullMQ hands over an object from a Job, JSON text from QueueEvents. Null when it is neither. */
export function jobValueOf(value: unknown): object | null {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return typeof parsed === "object" && parsed !== null ? parsed : null;
}

/** A sweep cell job's return value, or null when it is not one. */
export function parseJobResult(value: unknown): CellJobResult | null {
  const result = jobValueOf(value) as Partial<CellJobResult> | null;
  if (result === null) return null;
  return result.format === JOB_FORMAT && typeof result.cellId === "string" && typeof result.outcome === "object" ? (result as CellJobResult) : null;
}

/**
 * Fails fast, in one line, when nothing listens at the Redis address: BullMQ's client would
 * otherwise retry the connection forever and the command would just hang.
 */
export function probeRedis(connection: ConnectionOptions, flag: string, timeoutMs = 5_000): Promise<void> {
  const { host, port } = connection as { host: string; port: number };
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (reason: string): void => {
      socket.destroy();
      reject(new ConfigError(`cannot reach Redis at ${host}:${port} (${reason})`, flag, "start redis-server there, or pass the right redis://host:port"));
    };
    socket.setTimeout(timeoutMs, () => fail("timed out"));
    socket.once("error", (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
  });
}

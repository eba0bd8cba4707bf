/**
 * Whole-file reads of small inputs (config, Q-table, regress baseline) with a size bound.
 *
 * These files are parsed as one JSON text, so they are read whole; a multi-gigabyte file
 * given by mistake would otherwise be pulled into memory (and fail deep inside Node with a
 * stack trace). The file is opened non-blocking, so a FIFO where a file is expected fails at
 * once instead of hanging until something writes to it.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { ConfigError, ExitlabError } from "../engine/errors.js";

/** Size bounds, in bytes, of inputs read whole (README "Safety"). */
export const INPUT_FILE_LIMITS = {
  /** A run or sweep config: a few hundred bytes in practice. */
  config: 1024 * 1024,
  /** An RL Q-table: 300 states × a few actions is tens of kilobytes. */
  qTable: 16 * 1024 * 1024,
  /** A regress baseline: metrics, tolerances and a trade fingerprint, a few kilobytes. */
  baseline: 16 * 1024 * 1024,
} as const;

export interface InputFileRequest {
  /** What the file is, for messages: "the config file", "the Q-table". */
  readonly what: string;
  readonly maxBytes: number;
  /** The error class to throw (ConfigError by default). */
  readonly makeError?: (message: string, where: string, hint?: string) => ExitlabError;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Reads `path` as UTF-8 text; a one-line error when it cannot be read, is not a regular file or is larger than `maxBytes`. */
export function readInputFile(path: string, request: InputFileRequest): string {
  const makeError = request.makeError ?? ((message: string, where: string, hint?: string) => new ConfigError(message, where, hint ?? null));
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw makeError(`cannot read ${request.what} (${(error as NodeJS.ErrnoException).code ?? "read error"})`, path);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw makeError(`${request.what} is not a regular file`, path, "give the path of a file");
    const tooLarge = (): ExitlabError => makeError(
      `${request.what} is larger than the ${formatBytes(request.maxBytes)} limit`, path, "check that this is the right file",
    );
    if (stats.size > request.maxBytes) throw tooLarge();
    // Read until end of file, stopping one byte past the bound: a file that grows after fstat is still caught.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stats.size, 64 * 1024), request.maxBytes + 1 - length) || 1);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > request.maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, length).toString("utf8");
  } catch (error) {
    if (error instanceof ExitlabError || typeof (error as NodeJS.ErrnoException).code !== "string") throw error;
    throw makeError(`cannot read ${request.what} (${String((error as NodeJS.ErrnoException).code)})`, path);
  } finally {
    closeSync(fd);
  }
}

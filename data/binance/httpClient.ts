/**
 * The HTTP side of the downloader, on Node's built-in `fetch`: a GET that gives up when no
 * byte arrives for `stallTimeoutMs`, and retries (with doubling delays) of what may succeed
 * a moment later — a refused or reset connection, a stall, HTTP 429 and 5xx, a damaged
 * transfer. A 404 or another 4xx is final at once.
 */

import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DataError, OutputError } from "../../engine/errors.js";

export interface HttpOptions {
  /** Further attempts after a transient failure. */
  readonly retries: number;
  /** Delay before the first retry; doubled for each further one. */
  readonly retryDelayMs: number;
  /** A request with no byte for this long is abandoned (and retried). */
  readonly stallTimeoutMs: number;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = Object.freeze({ retries: 2, retryDelayMs: 500, stallTimeoutMs: 60_000 });

/** A failure worth another attempt; the last one is reported as it is. */
export class TransientDownloadError extends DataError {}

export async function withRetries<T>(options: HttpOptions, attempt: () => Promise<T>): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransientDownloadError) || retry >= options.retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs * 2 ** retry));
    }
  }
}

/** The body of `url` as text (a `.CHECKSUM`), with retries. */
export function fetchText(url: string, options: HttpOptions): Promise<string> {
  return withRetries(options, () =>
    withStallTimer(url, options, async (signal, touch) => {
      const response = await fetchResponse(url, signal);
      touch();
      try {
        return await response.text();
      } catch (error) {
        throw interrupted(url, error, signal);
      }
    }),
  );
}

/**
 * Streams the body of `url` into `file` (one attempt; the caller retries with the checksum
 * check included) and returns the sha256 of the bytes written. `file` is removed on failure.
 */
export function downloadOnce(url: string, file: string, options: HttpOptions, onBytes: (bytes: number) => void): Promise<string> {
  return withStallTimer(url, options, async (signal, touch) => {
    const response = await fetchResponse(url, signal);
    const hash = createHash("sha256");
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        touch();
        hash.update(chunk);
        bytes += chunk.length;
        onBytes(bytes);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream), tap, createWriteStream(file));
    } catch (error) {
      await rm(file, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined && /^E(ACCES|NOSPC|ROFS|PERM|ISDIR|NOTDIR)$/.test(code)) throw new OutputError(`cannot write (${code})`, file);
      throw interrupted(url, error, signal);
    }
    return hash.digest("hex");
  });
}

/** Runs `work` with an abort signal that fires after `stallTimeoutMs` without a `touch()`. */
async function withStallTimer<T>(
  url: string, options: HttpOptions, work: (signal: AbortSignal, touch: () => void) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), options.stallTimeoutMs);
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), options.stallTimeoutMs);
  };
  try {
    return await work(controller.signal, touch);
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof DataError)) throw stalled(url, options);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function fetchResponse(url: string, signal: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow", signal });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new TransientDownloadError(`cannot download (${cause?.code ?? cause?.message ?? (error as Error).message})`, url, "check the network and --base-url");
  }
  if (response.ok && response.body !== null) return response;
  await response.body?.cancel();
  if (response.status === 404) {
    throw new DataError("not found (HTTP 404)", url, "Binance has no such archive: check the symbol, market, interval and months");
  }
  const transient = response.status === 429 || response.status >= 500;
  const ErrorClass = transient ? TransientDownloadError : DataError;
  throw new ErrorClass(`download failed (HTTP ${response.status})`, url, transient ? "try again later" : undefined);
}

function interrupted(url: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new TransientDownloadError(`download interrupted (${code ?? (error as Error).message})`, url, "run the command again; verified files are kept");
}

function stalled(url: string, options: HttpOptions): TransientDownloadError {
  return new TransientDownloadError(`download stalled (no data for ${options.stallTimeoutMs / 1000} s)`, url, "run the command again; verified files are kept");
}

/**
 * One archive fetched and verified against its `.CHECKSUM` (sha256), as a resumable step:
 * a file already in place whose sha256 matches is kept without downloading it again; a new
 * one is streamed to a hidden temporary file beside its destination, hashed on the way, and
 * renamed into place only when the hash matches. An interrupted or failed download therefore
 * never leaves a file that looks valid: only `.name.part` files, which loaders skip and the
 * next run overwrites.
 */

import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DataError, OutputError } from "../../engine/errors.js";

export type FetchOutcome = "downloaded" | "kept";

/** Bytes received so far for the archive being downloaded. */
export type BytesHandler = (bytes: number) => void;

/**
 * Makes `localFile` a verified copy of `url`. `.CHECKSUM` is read from beside the local file
 * when present (it was written there after an earlier verified download), else fetched.
 */
export async function fetchVerifiedArchive(url: string, localFile: string, onBytes: BytesHandler = () => {}): Promise<FetchOutcome> {
  const checksumFile = `${localFile}.CHECKSUM`;
  const localChecksum = await readTextOrNull(checksumFile);
  const checksumText = localChecksum ?? (await fetchText(`${url}.CHECKSUM`));
  const expected = parseChecksum(checksumText, basename(localFile), `${url}.CHECKSUM`);

  if ((await sha256OfFileOrNull(localFile)) === expected) {
    if (localChecksum === null) await writeAtomically(checksumFile, checksumText);
    return "kept";
  }

  await mkdirOrFail(dirname(localFile));
  const partFile = join(dirname(localFile), `.${basename(localFile)}.part`);
  const actual = await downloadTo(url, partFile, onBytes);
  if (actual !== expected) {
    await rm(partFile, { force: true });
    throw new DataError(
      `checksum mismatch: sha256 ${actual} but .CHECKSUM says ${expected}`,
      url,
      "the download was damaged or the archive changed; run the command again",
    );
  }
  await renameOrFail(partFile, localFile);
  await writeAtomically(checksumFile, checksumText);
  return "downloaded";
}

/** `<sha256 hex>  <file name>` as Binance writes it; the name must be the archive's. */
export function parseChecksum(text: string, fileName: string, where: string): string {
  const match = /^\s*([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(text);
  if (match === null) throw new DataError("not a sha256 checksum line (<64 hex digits>  <file name>)", where);
  if (match[2] !== fileName) throw new DataError(`the checksum is for ${match[2]}, not ${fileName}`, where);
  return match[1].toLowerCase();
}

async function fetchResponse(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DataError(`cannot download (${cause?.code ?? cause?.message ?? (error as Error).message})`, url, "check the network and --base-url");
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new DataError("not found (HTTP 404)", url, "Binance has no such archive: check the symbol, market, interval and months");
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new DataError(`download failed (HTTP ${response.status})`, url, "try again later");
  }
  return response;
}

async function fetchText(url: string): Promise<string> {
  const response = await fetchResponse(url);
  try {
    return await response.text();
  } catch (error) {
    throw new DataError(`download interrupted (${(error as Error).message})`, url, "run the command again");
  }
}

/** Streams the body of `url` into `file`; returns the sha256 of the bytes written. */
async function downloadTo(url: string, file: string, onBytes: BytesHandler): Promise<string> {
  const response = await fetchResponse(url);
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      onBytes(bytes);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), tap, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && /^E(ACCES|NOSPC|ROFS|PERM|ISDIR)$/.test(code)) throw new OutputError(`cannot write (${code})`, file);
    throw new DataError(`download interrupted (${code ?? (error as Error).message})`, url, "run the command again; verified files are kept");
  }
  return hash.digest("hex");
}

export async function sha256OfFileOrNull(file: string): Promise<string | null> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return hash.digest("hex");
}

async function readTextOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new OutputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`, file);
  }
}

/** Writes `text` to a temporary file and renames it over `file`. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdirOrFail(dirname(file));
  const partFile = join(dirname(file), `.${basename(file)}.part`);
  try {
    await writeFile(partFile, text);
  } catch (error) {
    throw new OutputError(`cannot write (${(error as NodeJS.ErrnoException).code ?? "error"})`, file);
  }
  await renameOrFail(partFile, file);
}

async function renameOrFail(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    throw new OutputError(`cannot write (${(error as NodeJS.ErrnoException).code ?? "error"})`, to);
  }
}

async function mkdirOrFail(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new OutputError(`cannot create the folder (${(error as NodeJS.ErrnoException).code ?? "error"})`, folder);
  }
}

/**
 * One archive fetched and verified against its `.CHECKSUM` (sha256), as a resumable step:
 * a file already in place whose sha256 matches is kept without downloading it again; a new
 * one is streamed to a hidden temporary file beside its destination, hashed on the way, and
 * renamed into place only when the hash matches. An interrupted or failed download therefore
 * never leaves a file that looks valid: only `.name.part` files, which loaders skip and the
 * next run overwrites.
 */

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DataError, OutputError } from "../../engine/errors.js";
import { DEFAULT_HTTP_OPTIONS, downloadOnce, fetchText, TransientDownloadError, withRetries, type HttpOptions } from "./httpClient.js";

export type FetchOutcome = "downloaded" | "kept";

/** Bytes received so far for the archive being downloaded. */
export type BytesHandler = (bytes: number) => void;

/**
 * Makes `localFile` a verified copy of `url`. `.CHECKSUM` is read from beside the local file
 * when present (it was written there after an earlier verified download), else fetched. A
 * download whose sha256 does not match is retried like any damaged transfer.
 */
export async function fetchVerifiedArchive(
  url: string, localFile: string, http: HttpOptions = DEFAULT_HTTP_OPTIONS, onBytes: BytesHandler = () => {},
): Promise<FetchOutcome> {
  const checksumFile = `${localFile}.CHECKSUM`;
  const localChecksum = await readTextOrNull(checksumFile);
  const checksumText = localChecksum ?? (await fetchText(`${url}.CHECKSUM`, http));
  const expected = parseChecksum(checksumText, basename(localFile), `${url}.CHECKSUM`);

  if ((await sha256OfFileOrNull(localFile)) === expected) {
    if (localChecksum === null) await writeAtomically(checksumFile, checksumText);
    return "kept";
  }

  await mkdirOrFail(dirname(localFile));
  const partFile = join(dirname(localFile), `.${basename(localFile)}.part`);
  await withRetries(http, async () => {
    const actual = await downloadOnce(url, partFile, http, onBytes);
    if (actual === expected) return;
    await rm(partFile, { force: true });
    throw new TransientDownloadError(
      `checksum mismatch: sha256 ${actual} but .CHECKSUM says ${expected}`,
      url,
      "the download was damaged or the archive changed; run the command again",
    );
  });
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

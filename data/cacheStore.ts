/**
 * Where cache entries live and how they are read and written. An entry's name is derived
 * from the source's bytes (not its path), so an unchanged file hits even after a rename or a
 * move, and a changed one never does. Nothing here throws: a cache that cannot be read or
 * written only makes the load slower.
 */

import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, read, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { join } from "node:path";
import { freshArray } from "../engine/index.js";
import type { SourceDigest } from "./hashSourceFiles.js";
import { writeFileInSlices } from "./writeInSlices.js";

/**
 * Bumped whenever the entry layout or the validation rules change: the cache holds only
 * data that passed validation, so an entry written under older, looser rules must not be
 * served (2: funding rates must lie in −1..1; 3: hexadecimal, binary and octal numbers are refused;
 * 4: entries carry a CRC-32 of their metadata and columns; 5: a whole-file CRC-32 in a sidecar,
 * checked before any Arrow parsing; 6: the in-entry CRC-32 dropped, the sidecar's covering the
 * same bytes — one pass over the file on read instead of two).
 */
export const CACHE_FORMAT_VERSION = 6;

/** What a source was parsed as. Main and detail bars parse alike, so they share entries. */
export type CacheFormat = "bars" | "funding";

/** Turns the cache on; `dir` is created on the first write. */
export interface MarketDataCacheOptions {
  readonly dir: string;
  /**
   * Read entries into SharedArrayBuffers: the bars (views into the entry) can then be shared
   * with worker threads as they are (workflows/sweep/sharedData.ts) instead of copied.
   */
  readonly shared?: boolean;
}

/** The folder the CLI uses unless told otherwise, relative to the current folder. */
export const DEFAULT_CACHE_DIR = ".exitlab-cache";

/**
 * `<dir>/<format>-v<version>-<key>.arrow`, the key being a sha256 over the version, the
 * format, the sources' sha256 and their file sizes.
 */
export function cacheEntryPath(dir: string, format: CacheFormat, digest: SourceDigest): string {
  const key = createHash("sha256")
    .update(`exitlab-cache\n${CACHE_FORMAT_VERSION}\n${format}\n${digest.sha256}\n${digest.byteLengths.join(",")}`)
    .digest("hex");
  return join(dir, `${format}-v${CACHE_FORMAT_VERSION}-${key}.arrow`);
}

/** An entry's bytes whose whole-file checksum matched, or why it cannot be used (null: no entry). */
export type CacheEntryRead = { readonly bytes: Uint8Array } | { readonly damage: string } | null;

/** The sidecar holding the CRC-32 of the entry's whole file (8 hex digits). */
export function cacheChecksumPath(path: string): string {
  return `${path}.crc32`;
}

function crcHex(crc: number): string {
  return crc.toString(16).padStart(8, "0");
}

/**
 * The entry's bytes, checked against the CRC-32 of the whole file in its sidecar BEFORE any
 * Arrow parsing: a damaged header can make apache-arrow's reader loop forever (tests/fuzz
 * finding F13), so a file whose bytes are not exactly the ones written is never parsed.
 * Null when there is no entry (or it cannot be read).
 *
 * The file is read in slices on libuv's thread pool, and each slice's CRC is folded in while
 * the next one is read: the read and the checksum, ~28 and ~16 ms for the peer workload's
 * 9.6 MB entry on a slow day, overlap instead of following each other.
 */
export async function readCacheEntry(path: string, shared = false): Promise<CacheEntryRead> {
  const read = await readWholeFile(path, shared);
  if (read === null) return null;
  let stored: string;
  try {
    stored = readFileSync(cacheChecksumPath(path), "latin1").trim();
  } catch {
    return { damage: "its checksum file is missing" };
  }
  return stored === crcHex(read.crc) ? { bytes: read.bytes } : { damage: "its bytes do not match the checksum written with them" };
}

/** Bytes read per call of readWholeFile: the checksum of one slice runs while the next is read. */
const READ_SLICE_BYTES = 1 << 20;

/** The file's bytes in a fresh buffer (in shared memory if `shared`) and their CRC-32, or null when it cannot be read. */
async function readWholeFile(path: string, shared: boolean): Promise<{ readonly bytes: Buffer; readonly crc: number } | null> {
  let descriptor: number;
  try {
    descriptor = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const size = fstatSync(descriptor).size;
    const fresh = shared ? new Uint8Array(new SharedArrayBuffer(size)) : freshArray(Uint8Array, size);
    const bytes = Buffer.from(fresh.buffer, fresh.byteOffset, size);
    let crc = 0;
    let filled = 0;
    let reading = size > 0 ? readAt(descriptor, bytes, 0) : null;
    while (reading !== null) {
      const got = await reading;
      if (got === 0) return { bytes: bytes.subarray(0, filled), crc }; // shrank while read: the checksum will tell
      const from = filled;
      filled += got;
      reading = filled < size ? readAt(descriptor, bytes, filled) : null;
      crc = crc32(bytes.subarray(from, filled), crc);
    }
    return { bytes, crc };
  } catch {
    return null;
  } finally {
    closeSync(descriptor);
  }
}

function readAt(descriptor: number, bytes: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(descriptor, bytes, offset, Math.min(READ_SLICE_BYTES, bytes.length - offset), offset, (error, got) => (error ? reject(error) : resolve(got)));
  });
}

let temporaryFileCounter = 0;

/**
 * Writes under a temporary name in the same folder, then renames into place: a reader sees
 * the old entry or the new one, never half of one. Two processes filling the same entry
 * each rename a complete file (with the same content); the last one wins. Returns whether
 * the entry was written.
 */
export function writeCacheEntry(path: string, encode: () => Uint8Array, dir: string): boolean {
  // pid and counter are unique on one machine; the random part covers a shared network folder.
  const unique = `${process.pid}.${++temporaryFileCounter}.${randomBytes(4).toString("hex")}`;
  const temporaryPath = `${path}.${unique}.tmp`;
  const temporaryChecksum = `${cacheChecksumPath(path)}.${unique}.tmp`;
  try {
    createCacheFolder(dir);
    const bytes = encode();
    writeFileInSlices(temporaryPath, bytes);
    writeFileSync(temporaryChecksum, `${crcHex(crc32(bytes))}\n`);
    // Checksum first: a reader between the two renames sees a new checksum with the old entry,
    // a mismatch that only makes it rebuild; never a parse of unchecked bytes.
    renameSync(temporaryChecksum, cacheChecksumPath(path));
    renameSync(temporaryPath, path);
    return true;
  } catch {
    removeQuietly(temporaryPath);
    removeQuietly(temporaryChecksum);
    return false;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // A leftover temporary file is harmless: entries are only ever read by their final name.
  }
}

/** A folder we create gets a `.gitignore` of `*`, so a cache in a repository is never committed. */
export function createCacheFolder(dir: string): void {
  const created = mkdirSync(dir, { recursive: true });
  if (created === undefined) return;
  try {
    writeFileSync(join(dir, ".gitignore"), "# Created by exitlab: a cache of parsed data files, safe to delete.\n*\n", { flag: "wx" });
  } catch {
    // Only a convenience; the cache works without it.
  }
}

/**
 * Where cache entries live and how they are read and written. An entry's name is derived
 * from the source's bytes (not its path), so an unchanged file hits even after a rename or a
 * move, and a changed one never does. Nothing here throws: a cache that cannot be read or
 * written only makes the load slower.
 */

import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SourceDigest } from "./hashSourceFiles.js";

/**
 * Bumped whenever the entry layout or the validation rules change: the cache holds only
 * data that passed validation, so an entry written under older, looser rules must not be
 * served (2: funding rates must lie in −1..1; 3: hexadecimal, binary and octal numbers are refused;
 * 4: entries carry a CRC-32 of their metadata and columns).
 */
export const CACHE_FORMAT_VERSION = 4;

/** What a source was parsed as. Main and detail bars parse alike, so they share entries. */
export type CacheFormat = "bars" | "funding";

/** Turns the cache on; `dir` is created on the first write. */
export interface MarketDataCacheOptions {
  readonly dir: string;
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

/** The entry's bytes, or null when it does not exist or cannot be read. */
export function readCacheEntry(path: string): Uint8Array | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
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
  const temporaryPath = `${path}.${process.pid}.${++temporaryFileCounter}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    createCacheFolder(dir);
    writeFileSync(temporaryPath, encode());
    renameSync(temporaryPath, path);
    return true;
  } catch {
    removeQuietly(temporaryPath);
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

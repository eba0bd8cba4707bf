/**
 * Skips re-hashing unchanged source files, as git's index does: the digest of a set of files
 * is recorded with each file's path, size, inode, mtime and ctime; when all of those are the
 * same on the next load, the recorded sha256 is used. Any write to a file changes its ctime,
 * so a changed file is always hashed again. Hashing 2.6 GB of CSV was half of a warm load.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createCacheFolder } from "./cacheStore.js";
import { hashSourceFiles, type SourceDigest } from "./hashSourceFiles.js";

let temporaryCounter = 0;

export function digestWithStatIndex(files: readonly string[], cacheDir: string): SourceDigest {
  const stats = files.map((file) => {
    const stat = statSync(file, { bigint: true });
    return [resolve(file), String(stat.size), String(stat.ino), String(stat.mtimeNs), String(stat.ctimeNs)];
  });
  const key = createHash("sha256").update(JSON.stringify(stats)).digest("hex");
  const path = join(cacheDir, `digest-${key}.json`);
  try {
    const recorded = JSON.parse(readFileSync(path, "utf8")) as SourceDigest;
    if (typeof recorded.sha256 === "string" && /^[0-9a-f]{64}$/.test(recorded.sha256)
      && Array.isArray(recorded.byteLengths) && recorded.byteLengths.length === files.length) {
      return { sha256: recorded.sha256, byteLengths: recorded.byteLengths };
    }
  } catch {
    // No record yet (or an unreadable one): hash below.
  }
  const digest = hashSourceFiles(files);
  try {
    createCacheFolder(cacheDir);
    const temporary = `${path}.tmp-${process.pid}-${temporaryCounter++}`;
    writeFileSync(temporary, JSON.stringify(digest));
    renameSync(temporary, path);
  } catch {
    // A cache folder that cannot be written only costs the hash next time.
  }
  return digest;
}

/**
 * The check that an earlier run's files in the output folder are still exitlab's (README
 * "Safety"), done early and off this thread. Replacing a run folder first proves each of its
 * files unchanged since exitlab wrote it, by its sha256 against the folder's marker — reading
 * and hashing the whole previous run (~20 MB for 200,000 one-minute bars) while the user
 * waits. A command that knows its output folder starts this check as soon as its config is
 * resolved: a thread of its own reads and hashes the files while the data loads and the run
 * replays (the thread asking is busy, so nothing in the check may wait for its event loop).
 *
 * What the check proves holds at write time only if the file has not changed since: each
 * verified file's stamp — size, modification and status-change times (ns), inode — is taken
 * before it is read and again after it is hashed (the two must agree), and the folder writer
 * accepts the file without hashing it again only while its stamp is still that one. Any write
 * moves the modification and status-change times (and `touch -d`, which can set the former
 * back, moves the latter), so an edit made after the check makes the writer hash the file
 * again as before.
 */
import { lstatSync, type BigIntStats } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { PENDING_HASH, readMarker } from "./outputMarker.js";

/** Files of a run folder proven to be exitlab's: each with the marker's hash it matched and the stamp it had then. */
export interface VerifiedFiles {
  /** The folder, as the writer will name it (resolved). */
  readonly folder: string;
  readonly files: ReadonlyMap<string, { readonly hash: string; readonly stamp: string }>;
}

/** True when `folder/name` was verified with the hash its marker gives now, and has not changed since. */
export function stillVerified(verified: VerifiedFiles | undefined, folder: string, name: string, markerHash: string | undefined): boolean {
  const file = verified?.folder === folder ? verified.files.get(name) : undefined;
  return file !== undefined && file.hash === markerHash && currentStamp(folder, name) === file.stamp;
}

function stampOf(stats: BigIntStats): string {
  return `${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}`;
}

/** The stamp of `folder/name` now, or null when it is not a regular file (or is gone). */
function currentStamp(folder: string, name: string): string | null {
  try {
    const stats = lstatSync(join(folder, name), { bigint: true });
    return stats.isFile() ? stampOf(stats) : null;
  } catch {
    return null;
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The thread's script (evaluated CommonJS, Node's modules only): for each listed file, its
 * stamp, its sha256 and its stamp again, synchronously — nothing here waits for the event
 * loop of the thread that asked, which is busy replaying.
 */
const CHECK_SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
const { lstatSync, readFileSync } = require("node:fs");
const { createHash } = require("node:crypto");
const stampOf = (s) => s.size + ":" + s.mtimeNs + ":" + s.ctimeNs + ":" + s.ino;
const verified = [];
for (const { name, path, hash } of workerData) {
  try {
    const before = lstatSync(path, { bigint: true });
    if (!before.isFile()) continue;
    const digest = createHash("sha256").update(readFileSync(path)).digest("hex");
    const after = lstatSync(path, { bigint: true });
    if (digest === hash && stampOf(before) === stampOf(after)) verified.push({ name, hash, stamp: stampOf(after) });
  } catch {}
}
parentPort.postMessage(verified);
`;

/** Verifies the files the marker of `folder` lists, on a thread of its own; a file that cannot be verified is left to the writer's own check. */
export function verifyOwnedFiles(folder: string): Promise<VerifiedFiles> {
  const marker = readMarker(folder);
  const listed = marker === null || marker.legacy ? [] : [...marker.files]
    .filter(([, hash]) => hash !== PENDING_HASH && SHA256_HEX.test(hash))
    .map(([name, hash]) => ({ name, path: join(folder, name), hash }));
  if (listed.length === 0) return Promise.resolve({ folder, files: new Map() });
  return new Promise((done) => {
    const files = new Map<string, { hash: string; stamp: string }>();
    const worker = new Worker(CHECK_SCRIPT, { eval: true, workerData: listed });
    worker.once("message", (verified: { name: string; hash: string; stamp: string }[]) => {
      for (const { name, hash, stamp } of verified) files.set(name, { hash, stamp });
    });
    // The answer, or nothing verified when the thread failed: the writer then checks every file itself.
    worker.once("exit", () => done({ folder, files }));
    worker.once("error", () => undefined);
  });
}

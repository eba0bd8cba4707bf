/**
 * Writes single files (synthetic bars, a predictions CSV, a saved Q-table, regress reports)
 * atomically, replacing only a file exitlab wrote (README "Safety").
 *
 * The file is written into a work folder `<file>.tmp-<pid>-<n>/` with a marker (so a
 * left-over is recognisable as exitlab's), renamed into place, and recorded with its
 * sha256 in the `.exitlab` marker of the folder it lands in. An existing file is replaced
 * only when that marker lists it with its current content; otherwise — the user's file, or
 * one they changed — only with `force`.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { OutputError } from "../engine/errors.js";
import { commitGate } from "./commitGate.js";
import { cleanLeftovers, createTemporaryFolder, isLeftoverName, MARKER_TEMPORARY_PREFIX } from "./leftovers.js";
import { formatMarker, isOwnedFile, MARKER_NAME, readMarker, sha256Of, type OutputMarker } from "./outputMarker.js";

export interface WriteOwnedFileOptions {
  /** Replace the file even when exitlab did not write it (the CLI's `--force`). */
  readonly force?: boolean;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/** Throws unless `target` is absent, or a file exitlab wrote, or `force` is set. */
function assertReplaceable(target: string, given: string, marker: OutputMarker | null, force: boolean): void {
  let stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return;
    if (codeOf(error) === "ENOTDIR") throw new OutputError("cannot create a file under a file", given);
    throw new OutputError(`cannot check the file (${codeOf(error)})`, given);
  }
  if (stats.isDirectory()) throw new OutputError("is a folder, not a file", given);
  if (force || isOwnedFile(dirname(target), basename(target), marker)) return;
  throw new OutputError(
    `refusing to replace a file exitlab did not write${marker?.files.has(basename(target)) === true ? " (it was changed since)" : ""}`,
    given, "choose another file, or pass --force to replace it",
  );
}

/** The files a marker lists; a legacy run folder's are recorded with their content now. */
function listedFiles(folder: string, marker: OutputMarker | null): Map<string, string> {
  if (marker === null) return new Map();
  if (!marker.legacy) return new Map(marker.files);
  const files = new Map<string, string>();
  for (const listed of marker.files.keys()) {
    if (isOwnedFile(folder, listed, marker)) files.set(listed, sha256Of(readFileSync(join(folder, listed))));
  }
  return files;
}

/** Records `name` in the folder's marker (written to a temporary file, then renamed). */
function recordInMarker(folder: string, marker: OutputMarker | null, name: string, hash: string): void {
  const files = listedFiles(folder, marker);
  files.set(name, hash);
  const temporary = join(folder, `${MARKER_TEMPORARY_PREFIX}${process.pid}-0`);
  writeFileSync(temporary, formatMarker(marker?.kind ?? "files", files));
  renameSync(temporary, join(folder, MARKER_NAME));
}

/** Throws when the folder holds a `.exitlab` entry that is not exitlab's marker (it would be overwritten). */
function assertNoForeignMarker(folder: string, marker: OutputMarker | null, given: string): void {
  if (marker !== null && !marker.legacy) return;
  try {
    lstatSync(join(folder, MARKER_NAME));
  } catch {
    return;
  }
  throw new OutputError(`the folder holds a ${MARKER_NAME} entry that exitlab did not write`, join(dirname(given), MARKER_NAME), "rename it: exitlab keeps its list of written files there");
}

/**
 * Throws the OutputError writeOwnedFile would throw before writing anything (a caller that
 * writes other outputs first checks here); returns the folder's marker.
 */
export function assertOwnedFileWritable(path: string, options: WriteOwnedFileOptions = {}): OutputMarker | null {
  const target = resolve(path);
  const name = basename(target);
  if (name === MARKER_NAME || name.startsWith(MARKER_TEMPORARY_PREFIX) || isLeftoverName(name)) {
    throw new OutputError("is a name exitlab keeps for its own bookkeeping", path, "choose another file name");
  }
  const marker = readMarker(dirname(target));
  assertReplaceable(target, path, marker, options.force === true);
  assertNoForeignMarker(dirname(target), marker, path);
  return marker;
}

/**
 * Writes `content` to `path` (see the file comment). Returns notes about left-overs it
 * could not clear. Throws OutputError when the file may not be replaced or writing fails.
 */
export function writeOwnedFile(path: string, content: string | Uint8Array, options: WriteOwnedFileOptions = {}): readonly string[] {
  const target = resolve(path);
  const folder = dirname(target);
  const name = basename(target);
  const notes = cleanLeftovers(folder);
  const marker = assertOwnedFileWritable(path, options);
  let temporary: string | null = null;
  try {
    mkdirSync(folder, { recursive: true });
    const hash = sha256Of(content);
    temporary = createTemporaryFolder(target);
    writeFileSync(join(temporary, MARKER_NAME), formatMarker("files", new Map([[name, hash]])));
    writeFileSync(join(temporary, name), content);
    commitGate().begin();
    let renamed = false;
    try {
      renameSync(join(temporary, name), target);
      renamed = true;
      recordInMarker(folder, marker, name, hash);
      rmSync(join(temporary, MARKER_NAME));
      rmdirSync(temporary);
      temporary = null;
    } finally {
      commitGate().end(renamed ? path : null);
    }
  } catch (error) {
    if (temporary !== null) rmSync(temporary, { recursive: true, force: true });
    throw new OutputError(`cannot write the file (${codeOf(error)})`, path, "check the path and its permissions");
  }
  return notes;
}

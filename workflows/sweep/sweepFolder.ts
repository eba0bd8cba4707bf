/**
 * A sweep's `--out` folder under the replace/keep rule (README "Safety"): exitlab replaces only
 * what it wrote, never writes into a folder that is or contains the working directory, home or
 * an input of the run, and keeps every file it did not write.
 *
 * A sweep writes three files into its folder — `cells.jsonl` (appended while cells finish),
 * `sweep.csv` and `sweep.json` (at the end) — and records them in the folder's `.exitlab`
 * marker (reports/outputMarker.ts). While the sweep runs, the journal is listed as pending (it
 * grows line by line; a killed sweep's journal stays exitlab's, so it resumes); when the
 * tables are written, the marker gets every file's sha256. A folder from before the marker
 * is recognised by its journal's exitlab header on line 1.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { OutputError } from "../../engine/index.js";
import { MARKER_TEMPORARY_PREFIX } from "../../reports/leftovers.js";
import { formatMarker, isOwnedFile, MARKER_NAME, PENDING_HASH, readMarker, sha256Of, type OutputMarker } from "../../reports/outputMarker.js";
import { assertNotProtected, type ProtectedPath } from "../../reports/protectedPaths.js";
import { CELL_LOG_FORMAT, CELL_LOG_NAME } from "./cellLog.js";

/** The ranked tables, written when every cell has finished. */
export const TABLE_FILES = ["sweep.csv", "sweep.json", "sweep.html"] as const;
/** Every file a sweep writes into its folder. */
export const SWEEP_FILES = [CELL_LOG_NAME, ...TABLE_FILES] as const;

export interface ClaimOptions {
  /** Add the sweep's files to a folder exitlab did not write, and replace files of the sweep's names that it did not write. */
  readonly force: boolean;
  /** Folders `out` must not be nor contain, even with force (the working directory, home, the run's inputs). */
  readonly protectedPaths: readonly ProtectedPath[];
}

/**
 * Checks that the sweep may write into `out` and prepares it: creates it, removes the tables of
 * an earlier sweep (they must not outlive a new start) and lists the journal as pending in the
 * marker. Throws an OutputError (nothing changed) when the folder is protected, a link or a
 * file, not exitlab's and not empty (without force), or holds a user's file of a sweep file's
 * name (without force). Every other entry of the folder is left alone.
 */
export function claimSweepFolder(out: string, options: ClaimOptions): void {
  const target = resolve(out);
  if (dirname(target) === target) throw new OutputError("the output folder cannot be a file-system root", out);
  assertNotProtected(target, out, options.protectedPaths);
  const entries = existingEntries(target, out);
  const marker = readMarker(target);
  const legacy = marker === null && entries.includes(CELL_LOG_NAME) && hasSweepHeader(join(target, CELL_LOG_NAME));
  if (marker === null && !legacy && entries.includes(MARKER_NAME)) {
    throw new OutputError(`the folder holds a ${MARKER_NAME} entry that exitlab did not write`, join(out, MARKER_NAME), "rename it: exitlab keeps its list of written files there");
  }
  if (entries.length > 0 && marker === null && !legacy && !options.force) {
    throw new OutputError("refusing to write a sweep into a folder exitlab did not write (no .exitlab marker)", out,
      "choose another output folder, or pass --force to add the sweep's files to it (its other files are kept)");
  }
  const owned = (name: string): boolean => legacy || isOwnedFile(target, name, marker);
  for (const name of SWEEP_FILES) {
    if (!entries.includes(name) || owned(name)) continue;
    if (!lstatSync(join(target, name)).isFile()) throw new OutputError("is in the way of a file the sweep writes, and is not a file", join(out, name), "move it away");
    if (!options.force) {
      throw new OutputError(`refusing to replace a file exitlab did not write${marker?.files.has(name) === true ? " (it was changed since)" : ""}`,
        join(out, name), "move it away, or pass --force to replace it");
    }
  }
  try {
    mkdirSync(target, { recursive: true });
    for (const name of TABLE_FILES) rmSync(join(target, name), { force: true });
  } catch (error) {
    throw new OutputError(`cannot prepare the output folder (${codeOf(error)})`, out, "check the path and its permissions");
  }
  const files = listedFiles(target, marker);
  for (const name of TABLE_FILES) files.delete(name);
  files.set(CELL_LOG_NAME, PENDING_HASH);
  writeMarker(target, out, marker?.kind ?? "files", files);
}

/** Records the sweep's files with their content's sha256 in the marker, once the tables are written. */
export function sealSweepFolder(out: string): void {
  const target = resolve(out);
  const marker = readMarker(target);
  const files = listedFiles(target, marker);
  try {
    for (const name of SWEEP_FILES) files.set(name, sha256Of(readFileSync(join(target, name))));
  } catch (error) {
    throw new OutputError(`cannot read back the sweep's files (${codeOf(error)})`, out, "check the path and its permissions");
  }
  writeMarker(target, out, marker?.kind ?? "files", files);
}

/** The folder's entries; none when it does not exist. A link or a plain file at `out` is refused. */
function existingEntries(target: string, out: string): string[] {
  let stats;
  try {
    stats = lstatSync(target);
  } catch {
    return [];
  }
  if (stats.isSymbolicLink()) throw new OutputError("is a symbolic link; exitlab does not write a sweep through one", out, "give the folder it points to, or another folder");
  if (!stats.isDirectory()) throw new OutputError("is a file, not a folder", out, "choose another output folder");
  return readdirSync(target);
}

/** True when line 1 of the file is a sweep journal's header (a sweep folder from before the marker). */
function hasSweepHeader(path: string): boolean {
  try {
    if (!lstatSync(path).isFile()) return false;
    const fd = openSync(path, "r");
    try {
      const head = Buffer.alloc(256);
      const bytes = readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, bytes).toString("utf8").startsWith(`{"type":"header","format":"${CELL_LOG_FORMAT}"`);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The files the marker lists (a legacy run folder's with the hash of the content they have now). */
function listedFiles(folder: string, marker: OutputMarker | null): Map<string, string> {
  if (marker === null) return new Map();
  if (!marker.legacy) return new Map(marker.files);
  const files = new Map<string, string>();
  for (const name of marker.files.keys()) {
    if (isOwnedFile(folder, name, marker)) files.set(name, sha256Of(readFileSync(join(folder, name))));
  }
  return files;
}

function writeMarker(target: string, out: string, kind: OutputMarker["kind"], files: ReadonlyMap<string, string>): void {
  const temporary = join(target, `${MARKER_TEMPORARY_PREFIX}${process.pid}-0`);
  try {
    writeFileSync(temporary, formatMarker(kind, files));
    renameSync(temporary, join(target, MARKER_NAME));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new OutputError(`cannot write the ${MARKER_NAME} marker (${codeOf(error)})`, out, "check the path and its permissions");
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Left-overs of killed runs (README "Safety"). exitlab writes through sibling folders named
 * `<name>.tmp-<pid>-<n>` (the new output) and `<name>.old-<pid>-<n>` (the output it
 * replaces); a `kill -9` at the wrong moment leaves one behind. Before it writes next to
 * them, exitlab clears those that are its own — named so, holding a marker (outputMarker.ts),
 * of a process that no longer runs on this machine:
 *
 * - files the marker lists, with the content it records, are deleted;
 * - anything else (files the user had added to the folder being replaced, moved aside for
 *   the swap) is moved back into `<name>`, unless a file of that name is already there;
 * - the left-over folder is removed once empty; otherwise it stays, with a note naming it.
 *
 * A left-over folder is never a run: isExitlabRunFolder says no for these names.
 */
import { lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitGate } from "./commitGate.js";
import { formatMarker, isOwnedFile, MARKER_NAME, readMarker } from "./outputMarker.js";

const LEFTOVER_NAME = /^(.+)\.(tmp|old)-(\d+)-(\d+)$/;
/** The temporary file an update of a marker is written to before its rename. */
export const MARKER_TEMPORARY_PREFIX = `${MARKER_NAME}.tmp-`;

/** True for a name exitlab gives its temporary and moved-aside folders. */
export function isLeftoverName(name: string): boolean {
  return LEFTOVER_NAME.test(name);
}

/** Per-process counter, so two work folders of one process never share a name. */
let workFolderCounter = 0;

/** A fresh name `<target>.<kind>-<pid>-<n>` for a work folder next to `target`. */
export function workFolderName(target: string, kind: "tmp" | "old"): string {
  return `${target}.${kind}-${process.pid}-${workFolderCounter++}`;
}

/** Creates `<target>.tmp-<pid>-<n>`, skipping names left over by an earlier process with the same pid. */
export function createTemporaryFolder(target: string): string {
  for (;;) {
    const candidate = workFolderName(target, "tmp");
    try {
      mkdirSync(candidate);
      commitGate().created(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** True when a process with this id runs on this machine (or may: no permission to signal it). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** Moves `name` from the left-over folder back into `target`; false when it cannot. */
function moveBack(leftover: string, name: string, target: string, targetIsFolder: boolean): boolean {
  if (!targetIsFolder) return false;
  try {
    mkdirSync(target, { recursive: true });
    lstatSync(join(target, name));
    return false; // Something of that name is there already: keep both, the note says where.
  } catch (error) {
    if (errorCode(error) !== "ENOENT") return false;
  }
  try {
    renameSync(join(leftover, name), join(target, name));
    return true;
  } catch {
    return false;
  }
}

/** Clears one left-over folder; returns a note when something had to stay. */
function clearLeftover(parent: string, name: string, base: string): string | null {
  const leftover = join(parent, name);
  const marker = readMarker(leftover);
  if (marker === null) return null; // Not exitlab's: never touched.
  const target = join(parent, base);
  // Foreign entries only ever come from a folder being replaced; a file's temp folder has none.
  let targetIsFolder = marker.kind === "run";
  let recreated = false;
  try {
    targetIsFolder = lstatSync(target).isDirectory();
  } catch {
    // No target (killed between the two renames of the swap): the run folder is recreated
    // for the user's files, as an (empty) exitlab run, which is what it was.
    recreated = targetIsFolder;
  }
  const kept: string[] = [];
  let movedBack = false;
  for (const entry of readdirSync(leftover)) {
    if (entry === MARKER_NAME) continue;
    if (isOwnedFile(leftover, entry, marker)) rmSync(join(leftover, entry), { force: true });
    else if (moveBack(leftover, entry, target, targetIsFolder)) movedBack = true;
    else kept.push(entry);
  }
  if (recreated && movedBack) writeFileSync(join(target, MARKER_NAME), formatMarker("run", new Map()), { flag: "wx" });
  if (kept.length > 0) {
    return `${leftover} is left over from an interrupted exitlab run and holds files exitlab did not write (${kept.join(", ")}); move them where they belong and delete the folder`;
  }
  rmSync(join(leftover, MARKER_NAME), { force: true });
  rmdirSync(leftover);
  return null;
}

/**
 * Clears exitlab's left-over folders (and marker temp files) of dead processes in `parent`.
 * Returns notes for those that could not be cleared completely; never throws for a
 * left-over it cannot clear (that must not stop the run that found it).
 */
export function cleanLeftovers(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const notes: string[] = [];
  for (const name of names) {
    const match = LEFTOVER_NAME.exec(name);
    if (match === null || isProcessAlive(Number(match[3]))) continue;
    try {
      const stats = lstatSync(join(parent, name));
      if (name.startsWith(MARKER_TEMPORARY_PREFIX) && stats.isFile()) rmSync(join(parent, name), { force: true });
      else if (stats.isDirectory()) {
        const note = clearLeftover(parent, name, match[1]);
        if (note !== null) notes.push(note);
      }
    } catch (error) {
      notes.push(`could not clear ${join(parent, name)}, left over from an interrupted exitlab run (${errorCode(error)}); delete it by hand`);
    }
  }
  return notes;
}

/**
 * Writes a run's output folder (SPEC §7) all at once or not at all, replacing only what
 * exitlab wrote (README "Safety").
 *
 * The files and a `.exitlab` marker (outputMarker.ts) go into a fresh sibling folder
 * `<outDir>.tmp-<pid>-<n>` (same parent, so the final rename stays on one filesystem and is
 * atomic), which is then renamed to `outDir`. A folder already at `outDir` must be empty or
 * an earlier exitlab run — or `force` is given. Its files that exitlab wrote (listed in its
 * marker, unchanged) are replaced; every other entry — a notebook, a plot, an edited file —
 * is carried into the new folder. A file of the user's with the name of a file the run
 * writes is refused unless `force`. A folder that is or contains a protected path (the
 * working directory, home, an input) is refused even with `force`. On any failure the
 * carried entries go back, the temp folder is removed and `outDir` is left as it was.
 * No fsync: this guards against half-written folders, not against a power cut.
 *
 * A file's content is a string, bytes, or streamed: a function that hands its bytes chunk by
 * chunk to a sink, which writes each chunk to the file at once — a million-row CSV is never
 * one string in memory. A streamed file's hash is known only once it is written, so the
 * marker first lists it as pending (owned: only a work folder ever holds such a marker) and is
 * rewritten with every hash before the folder is swapped in. The CLI may stop a run at any
 * point before the swap (its work folder is then removed); the swap itself runs to its end
 * (commitGate.ts).
 */
import { createHash } from "node:crypto";
import {
  closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ExitlabError, OutputError } from "../engine/errors.js";
import { writeAllInSlices, writeFileInSlices } from "../data/writeInSlices.js";
import { commitGate } from "./commitGate.js";
import { cleanLeftovers, createTemporaryFolder, isLeftoverName, workFolderName } from "./leftovers.js";
import { formatMarker, isOwnedFile, MARKER_NAME, PENDING_HASH, readMarker, sha256Of } from "./outputMarker.js";
import { stillVerified, type VerifiedFiles } from "./ownershipCheck.js";
import { assertNotProtected, type ProtectedPath } from "./protectedPaths.js";

export interface OutputFile {
  /** A plain file name: no folder part. */
  readonly name: string;
  readonly content: string | Uint8Array | StreamedContent;
}

/** Content produced while it is written: `stream` calls `sink` with each chunk in order. */
export interface StreamedContent {
  readonly stream: (sink: (bytes: Uint8Array) => void) => void;
  /**
   * The same bytes written to `path` by another thread while this one writes the other files
   * (cli/outputThread.ts); `writeRunFolder` uses it when given. It returns `finish`, which waits
   * until the file is complete and returns its sha256 (or throws what went wrong).
   */
  readonly elsewhere?: (path: string) => () => string;
}

export interface WriteRunFolderOptions {
  /** Also write into a folder that is not an exitlab run, and replace its files of the run's names (the CLI's `--force`). */
  readonly force?: boolean;
  /** Folders that `outDir` must not be nor contain, even with `force`. */
  readonly protectedPaths?: readonly ProtectedPath[];
  /** Times the making and writing of each file (the CLI's `EXITLAB_TIMINGS`). */
  readonly timeFile?: <T>(name: string, work: () => T) => T;
  /** The earlier run's files already proven exitlab's (ownershipCheck.ts): not hashed again while unchanged. */
  readonly verified?: VerifiedFiles;
}

export interface WriteRunFolderResult {
  /** Things the user should know (a left-over that could not be cleared, an old folder left behind). */
  readonly notes: readonly string[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Wraps a file-system error (one with an errno `code`) in an OutputError. Anything else —
 * exitlab errors, and bugs such as a formatter that threw — passes through unchanged, so a
 * bug keeps its stack (STYLE §7).
 */
function asOutputError(error: unknown, where: string, message: string): unknown {
  if (error instanceof ExitlabError) return error;
  if (!(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== "string") return error;
  const wrapped = new OutputError(`${message}: ${messageOf(error)}`, where, "check the path and its permissions");
  wrapped.cause = error;
  return wrapped;
}

/** True when `folder` is an exitlab run folder (its marker says so), not a left-over of one. */
export function isExitlabRunFolder(folder: string): boolean {
  if (isLeftoverName(basename(resolve(folder)))) return false;
  return readMarker(folder)?.kind === "run";
}

interface ReplacementPlan {
  readonly exists: boolean;
  /** Entries of the old folder deleted once the new one is in place: exitlab's own, and files replaced with force. */
  readonly drop: readonly string[];
  /** Entries of the old folder carried into the new one: everything exitlab did not write. */
  readonly keep: readonly string[];
}

/** Decides what happens to each entry of the folder at `target`; throws when it may not be written. */
function planReplacement(target: string, given: string, newNames: ReadonlySet<string>, force: boolean, verified?: VerifiedFiles): ReplacementPlan {
  let stats;
  try {
    stats = lstatSync(target);
  } catch {
    return { exists: false, drop: [], keep: [] };
  }
  if (stats.isSymbolicLink()) throw new OutputError("is a symbolic link; exitlab does not write a run through one", given, "give the folder it points to, or another folder");
  if (!stats.isDirectory()) throw new OutputError("is a file, not a folder", given, "choose another output folder");
  const entries = readdirSync(target);
  const marker = readMarker(target);
  const isRun = marker?.kind === "run";
  if (entries.length > 0 && !isRun && !force) {
    throw new OutputError(
      "refusing to write into a folder that is not an exitlab run (no .exitlab marker)", given,
      "choose another output folder, or pass --force to add the run's files to it (its other files are kept)",
    );
  }
  const drop: string[] = [];
  const keep: string[] = [];
  for (const entry of entries) {
    if (isRun && (entry === MARKER_NAME || stillVerified(verified, target, entry, marker?.files.get(entry)) || isOwnedFile(target, entry, marker))) {
      drop.push(entry);
    } else if (newNames.has(entry) || entry === MARKER_NAME) {
      if (!lstatSync(join(target, entry)).isFile()) throw new OutputError("is in the way of a file the run writes, and is not a file", join(given, entry), "move it away");
      if (!force) {
        throw new OutputError(
          `refusing to replace a file exitlab did not write${marker?.files.has(entry) === true ? " (it was changed since)" : ""}`,
          join(given, entry), "move it away, or pass --force to replace it",
        );
      }
      drop.push(entry);
    } else {
      keep.push(entry);
    }
  }
  return { exists: true, drop, keep };
}

function assertPlainFileNames(files: ReadonlyArray<OutputFile>, outDir: string): void {
  const seen = new Set<string>();
  for (const file of files) {
    const name = file.name;
    if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name) || basename(name) !== name || name === MARKER_NAME) {
      throw new OutputError(`invalid output file name ${JSON.stringify(name)}`, outDir, "use a plain file name without a folder part");
    }
    if (seen.has(name)) throw new OutputError(`output file ${JSON.stringify(name)} is given twice`, outDir);
    seen.add(name);
  }
}

/** Moves `names` from one folder to another; returns those moved (for undoing). */
function moveEntries(names: readonly string[], from: string, to: string): string[] {
  const moved: string[] = [];
  for (const name of names) {
    renameSync(join(from, name), join(to, name));
    moved.push(name);
  }
  return moved;
}

/** Deletes exitlab's own files of `folder`, then the folder; a note when it is not empty after that. */
function removeOwnFiles(folder: string, names: readonly string[]): string | null {
  try {
    for (const name of names) rmSync(join(folder, name), { force: true });
    rmdirSync(folder);
    return null;
  } catch (error) {
    return `the run was written, but ${folder} could not be removed (${messageOf(error)}); delete it by hand`;
  }
}

/**
 * Writes `files` as the folder `outDir` (see the file comment). Creates missing parent
 * folders. Throws OutputError when `outDir` may not be written, when a name is not a plain
 * file name, or when writing fails.
 */
export function writeRunFolder(outDir: string, files: ReadonlyArray<OutputFile>, options: WriteRunFolderOptions = {}): WriteRunFolderResult {
  const target = resolve(outDir);
  if (dirname(target) === target) throw new OutputError("the output folder cannot be a file-system root", outDir);
  assertPlainFileNames(files, outDir);
  assertNotProtected(target, outDir, options.protectedPaths ?? []);
  const notes = cleanLeftovers(dirname(target));
  const plan = planReplacement(target, outDir, new Set(files.map((file) => file.name)), options.force === true, options.verified);
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    throw asOutputError(error, dirname(target), "could not create the parent folder");
  }

  const hashes = new Map(files.map((file) => [file.name, typeof file.content === "string" || file.content instanceof Uint8Array ? sha256Of(file.content) : PENDING_HASH]));
  // summary.json last: a folder killed mid-write holds no summary a reader could take for a run's.
  const ordered = [...files].sort((a, b) => Number(a.name === "summary.json") - Number(b.name === "summary.json"));
  let temporary: string | null = null;
  let carried: string[] = [];
  try {
    temporary = createTemporaryFolder(target);
    // The marker first: a left-over of this folder is recognisable as exitlab's from the start.
    const folder = temporary;
    writeFileSync(join(folder, MARKER_NAME), formatMarker("run", hashes));
    const timeFile = options.timeFile ?? ((_name, work) => work());
    writeFiles(folder, ordered, hashes, timeFile);
    writeFileSync(join(folder, MARKER_NAME), formatMarker("run", hashes));
    // The swap is never cut in half by a signal (commitGate.ts).
    commitGate().begin();
    let swapped = false;
    try {
      carried = moveEntries(plan.keep, target, temporary);
      if (!plan.exists) {
        renameSync(temporary, target);
        swapped = true;
        return { notes };
      }
      const old = workFolderName(target, "old");
      renameSync(target, old);
      try {
        renameSync(temporary, target);
      } catch (error) {
        renameSync(old, target);
        throw error;
      }
      temporary = null;
      swapped = true;
      const note = removeOwnFiles(old, plan.drop);
      return { notes: note === null ? notes : [...notes, note] };
    } finally {
      commitGate().end(swapped ? outDir : null);
    }
  } catch (error) {
    if (temporary !== null && existsSync(temporary)) {
      moveEntries(carried, temporary, target);
      rmSync(temporary, { recursive: true, force: true });
    }
    throw asOutputError(error, outDir, "could not write the output folder");
  }
}

function isElsewhere(content: OutputFile["content"]): content is StreamedContent & Required<Pick<StreamedContent, "elsewhere">> {
  return typeof content === "object" && !(content instanceof Uint8Array) && content.elsewhere !== undefined;
}

/**
 * Writes `ordered` into `folder`, setting the hash of each file hashed as it is written. Files
 * made elsewhere begin first and are waited for before summary.json (the last file); after a
 * failure they are still waited for, so nothing writes into the folder once it is removed.
 */
function writeFiles(folder: string, ordered: readonly OutputFile[], hashes: Map<string, string>, timeFile: <T>(name: string, work: () => T) => T): void {
  const pending: { name: string; finish: () => string }[] = [];
  try {
    for (const file of ordered) {
      if (isElsewhere(file.content)) pending.push({ name: file.name, finish: timeFile(file.name, () => (file.content as Required<StreamedContent>).elsewhere(join(folder, file.name))) });
    }
    for (const file of ordered) {
      if (isElsewhere(file.content)) continue;
      if (file.name === "summary.json") while (pending.length > 0) finishElsewhere(pending.shift()!, hashes, timeFile);
      const streamedHash = timeFile(file.name, () => writeOutputFile(join(folder, file.name), file.content));
      if (streamedHash !== null) hashes.set(file.name, streamedHash);
    }
    while (pending.length > 0) finishElsewhere(pending.shift()!, hashes, timeFile);
  } catch (error) {
    for (const file of pending) {
      try {
        file.finish();
      } catch {
        // The first failure is the one reported.
      }
    }
    throw error;
  }
}

function finishElsewhere(file: { name: string; finish: () => string }, hashes: Map<string, string>, timeFile: <T>(name: string, work: () => T) => T): void {
  hashes.set(file.name, timeFile(file.name, file.finish));
}

/** Writes one file; for streamed content, returns its sha256 hashed chunk by chunk (else null: hashed before). */
function writeOutputFile(path: string, content: OutputFile["content"]): string | null {
  if (typeof content === "string" || content instanceof Uint8Array) {
    writeFileInSlices(path, content);
    return null;
  }
  return writeStreamedFile(path, content.stream);
}

/** Writes the chunks `stream` hands out into a new file at `path`, one at a time; returns their sha256. */
export function writeStreamedFile(path: string, stream: StreamedContent["stream"]): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "w");
  try {
    stream((bytes) => {
      hash.update(bytes);
      writeAllInSlices(fd, bytes);
    });
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

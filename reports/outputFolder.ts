/**
 * Writes a run's output folder (SPEC §7) all at once or not at all.
 *
 * The files go into a fresh sibling folder `<outDir>.tmp-<pid>-<n>` (same parent, so the
 * final rename stays on one filesystem and is atomic), which is then renamed to `outDir`.
 * A folder already at `outDir` is replaced only when it is empty or an earlier exitlab run
 * (its summary.json names engine "exitlab"), or with `force`; it is moved aside first and
 * deleted after the new folder is in place. On any failure the temp folder is removed and
 * `outDir` is left as it was. No fsync: this guards against half-written folders from a
 * failed run, not against a power cut.
 *
 * A file's content is a string, bytes, or streamed: a function that hands its bytes chunk by
 * chunk to a sink, which writes each chunk to the file at once — a million-row CSV is never
 * one string in memory. Writing stays synchronous, so a signal handler still runs only
 * before the folder is started or after it is in place.
 */
import {
  closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ExitlabError, OutputError } from "../engine/errors.js";
import { ENGINE_NAME } from "./summary.js";

export interface OutputFile {
  /** A plain file name: no folder part. */
  readonly name: string;
  readonly content: string | Uint8Array | StreamedContent;
}

/** Content produced while it is written: `stream` calls `sink` with each chunk in order. */
export interface StreamedContent {
  readonly stream: (sink: (bytes: Uint8Array) => void) => void;
}

export interface WriteRunFolderOptions {
  /** Replace `outDir` even when it is not an exitlab run folder (the CLI's `--force`). */
  readonly force?: boolean;
  /** Times the making and writing of each file (the CLI's `EXITLAB_TIMINGS`). */
  readonly timeFile?: <T>(name: string, work: () => T) => T;
}

/** Per-process counter, so two writes from one process never share a temp name. */
let temporaryFolderCounter = 0;

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

/** True when `folder` holds a summary.json written by exitlab. */
export function isExitlabRunFolder(folder: string): boolean {
  try {
    const summary: unknown = JSON.parse(readFileSync(join(folder, "summary.json"), "utf8"));
    const engine = (summary as { engine?: { name?: unknown } } | null)?.engine;
    return typeof engine === "object" && engine !== null && engine.name === ENGINE_NAME;
  } catch {
    return false; // No summary or not JSON: not ours.
  }
}

/** Throws unless `outDir` is absent, empty, an earlier run, or `force` is set; true when something is there to move aside. */
function checkReplaceable(outDir: string, force: boolean): boolean {
  let stats;
  try {
    stats = lstatSync(outDir);
  } catch {
    return false; // Nothing there yet.
  }
  if (force) return true;
  const replaceable = stats.isDirectory() && (readdirSync(outDir).length === 0 || isExitlabRunFolder(outDir));
  if (!replaceable) {
    throw new OutputError(
      `refusing to replace ${stats.isDirectory() ? "a folder that is not an exitlab run" : "a file that is not a folder"}`,
      outDir,
      "choose another output folder, or pass --force to replace it",
    );
  }
  return true;
}

function assertPlainFileNames(files: ReadonlyArray<OutputFile>, outDir: string): void {
  const seen = new Set<string>();
  for (const file of files) {
    const name = file.name;
    if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name) || basename(name) !== name) {
      throw new OutputError(`invalid output file name ${JSON.stringify(name)}`, outDir, "use a plain file name without a folder part");
    }
    if (seen.has(name)) throw new OutputError(`output file ${JSON.stringify(name)} is given twice`, outDir);
    seen.add(name);
  }
}

/** Creates `<outDir>.tmp-<pid>-<n>`, skipping names left over by an earlier process with the same pid. */
function createTemporaryFolder(outDir: string): string {
  for (;;) {
    const candidate = `${outDir}.tmp-${process.pid}-${temporaryFolderCounter++}`;
    try {
      mkdirSync(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Moves `temporary` to `outDir`, swapping out whatever was there; restores it if the swap fails. */
function swapIn(temporary: string, outDir: string, replacing: boolean): void {
  if (!replacing) {
    renameSync(temporary, outDir);
    return;
  }
  const old = `${outDir}.old-${process.pid}-${temporaryFolderCounter++}`;
  renameSync(outDir, old);
  try {
    renameSync(temporary, outDir);
  } catch (error) {
    renameSync(old, outDir);
    throw error;
  }
  try {
    rmSync(old, { recursive: true, force: true });
  } catch (error) {
    throw new OutputError(
      `the run was written, but the previous folder could not be deleted: ${messageOf(error)}`,
      old,
      "delete it by hand",
    );
  }
}

/**
 * Writes `files` as the folder `outDir`, atomically (see the file comment). Creates missing
 * parent folders. Throws OutputError when `outDir` holds something other than an earlier
 * exitlab run (unless `force`), when a name is not a plain file name, or when writing fails.
 */
export function writeRunFolder(
  outDir: string,
  files: ReadonlyArray<OutputFile>,
  options: WriteRunFolderOptions = {},
): void {
  const target = resolve(outDir);
  if (dirname(target) === target) throw new OutputError("the output folder cannot be a file-system root", outDir);
  assertPlainFileNames(files, outDir);
  const replacing = checkReplaceable(target, options.force === true);
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    throw asOutputError(error, dirname(target), "could not create the parent folder");
  }

  let temporary: string | null = null;
  try {
    const folder = createTemporaryFolder(target);
    temporary = folder;
    const timeFile = options.timeFile ?? ((_name, work) => work());
    for (const file of files) timeFile(file.name, () => writeOutputFile(join(folder, file.name), file.content));
    swapIn(temporary, target, replacing);
    temporary = null;
  } catch (error) {
    if (temporary !== null && existsSync(temporary)) rmSync(temporary, { recursive: true, force: true });
    throw asOutputError(error, outDir, "could not write the output folder");
  }
}

function writeOutputFile(path: string, content: OutputFile["content"]): void {
  if (typeof content === "string" || content instanceof Uint8Array) {
    writeFileSync(path, content);
    return;
  }
  const fd = openSync(path, "w");
  try {
    content.stream((bytes) => {
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
    });
  } finally {
    closeSync(fd);
  }
}

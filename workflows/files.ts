import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { OutputError } from "../engine/index.js";

/** Single files a workflow writes beside (or instead of) a run folder: written whole or not at all. */

/** Throws an OutputError when `path` cannot become a file (a folder, or under a file). */
export function assertWritableFile(path: string): void {
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) throw new OutputError("is a folder, not a file", path);
  let parent = dirname(target);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) throw new OutputError(`cannot create a file under ${parent}, which is a file`, path);
}

export function writeTextAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was created (e.g. the path lies under a file).
    }
    throw new OutputError(`cannot write the file: ${(error as Error).message}`, path);
  }
}


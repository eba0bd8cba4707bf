import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { writeFileInSlices } from "../data/writeInSlices.js";
import { OutputError } from "../engine/index.js";
import { commitGate } from "../reports/commitGate.js";

/** Single files a workflow writes beside (or instead of) a run folder: written whole or not at all. */

/** Writes `path` atomically, replacing whatever is there: for files the user explicitly asked to rewrite (regress --update) and the sweep table. */
export function writeTextAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    commitGate().created(temporary);
    writeFileInSlices(temporary, text);
    commitGate().begin();
    let renamed = false;
    try {
      renameSync(temporary, path);
      renamed = true;
    } finally {
      commitGate().end(renamed ? path : null);
    }
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was created (e.g. the path lies under a file).
    }
    throw new OutputError(`cannot write the file: ${(error as Error).message}`, path);
  }
}


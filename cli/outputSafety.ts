/**
 * The CLI's side of the replace/keep rule (README "Safety"): the folders a run may never be
 * written over besides its inputs (workflows/inputPaths.ts) — the working directory, the home
 * folder, the config file and the data cache — and how the writers' notes (left-overs that
 * could not be cleared) reach the user.
 */
import { homedir } from "node:os";
import type { ProtectedPath } from "../reports/protectedPaths.js";
import type { CliIo } from "./cliIo.js";
import { cacheOf } from "./runArgs.js";

/** What the process knows and the run config does not: where it runs, whose it is, its config file and cache. */
export function processPathsOf(argv: Record<string, unknown>): ProtectedPath[] {
  const paths: ProtectedPath[] = [
    { path: process.cwd(), what: "the working directory" },
    { path: homedir(), what: "your home folder" },
  ];
  if (typeof argv.config === "string") paths.push({ path: argv.config, what: "the config file" });
  const cache = cacheOf(argv);
  if (cache !== null) paths.push({ path: cache.dir, what: "the data cache" });
  return paths;
}

/** Prints each note on stderr as one `exitlab: note: …` line. */
export function printNotes(notes: readonly string[], io: CliIo): void {
  for (const note of notes) io.err(`exitlab: note: ${note}\n`);
}

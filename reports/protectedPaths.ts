/**
 * Folders exitlab never writes a run over (README "Safety"): one that is or contains the
 * working directory, the user's home, or an input of the run (data, funding, detail,
 * predictions, strategy module, config, Q-table, cache). The caller (the CLI) names them;
 * the check holds even with --force, because replacing such a folder could only be a typo.
 */
import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { OutputError } from "../engine/errors.js";

export interface ProtectedPath {
  readonly path: string;
  /** What it is, for the message: "the working directory", "the data path". */
  readonly what: string;
}

/** The real path of `path`, resolving symbolic links in its longest existing prefix. */
export function realPathOf(path: string): string {
  const absolute = resolve(path);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return absolute;
      missing.unshift(basename(existing));
      existing = parent;
    }
  }
}

function isSameOrInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/** Throws an OutputError when `target` is, or contains, one of the protected paths. */
export function assertNotProtected(target: string, given: string, protectedPaths: readonly ProtectedPath[]): void {
  const realTarget = realPathOf(target);
  const plainTarget = resolve(target);
  for (const entry of protectedPaths) {
    const contains = isSameOrInside(realPathOf(entry.path), realTarget) || isSameOrInside(resolve(entry.path), plainTarget);
    if (!contains) continue;
    throw new OutputError(
      `refusing to write a run over a folder that ${realPathOf(entry.path) === realTarget ? "is" : "contains"} ${entry.what} (${entry.path})`,
      given,
      "choose a new or empty folder, e.g. runs/<name>",
    );
  }
}

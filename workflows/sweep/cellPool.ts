import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { ConfigError, ExitlabError } from "../../engine/index.js";
import { PACKAGE_ROOT } from "../packageInfo.js";
import type { RunWarning } from "../../strategies/warnings/runWarning.js";
import type { CellRun, CellTask } from "./cellRunner.js";

/**
 * A pool of worker threads that run sweep cells (piscina). Cells are CPU-bound and
 * synchronous, so they run off the main thread: the main thread stays free to append results,
 * and in a queue worker to renew BullMQ job locks while a cell runs.
 */
export interface CellPool {
  readonly threads: number;
  run(task: CellTask): Promise<CellRun>;
  close(): Promise<void>;
}

/** `--workers`: a whole number ≥ 1; absent means one thread per core. */
export function threadCountOf(value: unknown, flag = "--workers"): number {
  if (value === undefined || value === null) return availableParallelism();
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new ConfigError(`"${String(value)}" is not a whole number ≥ 1`, flag);
  return count;
}

/**
 * More worker threads than cores only compete for them, and each holds its own heap (16 on 2
 * cores used 2.9× the CPU time and 3 GB): capped at the core count, with a warning.
 */
export function capThreadsToCores(requested: number, flag = "--workers"): { threads: number; warning: RunWarning | null } {
  const cores = availableParallelism();
  if (requested <= cores) return { threads: requested, warning: null };
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;
  return {
    threads: cores,
    warning: { code: "workers-capped", count: requested - cores, message: `${flag} ${requested} is more than the ${plural(cores, "core")} of this machine: running ${plural(cores, "worker thread")}` },
  };
}

export function createCellPool(threads: number): CellPool {
  const pool = new Piscina<CellTask, CellRun>({
    filename: workerScriptUrl(),
    minThreads: threads,
    maxThreads: threads,
    // Threads stay up for the whole sweep: module loading (~0.3 s) is paid once per thread.
    idleTimeout: 60_000,
  });
  return {
    threads,
    run: (task) => pool.run(task),
    close: () => pool.destroy(),
  };
}

/**
 * The worker script must be compiled JavaScript (worker threads do not run TypeScript):
 * In the bundle, the loader of its code-cached copy; `worker.js` beside this module when it runs from dist/, else dist/workflows/sweep/worker.js of the
 * package — the case of tests that import the sources (`npm test` compiles dist/ first).
 */
export function workerScriptUrl(): string {
  // In the bundle (dist/bundle/cli/, cli/bundle.mjs): the loader that compiles the thread's code from V8's code cache.
  const bundled = new URL("./sweepCellLoader.cjs", import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return fileURLToPath(bundled);
  const sibling = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling.href;
  const compiled = join(PACKAGE_ROOT, "dist", "workflows", "sweep", "worker.js");
  if (existsSync(compiled)) return pathToFileURL(compiled).href;
  throw new ExitlabError("USAGE_INVALID", "the compiled sweep worker is missing", compiled, "build the project first: npx tsc -p tsconfig.json (npm run build)");
}

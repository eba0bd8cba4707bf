import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { ExitlabError } from "../../engine/index.js";
import type { CellRun } from "../sweep/cellRunner.js";
import { PACKAGE_ROOT } from "../packageInfo.js";
import type { WindowCellTask } from "./windowCell.js";

/**
 * The walk-forward's worker threads (piscina, as the sweep's pool): the in-sample cells of
 * every window share one pool, so windows run in parallel and no core idles while one window
 * waits for its slowest cell.
 */
export interface WindowPool {
  readonly threads: number;
  /** Where the cells run, for the progress line: "on 2 worker threads", "on the queue …". */
  readonly where: string;
  run(task: WindowCellTask): Promise<CellRun>;
  close(): Promise<void>;
}

export function createWindowPool(threads: number): WindowPool {
  const pool = new Piscina<WindowCellTask, CellRun>({ filename: windowWorkerUrl(), minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  return { threads, where: `on ${threads} worker thread${threads === 1 ? "" : "s"}`, run: (task) => pool.run(task), close: () => pool.destroy() };
}

/** In the bundle, the loader of its code-cached copy; worker.js beside this module (dist/), else the package's dist/workflows/walkforward/worker.js (tests run the sources). */
function windowWorkerUrl(): string {
  // In the bundle (dist/bundle/cli/, cli/bundle.mjs): the loader that compiles the thread's code from V8's code cache.
  const bundled = new URL("./windowCellLoader.cjs", import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return fileURLToPath(bundled);
  const sibling = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling.href;
  const compiled = join(PACKAGE_ROOT, "dist", "workflows", "walkforward", "worker.js");
  if (existsSync(compiled)) return pathToFileURL(compiled).href;
  throw new ExitlabError("USAGE_INVALID", "the compiled walk-forward worker is missing", compiled, "build the project first: npx tsc -p tsconfig.json (npm run build)");
}

import { workerExitMessage } from "./exitGuard.js";
import { processLabel } from "./processHooks.js";
import type { CellRecord } from "./cellLog.js";
import type { CellPool } from "./cellPool.js";
import type { CellRun } from "./cellRunner.js";
import type { ReadyCell } from "./grid.js";
import type { SharedMarketData } from "./sharedData.js";

/**
 * Runs cells on this machine's cores: one piscina pool, every cell a task over the same shared
 * data. `onFinished` is called on the main thread as each cell completes (in completion
 * order, which varies; results do not depend on it).
 */
export async function runCellsLocally(
  cells: readonly ReadyCell[], data: SharedMarketData, pool: CellPool, onFinished: (record: CellRecord, outcomeJson?: string) => void,
): Promise<void> {
  if (cells.length === 0) return;
  const ranBy = processLabel();
  await Promise.all(cells.map(async (cell) => {
    const run = await pool.run({ cellId: cell.cellId, config: cell.config, data }).catch((error: unknown): CellRun => {
      // A thread that ended mid-cell fails that cell; piscina starts a new thread for the rest.
      const message = workerExitMessage(error);
      if (message === null) throw error;
      return { outcome: { status: "failed", message }, elapsedMs: 0 };
    });
    onFinished({ cellId: cell.cellId, values: cell.values, outcome: run.outcome, ranBy, elapsedMs: run.elapsedMs }, run.outcomeJson);
  }));
}

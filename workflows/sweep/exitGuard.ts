import { StrategyError } from "../../engine/index.js";

/**
 * A strategy that calls `process.exit` inside a sweep cell fails that cell, not the sweep
 * (README "Safety"). In a worker thread `process.exit` would end the thread and piscina would
 * reject the task; here it throws a StrategyError instead, which the cell reports as its
 * failure (cellRunner.ts) while the other cells run on. `workerExitOutcome` is the net for a
 * thread that ends anyway.
 */
export function guardProcessExit(): void {
  process.exit = ((code?: number | string | null) => {
    throw new StrategyError(`the strategy called process.exit(${code ?? ""}) inside a sweep cell`, "process.exit",
      "a strategy returns its signals or throws an Error; it cannot end the sweep's process");
  }) as typeof process.exit;
}

/** piscina's error for a task whose thread ended while it ran. */
const THREAD_EXIT = /^worker exited with code: ?(-?\d+)/;

/** The failure of a cell whose worker thread ended mid-task, or null for any other error (a bug: it stops the sweep). */
export function workerExitMessage(error: unknown): string | null {
  const match = error instanceof Error ? THREAD_EXIT.exec(error.message) : null;
  return match === null ? null : `the cell's worker thread ended with code ${match[1]} while it ran (a strategy that ends its thread or process)`;
}

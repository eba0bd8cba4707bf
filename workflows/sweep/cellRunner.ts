import { ExitlabError, ReplayBuffers, withReplayBuffers, type MarketData } from "../../engine/index.js";
import { dailyReturnsOf } from "../../reports/overfitting/dailyReturns.js";
import { numericStatNames, numericStatOf } from "../../reports/workflows/statFields.js";
import { ledgerTradeFingerprint, tradeFingerprint } from "../../reports/workflows/tradeFingerprint.js";
import { buildSparseSignals, type SignalInputs } from "../../strategies/buildRun.js";
import { configSchema, type RunConfig } from "../../strategies/config.js";
import { executeRun, loadSignalInputs } from "../backtest.js";
import { canonicalJson, deepFreeze } from "./grid.js";
import { viewMarketData, type SharedMarketData } from "./sharedData.js";

/**
 * One sweep cell, run where the work happens (a piscina worker thread): the same
 * `executeRun` as `backtest`, so a cell's numbers are the numbers `backtest` prints for the
 * same config. Plain data in, plain data out — tasks cross thread and machine boundaries.
 */

export interface CellTask {
  readonly cellId: string;
  /** The cell's resolved config (validated again here: it crossed a boundary). */
  readonly config: unknown;
  readonly data: SharedMarketData;
}

/** A finished cell. `failed` is a known, reproducible error of this config (bad module output …). */
export type CellOutcome =
  | {
    readonly status: "done";
    /** Every scalar RunStats field by name (null where undefined), so any can rank a resumed sweep. */
    readonly metrics: Readonly<Record<string, number | null>>;
    /** reports/workflows/tradeFingerprint.ts over the cell's trades. */
    readonly tradeFingerprint: string;
    /**
     * Daily equity returns (reports/overfitting/dailyReturns.ts), for the overfitting statistics;
     * absent in journals of older versions. From a local cell's thread, a Float64Array: a
     * million hourly bars are ~40,000 days, and as a plain array each cell's would be ~1 MB of
     * boxed numbers for the main thread's garbage collector to copy and scan.
     */
    readonly dailyReturns?: readonly number[] | Float64Array;
  }
  | { readonly status: "failed"; readonly message: string };

/** A task's answer: the outcome, and how long the cell took in its thread (for progress only). */
export interface CellRun {
  readonly outcome: CellOutcome;
  readonly elapsedMs: number;
  /** `JSON.stringify(outcome)`, made here rather than on the main thread, which journals it (cellLog.ts). */
  readonly outcomeJson?: string;
}

// Per thread: the views over the shared data and the signal inputs, reused across cells.
let viewed: { hash: string; data: MarketData } | null = null;
const signalInputs = new Map<string, Promise<SignalInputs>>();
/**
 * The timeline and equity columns every cell of this thread writes into (engine/replayBuffers.ts):
 * only those the statistics read, since a cell keeps its statistics and daily returns alone.
 */
const buffers = new ReplayBuffers("statistics");

export async function runCellTask(task: CellTask): Promise<CellRun> {
  const startedMs = performance.now();
  const outcome = await outcomeOf(task);
  const outcomeJson = JSON.stringify(outcome);
  const sent = outcome.status === "done" && outcome.dailyReturns !== undefined ? { ...outcome, dailyReturns: Float64Array.from(outcome.dailyReturns) } : outcome;
  return { outcome: sent, elapsedMs: Math.round(performance.now() - startedMs), outcomeJson };
}

async function outcomeOf(task: CellTask): Promise<CellOutcome> {
  if (viewed === null || viewed.hash !== task.data.hash) viewed = { hash: task.data.hash, data: viewMarketData(task.data) };
  const config = deepFreeze(configSchema.parse(task.config)) as RunConfig;
  try {
    const data = viewed.data;
    const inputs = await signalInputsOf(config, viewed);
    // Everything read from the run's equity columns is read inside: the next cell reuses them.
    return withReplayBuffers(buffers, () => {
      const run = executeRun({ config, data, inputs }, config);
      const metrics: Record<string, number | null> = {};
      for (const name of numericStatNames(run.stats)) metrics[name] = numericStatOf(run.stats, name) ?? null;
      const ledgers = run.result.ledgers;
      const fingerprint = ledgers === undefined ? tradeFingerprint(run.result.trades) : ledgerTradeFingerprint(ledgers.trades);
      const dailyReturns = dailyReturnsOf(run.result.equity.time, run.result.equity.equity, config.initialBalance);
      return { status: "done", metrics, tradeFingerprint: fingerprint, dailyReturns } as const;
    });
  } catch (error) {
    // Known errors belong to the cell (the same config fails the same way anywhere); anything else is a bug and stops the sweep.
    if (error instanceof ExitlabError) return { status: "failed", message: error.oneLine() };
    throw error;
  }
}

/**
 * The signal inputs and the computed signals of a signal config, once per thread and data
 * set: cells that differ only in exits, sizing or gates reuse them instead of recomputing
 * indicators over every bar (and allocating their columns) for each cell.
 */
function signalInputsOf(config: RunConfig, data: { hash: string; data: MarketData }): Promise<SignalInputs> {
  const key = `${data.hash}\n${canonicalJson(config.signals)}`;
  let inputs = signalInputs.get(key);
  if (inputs === undefined) {
    inputs = loadSignalInputs(config, data.data).then((loaded) => ({ ...loaded, precomputed: buildSparseSignals(config, data.data, loaded) }));
    signalInputs.set(key, inputs);
  }
  return inputs;
}

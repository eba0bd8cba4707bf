import { join } from "node:path";
import type { MarketDataCacheOptions } from "../../data/index.js";
import { ConfigError, type MarketData } from "../../engine/index.js";
import type { ProtectedPath } from "../../reports/protectedPaths.js";
import type { RunWarning } from "../../strategies/warnings/runWarning.js";
import type { RunConfig } from "../../strategies/config.js";
import { loadConfiguredData, loadSignalInputs } from "../backtest.js";
import { writeTextAtomically } from "../files.js";
import { openCellLog, type CellRecord, type SweepIdentity } from "./cellLog.js";
import { capThreadsToCores, createCellPool, threadCountOf, type CellPool } from "./cellPool.js";
import { claimSweepFolder, sealSweepFolder, TABLE_FILES } from "./sweepFolder.js";
import { inputPathsOf } from "../inputPaths.js";
import type { CellOutcome } from "./cellRunner.js";
import { assertSomeCellValid, canonicalJson, cellOf, expandGrid, gridHashOf, gridSizeOf, sha256Hex, type GridCell, type ReadyCell } from "./grid.js";
import { runCellsLocally } from "./localSweep.js";
import { connectionOf, probeRedis, queueNameOf } from "./queueProtocol.js";
import { withAbsolutePaths } from "./portableConfig.js";
import { DEFAULT_PBO_PARTITIONS, sweepOverfittingOf, type SweepOverfitting } from "./overfitting.js";
import { lossOf, TrialPlanner } from "./searchPlan.js";
import { formatSweepPage } from "./sweepPage.js";
import { gridOfSpace, spaceSizeOf } from "./searchSpace.js";
import { dataHashOf, shareMarketData, sharedCache, type SharedMarketData } from "./sharedData.js";
import type { SweepSpec } from "./sweepFile.js";
import { formatSweepCsv, formatSweepJson, rankCells, type SweepRow } from "./sweepTable.js";

/** A sweep runs at most this many cells unless told otherwise (`--max-cells`, `maxCells`). */
export const DEFAULT_MAX_CELLS = 10_000;

export interface SweepOptions {
  readonly spec: SweepSpec;
  /** Where the grid came from, for errors (the sweep file's path); default "grid". */
  readonly gridLabel?: string;
  /** The base config every cell starts from (validated). */
  readonly config: RunConfig;
  /** The sweep's folder: cells.jsonl, sweep.csv, sweep.json, sweep.html. */
  readonly out: string;
  /** Worker threads of a local sweep; default one per core. */
  readonly threads?: number;
  /** Run the cells on `exitlab worker`s through this Redis URL instead of locally. */
  readonly queue?: string;
  /** Names the queue (exitlab-sweep-<id>); default "default". */
  readonly sweepId?: string;
  /** Keep the finished cells of the same sweep in `out` (default true). */
  readonly resume?: boolean;
  /**
   * Start afresh: discard the finished cells found in `out` (of this sweep or another) and the
   * queue's jobs, and write into a folder exitlab did not write (its other files are kept).
   */
  readonly force?: boolean;
  /** Folders `out` must not be nor contain, besides the base config's inputs (the CLI adds the working directory and home). */
  readonly protectedPaths?: readonly ProtectedPath[];
  /** The most cells the sweep may run (a grid's size, a search's trials); default DEFAULT_MAX_CELLS. */
  readonly maxCells?: number;
  /** Receives each warning as it is found (the CLI prints it on stderr); sweep.json counts them too. */
  readonly onWarning?: (warning: RunWarning) => void;
  readonly cache?: MarketDataCacheOptions | null;
  /** Market data already in memory (local sweeps only: queue workers load the files themselves). */
  readonly data?: MarketData;
  /** CSCV blocks of the PBO (even, ≥ 2); default 16. */
  readonly pboPartitions?: number;
  /** Progress lines (start, each finished cell); default: none. */
  readonly log?: (line: string) => void;
  /** Times the sweep's steps (the CLI's `EXITLAB_TIMINGS`); default: untimed. */
  readonly clock?: SweepClock;
}

/** Wall-time phases of a sweep: data load, cells, ranking, overfitting, each table file. */
export interface SweepClock {
  time<T>(phase: string, work: () => T): T;
  timeAsync<T>(phase: string, work: () => Promise<T>): Promise<T>;
}

const UNTIMED: SweepClock = { time: (_phase, work) => work(), timeAsync: (_phase, work) => work() };

export interface SweepOutcome {
  readonly spec: SweepSpec;
  readonly identity: SweepIdentity;
  /** Every cell, ranked (sweep/sweepTable.ts). */
  readonly rows: readonly SweepRow[];
  /** PBO and the deflated Sharpe ratio over the ranked cells (workflows/sweep/overfitting.ts). */
  readonly overfitting: SweepOverfitting;
  readonly out: string;
  /** What the sweep ignored or changed of what it was given (also in sweep.json). */
  readonly warnings: readonly RunWarning[];
}

/**
 * A sweep: a parameter grid over one base config and one data set (SPEC §8). The
 * base config is resolved as `backtest` resolves it; the data is loaded once. Cells run on
 * this machine's cores, or on `exitlab worker`s through a BullMQ queue (`--queue`); either
 * way each finished cell is journaled at once and the ranked table is written at the end.
 */
export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const { spec } = options;
  const warnings: RunWarning[] = [];
  const warn = (warning: RunWarning): void => {
    warnings.push(warning);
    options.onWarning?.(warning);
  };
  const label = options.gridLabel ?? "grid";
  assertWithinBound(plannedCellCount(spec, label), options.maxCells ?? DEFAULT_MAX_CELLS, label);
  const queued = options.queue !== undefined;
  const capped = capThreadsToCores(options.threads ?? threadCountOf(undefined));
  if (!queued && capped.warning !== null) warn(capped.warning);
  if (queued) {
    // Before loading anything or touching the folder: a wrong address or sweep id fails at once.
    queueNameOf(options.sweepId);
    await probeRedis(connectionOf(options.queue), "--queue");
  }
  // A local sweep starts its worker threads first: each loads the engine (~0.2 s) while this
  // thread loads the data, instead of after it.
  const pool = queued ? null : createCellPool(Math.min(capped.threads, Math.max(1, plannedCellCount(spec, label))));
  try {
    return await sweepWith(pool, options, warnings, warn);
  } finally {
    if (pool !== null) await (options.clock ?? UNTIMED).timeAsync("worker threads' end", () => pool.close());
  }
}

/** The sweep once its pool is up: `pool` null means the cells go to a queue. */
async function sweepWith(pool: CellPool | null, options: SweepOptions, warnings: readonly RunWarning[], warn: (warning: RunWarning) => void): Promise<SweepOutcome> {
  const { spec, out } = options;
  const queued = pool === null;
  const label = options.gridLabel ?? "grid";
  const clock = options.clock ?? UNTIMED;
  // The data, for its hash (and a local sweep's shared memory); the signal source is only
  // loaded here, to fail early — each thread computes the signals once per signal config.
  const given = queued ? undefined : options.data;
  const prepared = { config: options.config, data: given ?? await clock.timeAsync("data load", () => loadConfiguredData(options.config, sharedCache(options.cache))) };
  await clock.timeAsync("signal source load", () => loadSignalInputs(options.config));
  // Workers on other machines load the data themselves: they get absolute paths.
  const base = queued ? withAbsolutePaths(prepared.config) : prepared.config;
  const gridCells = spec.search.method === "grid" ? expandGrid(base, gridOfSpace(spec.space, label)) : null;
  if (gridCells !== null) assertSomeCellValid(gridCells, label);
  const dataHash = clock.time("data hash", () => dataHashOf(prepared.data));
  const identity: SweepIdentity = {
    gridHash: gridCells === null ? searchHashOf(spec) : gridHashOf(gridCells),
    baseHash: baseHashOf(prepared.config, dataHash),
    cellCount: gridCells === null ? plannedCellCount(spec, label) : gridCells.length,
  };
  // The folder may be written (and its stale tables go) before anything is: README "Safety".
  claimSweepFolder(out, { force: options.force === true, protectedPaths: [...(options.protectedPaths ?? []), ...inputPathsOf(options.config)] });
  const log = openCellLog(out, identity, { resume: options.resume !== false, force: options.force === true });

  const outcomes = new Map<string, CellOutcome>([...log.finished.values()].map((record) => [record.cellId, record.outcome]));
  const progress = options.log ?? ((): void => {});
  if (log.opening === "replaced") progress(`sweep: discarded the ${log.discarded} finished cell${log.discarded === 1 ? "" : "s"} in ${log.path} and started afresh (--force)`);
  let finishedCount = 0;
  let pendingCount = 0;
  const onFinished = (record: CellRecord, outcomeJson?: string): void => {
    log.append(record, outcomeJson);
    outcomes.set(record.cellId, record.outcome);
    finishedCount += 1;
    progress(`  [${finishedCount}/${pendingCount}] cell ${record.cellId} ${record.outcome.status} in ${record.elapsedMs} ms (${record.ranBy})`);
  };
  const shared = queued ? null : clock.time("data sharing", () => shareMarketData(prepared.data));
  let claimedQueue = false;
  /** Runs the round's cells that are valid and not in the journal yet. */
  const runRound = async (round: readonly GridCell[], what: string): Promise<void> => {
    const pending = round.filter((cell): cell is ReadyCell => cell.status === "ready" && !outcomes.has(cell.cellId));
    const skipped = round.filter((cell) => cell.status === "skipped").length;
    [finishedCount, pendingCount] = [0, pending.length];
    const used = Math.min(pool?.threads ?? 0, Math.max(pending.length, 1));
    progress(`sweep: ${what}${round.length} cells (${skipped} skipped as invalid, ${round.length - skipped - pending.length} already done); `
      + `running ${pending.length} ${queued ? "on the queue's workers" : `on ${used} worker thread${used === 1 ? "" : "s"}`}`);
    if (pool === null) {
      // Loaded only for --queue: bullmq adds ~0.15 s to every start-up.
      const { runCellsOnQueue } = await import("./queueSweep.js");
      const queueClaimed = claimedQueue;
      claimedQueue = true;
      await clock.timeAsync("cells", () => runCellsOnQueue({
        queue: options.queue, sweepId: options.sweepId, sweepHash: sha256Hex(`${identity.gridHash}\n${identity.baseHash}`), dataHash,
        // --force empties the queue once, before the first round: later rounds keep the earlier ones' jobs.
        cells: pending, force: options.force === true && !queueClaimed, onFinished,
        onWaiting: (name) => progress(`sweep: ${pending.length} cells on queue ${name}; start workers with: exitlab worker --queue ${String(options.queue)}${options.sweepId === undefined ? "" : ` --sweep-id ${options.sweepId}`}`),
      }));
    } else {
      await clock.timeAsync("cells", () => runCellsLocally(pending, shared as SharedMarketData, pool, onFinished));
    }
  };

  let cells: GridCell[];
  if (gridCells !== null) {
    cells = gridCells;
    await runRound(cells, "");
  } else {
    cells = [];
    const planner = new TrialPlanner(spec.space, spec.search, prepared.config.seed);
    for (let roundIndex = 1; ; roundIndex++) {
      const history = cells.map((cell) => ({ values: cell.values, loss: lossOf(outcomes.get(cell.cellId), spec) }));
      const round = planner.nextRound(history).map((values) => cellOf(base, values));
      if (round.length === 0) break;
      if (cells.length === 0) assertSomeCellValid(round, label);
      cells.push(...round);
      await runRound(round, `${spec.search.method} search round ${roundIndex}: `);
    }
  }

  const ignoredSaves = cells.filter((cell) => cell.status === "ready" && cell.config.sizing.kind === "rl" && cell.config.sizing.save !== null).length;
  if (ignoredSaves > 0) {
    warn({ code: "sweep-rl-save-ignored", count: ignoredSaves, message: `sizing.save (--rl-save) is ignored in a sweep: its cells write no files (${ignoredSaves} cell${ignoredSaves === 1 ? "" : "s"})` });
  }
  const rows = clock.time("ranking", () => rankCells(cells, outcomes, spec));
  const overfitting = clock.time("overfitting", () => sweepOverfittingOf(rows, outcomes, options.pboPartitions ?? DEFAULT_PBO_PARTITIONS));
  // All three made before any is written (a phase per file: its making and its writing).
  const tables = new Map<string, string>([
    [TABLE_FILES[0], clock.time(TABLE_FILES[0], () => formatSweepCsv(rows, spec))],
    [TABLE_FILES[1], clock.time(TABLE_FILES[1], () => formatSweepJson(rows, spec, identity, overfitting, warnings))],
    [TABLE_FILES[2], clock.time(TABLE_FILES[2], () => formatSweepPage(rows, spec, overfitting))],
  ]);
  for (const [name, text] of tables) clock.time(name, () => writeTextAtomically(join(out, name), text));
  sealSweepFolder(out);
  return { spec, identity, rows, overfitting, out, warnings };
}

/** A sweep larger than `bound` cells is an error naming the bound and how to raise it. */
function assertWithinBound(cells: number, bound: number, label: string): void {
  if (cells <= bound) return;
  throw new ConfigError(`the sweep has ${cells.toLocaleString("en-US")} cells, more than the bound of ${bound.toLocaleString("en-US")}`, `${label} grid`,
    "narrow the grid, draw cells with --search random --trials N, or raise the bound with --max-cells N");
}

/** How many cells the sweep runs at most: the grid's size, or a search's trials (capped by the space's size). */
export function plannedCellCount(spec: SweepSpec, label: string): number {
  return spec.search.method === "grid" ? gridSizeOf(gridOfSpace(spec.space, label)) : Math.min(spec.search.trials ?? 0, spaceSizeOf(spec.space));
}

/**
 * A random or TPE search's identity in place of the grid hash: the space, the method, the trials
 * and (TPE, whose proposals follow the results) the batch and the ranking rule. The seed is the
 * base config's, inside the base hash.
 */
function searchHashOf(spec: SweepSpec): string {
  const space = spec.space.map(([path, param]) => [path, param]);
  const ranking = spec.search.method === "tpe" ? { metric: spec.metric, direction: spec.direction, minTrades: spec.minTrades, batch: spec.search.batch } : {};
  return sha256Hex(canonicalJson({ method: spec.search.method, trials: spec.search.trials, space, ...ranking }));
}

/**
 * The base config's identity: every setting but where the data lies and where output goes,
 * plus the data's content. A resumed sweep must match it, so moving the data folder keeps the
 * finished cells while changing a setting or a byte of data does not.
 */
export function baseHashOf(config: RunConfig, dataHash: string): string {
  const { data: _data, output: _output, ...settings } = config;
  return sha256Hex(canonicalJson({ settings, dataHash }));
}

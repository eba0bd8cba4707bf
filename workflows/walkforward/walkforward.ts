import type { MarketDataCacheOptions } from "../../data/index.js";
import type { LoadedMarketData } from "../../data/loadMarketData.js";
import { ConfigError, type MarketData } from "../../engine/index.js";
import { writeRunFolder } from "../../reports/outputFolder.js";
import type { ProtectedPath } from "../../reports/protectedPaths.js";
import { runIdentityOf, type RunIdentity } from "../../reports/workflows/regressIdentity.js";
import type { RunConfig } from "../../strategies/config.js";
import type { RunWarning } from "../../strategies/warnings/runWarning.js";
import { loadConfiguredData, loadSignalInputs, runFiles } from "../backtest.js";
import { inputPathsOf } from "../inputPaths.js";
import { threadCountOf } from "../sweep/cellPool.js";
import { assertSomeCellValid, expandGrid, type ReadyCell } from "../sweep/grid.js";
import { DEFAULT_PBO_PARTITIONS } from "../sweep/overfitting.js";
import { gridOfSpace } from "../sweep/searchSpace.js";
import { shareMarketData, sharedCache } from "../sweep/sharedData.js";
import type { SweepSpec } from "../sweep/sweepFile.js";
import { runSegment, segmentSignals, segmentView, type Segment } from "./segment.js";
import { stitchParts, type StitchPart } from "./stitch.js";
import { createWindowPool, type WindowPool } from "./windowPool.js";
import { searchWindow, type WindowSearch } from "./windowSearch.js";
import { efficiencyOf, formatWalkforwardCsv, formatWalkforwardJson, sideFigures, walkforwardEfficiencyOf, type WalkforwardEfficiency, type WindowRow } from "./walkforwardTable.js";
import { walkforwardWorkflowBlock } from "./walkforwardFormat.js";
import { spanMs, walkWindows, type Span, type WalkWindow, type WindowSettings } from "./windows.js";

export interface WalkforwardOptions {
  /** The search space and ranking (a sweep file, parsed). */
  readonly spec: SweepSpec;
  readonly gridLabel?: string;
  /** The base config of every cell (validated); its `seed` seeds a random or TPE search. */
  readonly config: RunConfig;
  readonly windows: WindowSettings;
  /** Warm-up history before each part; null (default): every earlier bar. */
  readonly warmup?: Span | null;
  /** Worker threads; default one per core. */
  readonly threads?: number;
  /** Run the in-sample cells as jobs on this Redis/BullMQ queue (`exitlab worker`s run them) instead of local threads. */
  readonly queue?: string;
  /** Names the queue (exitlab-sweep-<id>), as for a sweep; default "default". */
  readonly sweepId?: string;
  readonly data?: MarketData;
  readonly cache?: MarketDataCacheOptions | null;
  readonly pboPartitions?: number;
  /** The run folder. */
  readonly out: string;
  readonly force?: boolean;
  /** Folders the run folder must not be nor contain, besides the run's inputs. */
  readonly protectedPaths?: readonly ProtectedPath[];
  readonly log?: (line: string) => void;
}

export interface WalkforwardOutcome {
  readonly windows: readonly WindowRow[];
  readonly efficiency: WalkforwardEfficiency;
  readonly stitched: ReturnType<typeof stitchParts>;
  readonly warnings: readonly RunWarning[];
  /** The base config with the walk-forward's settings and search space, and the data's fingerprint (a regress baseline's identity). */
  readonly identity: RunIdentity;
  readonly out: string;
  readonly notes: readonly string[];
}

/**
 * A walk-forward (README "Walk-forward"): per window, the sweep's search on the training part,
 * then the in-sample rank-1 cell on the following test part; the test parts stitched into one
 * run folder (summary.json, equity.csv, trades.csv, …, report.html) with walkforward.csv and
 * walkforward.json. The in-sample cells of all windows share one worker pool.
 */
export async function runWalkforward(options: WalkforwardOptions): Promise<WalkforwardOutcome> {
  const { config } = options;
  const signalInputs = await loadSignalInputs(config);
  if (signalInputs.module?.kind === "orders") {
    throw new ConfigError("a version-2 strategy module places its orders during the replay, so its decisions cannot be held back during the warm-up", "signals", "walk forward a signal source: a built-in signal, a predictions file or a version-1 module");
  }
  // bullmq is loaded only when a queue is asked for (it adds ~0.15 s to a start-up).
  const pool = options.queue === undefined
    ? createWindowPool(options.threads ?? threadCountOf(undefined))
    : await (await import("./queueWindowPool.js")).createQueueWindowPool(options.queue, options.sweepId);
  try {
    return await walkforwardWith(pool, options, options.data ?? await loadConfiguredData(config, sharedCache(options.cache)));
  } finally {
    await pool.close();
  }
}

async function walkforwardWith(pool: WindowPool, options: WalkforwardOptions, data: MarketData): Promise<WalkforwardOutcome> {
  const { spec, config } = options;
  const label = options.gridLabel ?? "grid";
  const progress = options.log ?? ((): void => {});
  const timeframeMs = data.bars[0].timeframeMs;
  const startMs = Math.min(...data.bars.map((series) => series.time[0]));
  const endMs = Math.max(...data.bars.map((series) => series.time[series.length - 1])) + timeframeMs;
  const windows = walkWindows(options.windows, startMs, endMs, timeframeMs);
  const warmupMs = options.warmup === null || options.warmup === undefined ? null : spanMs(options.warmup, timeframeMs);
  const segmentOf = (fromMs: number, toMs: number): Segment => ({ warmFromMs: warmupMs === null ? -Infinity : fromMs - warmupMs, fromMs, toMs });
  const gridCells = spec.search.method === "grid" ? expandGrid(config, gridOfSpace(spec.space, label)) : null;
  if (gridCells !== null) assertSomeCellValid(gridCells, label);
  const partitions = options.pboPartitions ?? DEFAULT_PBO_PARTITIONS;

  progress(`walkforward: ${windows.length} windows, ${gridCells === null ? `${spec.search.method} search of ${spec.search.trials} trials` : `${gridCells.length} cells`} each, ${pool.where}`);
  const shared = shareMarketData(data);
  const context = { pool, data: shared, base: config, spec, gridCells, pboPartitions: partitions, gridLabel: label };
  const searches = await Promise.all(windows.map(async (window) => {
    const search = await searchWindow(context, segmentOf(window.trainFromMs, window.trainToMs), `window ${window.index} (train)`);
    progress(`  window ${window.index}: ${search.outcomes.size} in-sample cells done`);
    return search;
  }));

  // Out of sample, in order: each window starts with the previous one's final equity.
  let balance = config.initialBalance;
  const parts: StitchPart[] = [];
  const rows: WindowRow[] = [];
  const warnings: RunWarning[] = [...((data as LoadedMarketData).warnings ?? [])];
  for (const [index, window] of windows.entries()) {
    const search = searches[index];
    const chosenRow = search.rows[0]?.rank === 1 ? search.rows[0] : null;
    const chosenConfig = chosenRow === null ? config : (search.cells.find((cell) => cell.cellId === chosenRow.cellId) as ReadyCell).config;
    const testConfig: RunConfig = { ...chosenConfig, initialBalance: balance };
    const segment = segmentOf(window.testFromMs, window.testToMs);
    const view = segmentView(data, segment, `window ${window.index} (test)`);
    const { inputs, signals } = await segmentSignals(testConfig, view);
    const part = runSegment(testConfig, view, inputs, signals, segment, chosenRow !== null);
    parts.push({ result: part.run.result, equity: part.equity });
    warnings.push(...part.run.warnings);
    rows.push(windowRow(window, search, chosenRow === null ? null : { cellId: chosenRow.cellId, values: chosenRow.values }, part, balance, spec.metric));
    balance = part.run.result.account.finalEquity;
  }
  const stitched = stitchParts(parts, config.initialBalance);
  const idle = rows.filter((row) => row.chosen === null).length;
  if (idle > 0) warnings.push({ code: "walkforward-no-ranked-cell", count: idle, message: `${idle} window${idle === 1 ? "" : "s"} had no ranked in-sample cell (too few trades or none done) and stayed out of the market in its test part` });
  const mergedWarnings = mergeWarnings(warnings);
  const efficiency = walkforwardEfficiencyOf(rows, stitched.stats.annualizedReturnPct);
  const settings = {
    train: options.windows.train.text, test: options.windows.test.text, step: (options.windows.step ?? options.windows.test).text, anchored: options.windows.anchored,
    warmup: options.warmup?.text ?? "all", search: spec.search, metric: spec.metric, direction: spec.direction, minTrades: spec.minTrades,
    seed: config.seed, pboPartitions: partitions, initialBalance: config.initialBalance,
  };
  const files = runFiles(config, data, stitched.result, stitched.stats, { bySymbol: new Map(), stats: {} }, mergedWarnings, {
    title: `exitlab walkforward — ${data.bars.map((series) => series.symbol).join(", ")}`, runKind: "walkforward",
    workflow: walkforwardWorkflowBlock(rows, stitched, efficiency),
  });
  files.push({ name: "walkforward.csv", content: formatWalkforwardCsv(rows, spec) });
  files.push({
    name: "walkforward.json",
    content: formatWalkforwardJson({ settings, rows, efficiency, stitched: { initialBalance: config.initialBalance, finalEquity: stitched.result.account.finalEquity, stats: stitched.stats } }),
  });
  const written = writeRunFolder(options.out, files, { force: options.force === true, protectedPaths: [...(options.protectedPaths ?? []), ...inputPathsOf(config)] });
  const { seed: _seed, pboPartitions: _partitions, initialBalance: _balance, ...walk } = settings;
  const identity = runIdentityOf({ ...config, walkforward: { ...walk, space: spec.space } } as unknown as Record<string, unknown>, data.fingerprint);
  return { windows: rows, efficiency, stitched, warnings: mergedWarnings, identity, out: options.out, notes: written.notes };
}

function windowRow(
  window: WalkWindow, search: WindowSearch, chosen: WindowRow["chosen"], part: ReturnType<typeof runSegment>, initialEquity: number, metric: string,
): WindowRow {
  const outcome = chosen === null ? undefined : search.outcomes.get(chosen.cellId);
  const inSample = outcome?.status === "done" ? sideFigures(outcome.metrics, metric) : null;
  const outOfSample = sideFigures(part.stats, metric);
  const count = (status: string): number => search.rows.filter((row) => row.status === status).length;
  const failure = search.rows.find((row) => row.status === "failed");
  return {
    window, chosen, inSample,
    inSampleCells: { run: search.outcomes.size, ranked: search.rows.filter((row) => row.rank !== null).length, failed: count("failed"), skipped: count("skipped") },
    overfitting: search.overfitting,
    outOfSample: { ...outOfSample, initialEquity, finalEquity: part.run.result.account.finalEquity, closedAtWindowEnd: part.run.result.openAtEnd.length },
    efficiency: efficiencyOf(outOfSample.annualizedReturnPct, inSample?.annualizedReturnPct ?? null),
    note: [
      chosen === null ? "no ranked in-sample cell: out of the market" : null,
      failure === undefined ? null : `${count("failed")} in-sample cell${count("failed") === 1 ? "" : "s"} failed, e.g. ${failure.cellId}: ${failure.message}`,
    ].filter((text) => text !== null).join("; ") || null,
  };
}

/** The windows' warnings, one per code and message, counts added. */
function mergeWarnings(warnings: readonly RunWarning[]): RunWarning[] {
  const merged = new Map<string, RunWarning>();
  for (const warning of warnings) {
    const key = `${warning.code}\n${warning.message}`;
    const seen = merged.get(key);
    merged.set(key, seen === undefined ? warning : { ...seen, count: seen.count + warning.count });
  }
  return [...merged.values()];
}

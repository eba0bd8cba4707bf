/**
 * exitlab as a library: what the CLI calls, as functions over plain objects. Configs are
 * validated by the config file's zod schema (strategies/config.ts) with the same messages;
 * problems are thrown as the ExitlabError hierarchy (stable `code`). Nothing here prints,
 * exits the process or reads argv or the environment.
 */
import { loadMarketData, type MarketDataCacheOptions } from "./data/index.js";
import type { MarketData } from "./engine/index.js";
import type { OutputFile } from "./reports/outputFolder.js";
import { writeRunFolder } from "./reports/outputFolder.js";
import type { RunStats } from "./reports/stats.js";
import type { Breakdowns } from "./reports/tables/breakdown.js";
import type { RegressBaseline } from "./reports/workflows/regressBaseline.js";
import type { RunConfig } from "./strategies/config.js";
import type { ExitKind } from "./strategies/exits/exitConfig.js";
import type { RunWarning } from "./strategies/warnings/runWarning.js";
import { executeRun, prepareRun, runFiles, writeBacktestFolder, type CompletedRun, type PreparedRun } from "./workflows/backtest.js";
import { compareFiles, INTRABAR_MODES, runCompare, type CompareOutcome } from "./workflows/compare.js";
import { runLookaheadCheck, type LookaheadOutcome } from "./workflows/lookahead.js";
import { locateSample } from "./workflows/packageInfo.js";
import { exportPredictions as exportPredictionsOf, type PredictionsExport } from "./workflows/predictions.js";
import { baselineJsonOf, readBaseline, runRegress, type RegressOutcome } from "./workflows/regress.js";
import { resolveConfig } from "./workflows/resolveConfig.js";
import { runSweep, type SweepOptions as WorkflowSweepOptions, type SweepOutcome } from "./workflows/sweep/sweep.js";
import { loadSweepFile, parseSweepSpec, type SweepOverrides, type SweepSpec } from "./workflows/sweep/sweepFile.js";
import { runTiers, tierBreakdowns, tiersFiles, type TiersOutcome } from "./workflows/tiers.js";
import { inputPathsOf } from "./workflows/inputPaths.js";
import { runWalkforward, type WalkforwardOutcome } from "./workflows/walkforward/walkforward.js";
import { parseSpan } from "./workflows/walkforward/windows.js";

export * from "./engine/errors.js";
export type * from "./engine/types.js";
export { marketDataFromColumns, type BarColumnsInput, type FundingColumnsInput } from "./data/fromColumns.js";
export { generateSynthBars, generateSynthMarket, type SynthBarsOptions } from "./data/index.js";
export type { RunConfig } from "./strategies/config.js";
export type { RunWarning } from "./strategies/warnings/runWarning.js";
export type { RunStats } from "./reports/stats.js";
export type { CompletedRun } from "./workflows/backtest.js";
export type { CompareOutcome } from "./workflows/compare.js";
export type { CompareResult } from "./reports/workflows/compare.js";
export type { TierTable } from "./reports/workflows/tiers.js";
export type { Breakdowns } from "./reports/tables/breakdown.js";
export type { RegressBaseline } from "./reports/workflows/regressBaseline.js";
export type { RegressReport } from "./reports/workflows/regress.js";
export type { LookaheadOutcome } from "./workflows/lookahead.js";
export type { PredictionsExport } from "./workflows/predictions.js";
export type { SweepOutcome } from "./workflows/sweep/sweep.js";
export type { WalkforwardOutcome } from "./workflows/walkforward/walkforward.js";
export type { WindowRow, WalkforwardEfficiency } from "./workflows/walkforward/walkforwardTable.js";
export type { SearchSettings, SweepOverrides, SweepSpec } from "./workflows/sweep/sweepFile.js";
export type { SearchParam, SearchSpace } from "./workflows/sweep/searchSpace.js";
export type { SweepRow } from "./workflows/sweep/sweepTable.js";
export type { OutputFile } from "./reports/outputFolder.js";
export { formatCompareMarkdown, formatCompareTerminal } from "./reports/workflows/compareFormat.js";
export { formatTierMarkdown, formatTierTerminal } from "./reports/workflows/tiersFormat.js";
export { formatRegressMarkdown, formatRegressTerminal } from "./reports/workflows/regressFormat.js";

/** Where bars (and optionally funding and lower-timeframe detail bars) come from: files or folders, as `--data`. */
export interface DataFiles {
  readonly paths: readonly string[];
  readonly funding?: readonly string[];
  readonly detail?: readonly string[];
  /** The columnar (Arrow) cache of parsed bars, e.g. `{ dir: ".exitlab-cache" }`; default none. */
  readonly cache?: MarketDataCacheOptions | null;
}

/** Common options of the run-based calls. */
export interface RunOptions {
  /** Data already loaded (`loadData`, `marketDataFromColumns`); default: the files the config's `data` section names. */
  readonly data?: MarketData;
  /** The Arrow cache for data loaded from the config's files; default none. */
  readonly cache?: MarketDataCacheOptions | null;
}

/** Loads bar files or folders (`SYMBOL=path` names a symbol). The shipped sample is `data/samples/binance-perp-1h`. */
export function loadData(files: DataFiles): Promise<MarketData> {
  return loadMarketData({
    paths: files.paths.map(locateSample), fundingPaths: [...(files.funding ?? [])], detailPaths: [...(files.detail ?? [])], cache: files.cache ?? null,
  });
}

/**
 * A run config from a plain object shaped like the JSON config file (README: configuration);
 * missing keys take their defaults. Throws a ConfigError naming the key, as for the file.
 */
export function parseConfig(config: unknown = {}): RunConfig {
  return resolveConfig({ env: {}, configFile: null, configObject: config, flags: [] });
}

/** A finished backtest: the statistics and ledgers as plain data. */
export interface Backtest {
  readonly config: RunConfig;
  readonly stats: RunStats;
  readonly trades: CompletedRun["result"]["trades"];
  readonly fills: CompletedRun["result"]["fills"];
  readonly equity: CompletedRun["result"]["equity"];
  readonly account: CompletedRun["result"]["account"];
  readonly counters: CompletedRun["result"]["counters"];
  /** What the run ignored or changed (code, count, message), as `summary.json` and stderr report them. */
  readonly warnings: readonly RunWarning[];
  /** The run as the workflows hold it (result, signals, RL Q-table). */
  readonly run: CompletedRun;
  readonly data: MarketData;
}

async function prepared(config: unknown, options: RunOptions): Promise<PreparedRun> {
  return prepareRun(parseConfig(config), options);
}

/** One backtest of a config (`exitlab backtest`). */
export async function backtest(config: unknown = {}, options: RunOptions & { readonly onProgress?: (done: number, total: number) => void } = {}): Promise<Backtest> {
  const ready = await prepared(config, options);
  return backtestOf(executeRun(ready, ready.config, options.onProgress, undefined, true), ready.data);
}

function backtestOf(run: CompletedRun, data: MarketData): Backtest {
  const { result } = run;
  return {
    config: run.config, stats: run.stats, trades: result.trades, fills: result.fills, equity: result.equity,
    account: result.account, counters: result.counters, warnings: run.warnings, run, data,
  };
}

/** The files of a backtest's run folder (summary.json, equity.csv, trades.csv, …), in memory (strings or bytes). */
export function backtestFiles(run: Backtest): OutputFile[] {
  // The CLI streams the CSVs into their files; here each is collected into bytes.
  return runFiles(run.config, run.data, run.run.result, run.stats, run.run.signals, run.run.warnings).map((file) => {
    if (typeof file.content === "string" || file.content instanceof Uint8Array) return file;
    const chunks: Buffer[] = [];
    file.content.stream((bytes) => void chunks.push(Buffer.from(bytes)));
    return { name: file.name, content: Buffer.concat(chunks) };
  });
}

/**
 * Writes a backtest's run folder atomically, byte for byte as `exitlab backtest` would;
 * returns the folder. Like every writer here it replaces only what exitlab wrote and never
 * writes over an input of the run (README "Safety").
 */
export function writeBacktest(run: Backtest, options: { readonly dir?: string; readonly force?: boolean } = {}): string {
  return writeBacktestFolder(run.run, run.data, options);
}

export interface CompareOptions extends RunOptions {
  /** Exit plans, the first is the baseline; default static, ai, lsf. */
  readonly plans?: readonly ExitKind[];
  /** Intrabar paths each plan runs under; default all three. */
  readonly paths?: readonly ("default" | "pessimistic" | "optimistic")[];
  /** Bootstrap resamples; default 10 000. */
  readonly resamples?: number;
}

export interface Comparison extends CompareOutcome {
  readonly data: MarketData;
}

/** Several exit plans on one data set and signal/sizing setup, with paired differences (`exitlab compare`). */
export async function compare(config: unknown = {}, options: CompareOptions = {}): Promise<Comparison> {
  const ready = await prepared(config, options);
  const outcome = runCompare(ready, {
    plans: options.plans ?? ["static", "ai", "lsf"], paths: options.paths ?? INTRABAR_MODES, resamples: options.resamples ?? 10_000,
  });
  return { ...outcome, data: ready.data };
}

/** Writes a comparison's folder (summary.json, compare.md, compare.csv, report.html); returns the folder. */
export function writeCompare(comparison: Comparison, options: { readonly dir: string; readonly force?: boolean }): string {
  writeRunFolder(options.dir, compareFiles(comparison, comparison), { force: options.force === true, protectedPaths: inputPathsOf(comparison.config) });
  return options.dir;
}

export interface Tiers extends TiersOutcome {
  readonly data: MarketData;
}

/** One backtest, then metrics per confidence tier and a calibration verdict (`exitlab tiers`). */
export async function tiers(config: unknown = {}, options: RunOptions & { readonly minTrades?: number } = {}): Promise<Tiers> {
  const ready = await prepared(config, options);
  return { ...runTiers(ready, { minTrades: options.minTrades ?? 10 }), data: ready.data };
}

/** The tier/symbol/reason group-bys of a tiers run; needs the optional peer dependency danfojs-node. */
export function breakdowns(result: Tiers): Promise<Breakdowns> {
  return tierBreakdowns(result.run);
}

/** Writes the tiers folder (the backtest's files, tiers.md, tiers.csv, breakdown.csv); needs danfojs-node. */
export async function writeTiers(result: Tiers, options: { readonly dir?: string; readonly force?: boolean } = {}): Promise<string> {
  const dir = options.dir ?? result.run.config.output.dir;
  writeRunFolder(dir, tiersFiles(result, await tierBreakdowns(result.run), result), { force: options.force === true, protectedPaths: inputPathsOf(result.run.config) });
  return dir;
}

/**
 * One backtest compared with a baseline (`exitlab regress`): a baseline file's path, or a
 * baseline object (`JSON.parse(baselineJson(run))`). `report.passed` is false on a regression;
 * `report` is null when this run's config or data differs from the baseline's (`differences`
 * lists how) unless `checkAnyway`.
 */
export async function regress(
  config: unknown, baselineOrFile: string | RegressBaseline,
  options: RunOptions & { readonly ignoreFingerprint?: boolean; readonly checkAnyway?: boolean } = {},
): Promise<RegressOutcome> {
  const file = typeof baselineOrFile === "string" ? baselineOrFile : undefined;
  const baselineObject = typeof baselineOrFile === "string" ? readBaseline(baselineOrFile) : baselineOrFile;
  return runRegress(await prepared(config, options), baselineObject, {
    ...(file === undefined ? {} : { baselineFile: file }), ignoreFingerprint: options.ignoreFingerprint === true, checkAnyway: options.checkAnyway === true,
  });
}

/** A baseline's JSON text from a backtest (the `--update` of regress); `previous` keeps its tolerances. */
export function baselineJson(run: Backtest, previous: RegressBaseline | null = null): string {
  return baselineJsonOf(run.run, run, previous);
}

/**
 * Re-runs the signal source on truncated data and reports any signal that changes (`exitlab
 * lookahead`); `cuts` per symbol, default every bar. A predictions file gets a timing report; a
 * version-2 strategy module gets its order stream checked (`kind: "orders"`).
 */
export async function lookahead(config: unknown = {}, options: { readonly data?: MarketData; readonly cuts?: number } = {}): Promise<LookaheadOutcome> {
  return runLookaheadCheck(parseConfig(config), { cuts: options.cuts ?? null, ...(options.data === undefined ? {} : { data: options.data }) });
}

/** The signal source's BUY/SELL signals as a predictions CSV (`exitlab data predictions`). */
export async function exportPredictions(config: unknown = {}, options: { readonly data?: MarketData } = {}): Promise<PredictionsExport> {
  return exportPredictionsOf(parseConfig(config), options);
}

/**
 * The workflow's sweep options (workflows/sweep/sweep.ts) with the grid and the base config as
 * the user gives them — a sweep file's path or object, and an unvalidated config object.
 */
export interface SweepOptions extends RunOptions, Omit<WorkflowSweepOptions, "spec" | "gridLabel" | "config" | keyof RunOptions> {
  /** The grid: a sweep file's path or its object ({ grid: { "exits.stopLossPct": [0.02, 0.03] }, metric, direction }). */
  readonly grid: string | unknown;
  /** The base config of every cell. */
  readonly config?: unknown;
  /** Override the sweep file's search ("grid" | "random" | "tpe"), trials, TPE batch, metric and min trades (as the CLI flags do). */
  readonly overrides?: SweepOverrides;
}

/**
 * A parameter grid over one base config, on worker threads or a BullMQ queue, ranked (`exitlab
 * sweep`); or a random / TPE search over the same space, seeded by the config's `seed`.
 */
export async function sweep(options: SweepOptions): Promise<SweepOutcome> {
  const spec: SweepSpec = typeof options.grid === "string" ? loadSweepFile(options.grid, options.overrides) : parseSweepSpec(options.grid, "grid", options.overrides);
  const { grid: _grid, config, overrides: _overrides, ...rest } = options;
  return runSweep({ ...rest, spec, gridLabel: typeof options.grid === "string" ? options.grid : "grid", config: parseConfig(config ?? {}) });
}

export interface WalkforwardOptions extends RunOptions {
  /** The search space and ranking: a sweep file's path or its object (as `sweep`'s `grid`). */
  readonly grid: string | unknown;
  /** The base config of every cell; its `seed` seeds a random or TPE search. */
  readonly config?: unknown;
  /** Override the sweep file's search, trials, batch, metric and min trades (as the CLI flags do). */
  readonly overrides?: SweepOverrides;
  /** Window lengths as the CLI takes them: `90d`, `12h`, `2w`, `500bars`. */
  readonly train: string;
  readonly test: string;
  /** Default: `test`. */
  readonly step?: string;
  /** Default false (rolling). */
  readonly anchored?: boolean;
  /** History before each part that indicators see: "all" (default) or a length. */
  readonly warmup?: string;
  /** Worker threads; default one per core. */
  readonly threads?: number;
  /** CSCV blocks of each window's PBO; default 16. */
  readonly pboPartitions?: number;
  /** The run folder written (as `exitlab walkforward --out`). */
  readonly out: string;
  readonly force?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * A walk-forward (`exitlab walkforward`): per window, the sweep's search on the training part
 * and the in-sample best cell on the following test part, the test parts stitched into one run
 * folder with walkforward.csv and walkforward.json (README "Walk-forward").
 */
export async function walkforward(options: WalkforwardOptions): Promise<WalkforwardOutcome> {
  const spec: SweepSpec = typeof options.grid === "string" ? loadSweepFile(options.grid, options.overrides) : parseSweepSpec(options.grid, "grid", options.overrides);
  return runWalkforward({
    spec, gridLabel: typeof options.grid === "string" ? options.grid : "grid", config: parseConfig(options.config ?? {}),
    windows: {
      train: parseSpan(options.train, "train"), test: parseSpan(options.test, "test"),
      ...(options.step === undefined ? {} : { step: parseSpan(options.step, "step") }), anchored: options.anchored === true,
    },
    warmup: options.warmup === undefined || options.warmup === "all" ? null : parseSpan(options.warmup, "warmup"),
    out: options.out, force: options.force === true, cache: options.cache ?? null,
    ...(options.data === undefined ? {} : { data: options.data }), ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.pboPartitions === undefined ? {} : { pboPartitions: options.pboPartitions }), ...(options.log === undefined ? {} : { log: options.log }),
  });
}

/** Overfitting statistics as pure functions (README "Is the edge real?"): deflated Sharpe ratio and PBO by CSCV. */
export { deflatedSharpeRatio, expectedMaxSharpe, returnMoments, type DeflatedSharpe, type DeflatedSharpeInput } from "./reports/overfitting/deflatedSharpe.js";
export { probabilityOfBacktestOverfitting, type PboResult } from "./reports/overfitting/pbo.js";
/** Monte Carlo over a run's trade PnLs (reshuffle or bootstrap), pure and seeded (`exitlab montecarlo` reads them from a run folder). */
export { pathStatsOf, runMonteCarlo, type MonteCarloInput, type MonteCarloMethod, type MonteCarloResult, type PathStats } from "./reports/montecarlo.js";
/** Monte Carlo by a moving-block bootstrap of daily returns (`exitlab montecarlo --method block`), pure and seeded. */
export { compoundedPathStats, defaultBlockLength, runBlockBootstrap, type BlockBootstrapInput } from "./reports/montecarloBlock.js";

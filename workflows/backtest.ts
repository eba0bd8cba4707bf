import { dataWindowOf } from "../data/dataWindow.js";
import { loadMarketData, type MarketDataCacheOptions } from "../data/index.js";
import { loadPredictions } from "../data/loadPredictions.js";
import { ConfigError, type MarketData, type RunResult, type SignalSet } from "../engine/index.js";
import { writeExitStatsCsv } from "../reports/csv.js";
import { streamedCsv } from "../reports/csvWriter.js";
import { equityCsvTask } from "../reports/fileTasks.js";
import { fileTaskContent } from "../reports/outputElsewhere.js";
import { resolveEquityResolution, selectEquityRows } from "../reports/equityRows.js";
import { computeExitStats } from "../reports/exitStats.js";
import { positionsDocument } from "../reports/positions.js";
import { streamRunReport, type ReportRunKind } from "../reports/html/renderReport.js";
import type { RunReportInput } from "../reports/html/reportInput.js";
import type { WorkflowBlock } from "../reports/html/workflowSections.js";
import { computeStats, type RunStats } from "../reports/stats.js";
import { buildSummary, stableStringify } from "../reports/summary.js";
import { rlAgentSettingsOf, runConfiguredBacktest, type SignalInputs, type TimePhase } from "../strategies/buildRun.js";
import type { SignalsConfig } from "../strategies/signals/signalConfig.js";
import type { RunWarning } from "../strategies/warnings/runWarning.js";
import { checkPredictionValues } from "../strategies/signals/predictionValues.js";
import { loadUserSignalModule } from "../strategies/signals/userModule.js";
import { userModuleSignalSetAsync } from "../strategies/signals/moduleRun.js";
import { loadInformative } from "./informative.js";
import { checkModuleParams } from "../strategies/warnings/signalWarnings.js";
import { RlSizingAgent, type RlAgentSettings } from "../strategies/sizing/rlAgent.js";
import type { RunConfig } from "../strategies/config.js";
import { writeRunFolder, type OutputFile, type StreamedContent } from "../reports/outputFolder.js";
import type { VerifiedFiles } from "../reports/ownershipCheck.js";
import { assertOwnedFileWritable, writeOwnedFile } from "../reports/ownedFile.js";
import type { ProtectedPath } from "../reports/protectedPaths.js";
import { inputPathsOf } from "./inputPaths.js";
import { ENGINE_VERSION, locateSample } from "./packageInfo.js";
import { INPUT_FILE_LIMITS, readInputFile } from "./readInputFile.js";

/** Everything one configured run needs before the replay: config, data, signal inputs, agent. */
export interface PreparedRun {
  readonly config: RunConfig;
  readonly data: MarketData;
  readonly inputs: SignalInputs;
}

export interface PrepareOptions {
  /** Market data already in memory; when absent, the files the config names are loaded. */
  readonly data?: MarketData;
  /** The columnar (Arrow) cache of parsed bars; null or absent: parse every time. */
  readonly cache?: MarketDataCacheOptions | null;
}

/** Loads what a validated config needs before the replay: its data (unless given) and signal inputs. */
export async function prepareRun(config: RunConfig, options: PrepareOptions = {}): Promise<PreparedRun> {
  const data = options.data ?? await loadConfiguredData(config, options.cache ?? null);
  return { config, data, inputs: await loadSignalInputs(config, data) };
}

/** The bars, funding and detail files a config names (the shipped sample found next to the package). */
export function loadConfiguredData(config: RunConfig, cache: MarketDataCacheOptions | null = null): Promise<MarketData> {
  return loadMarketData({
    paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding, detailPaths: config.data.detail, markPaths: config.data.mark,
    cache, window: dataWindowOf(config.data),
  });
}

/** A finished run with its statistics. */
export interface CompletedRun {
  readonly config: RunConfig;
  readonly result: RunResult;
  readonly stats: RunStats;
  readonly signals: SignalSet;
  readonly qTable: string | null;
  /** What the run ignored or changed (stderr and summary.json). */
  readonly warnings: readonly RunWarning[];
}

const UNTIMED: TimePhase = (_phase, work) => work();

/**
 * Replays one configuration (the same data and inputs may serve several, as in compare).
 * `timePhase` times its steps (signals, market inputs, replay, stats) for the CLI's
 * `EXITLAB_TIMINGS`.
 */
export function executeRun(
  prepared: PreparedRun, config: RunConfig = prepared.config, onProgress?: (done: number, total: number) => void, timePhase: TimePhase = UNTIMED,
  /** Record the levels each position had over time for report.html (engine/levelTrace.ts); off for sweeps. */
  traceLevels = false,
): CompletedRun {
  const { result, signals, extras, warnings } = runConfiguredBacktest(config, prepared.data, prepared.inputs, loadAgent(config), onProgress, timePhase, traceLevels);
  // From the ledgers: the statistics need no trade or fill objects (a sweep cell never makes them).
  const stats = timePhase("stats", () => computeStats({
    ...(result.ledgers === undefined ? { trades: result.trades, fills: result.fills } : { ledgers: result.ledgers }),
    equity: result.equity, timeframeMs: result.timeframeMs,
    initialBalance: config.initialBalance, account: result.account, counters: result.counters,
  }));
  return { config, result, stats, signals, qTable: extras.agent?.toJSON() ?? null, warnings };
}

export interface WriteOptions {
  /** The folder; default: the config's output.dir. */
  readonly dir?: string;
  /** Write into a folder that is not an exitlab run, and replace files of the names it writes that exitlab did not write (README "Safety"). */
  readonly force?: boolean;
  /** Times the summary data and each file (the CLI's `EXITLAB_TIMINGS`). */
  readonly timePhase?: TimePhase;
  /** Folders the run folder must not be nor contain, besides the run's inputs (the CLI adds the working directory and home). */
  readonly protectedPaths?: readonly ProtectedPath[];
  /** Receives notes about left-overs of killed runs that could not be cleared. */
  readonly onNote?: (note: string) => void;
  /** The earlier run's files in the folder already proven exitlab's (reports/ownershipCheck.ts). */
  readonly verified?: VerifiedFiles;
}

/**
 * Writes a backtest's run folder atomically (SPEC §7), with the RL Q-table in it and, when
 * `sizing.save` names a file, there too — checked before the folder is written, so a Q-table
 * that cannot be saved (or may not replace the file there) fails the run without output.
 * Replaces only what exitlab wrote, never over an input of the run (README "Safety").
 * Returns the folder.
 */
export function writeBacktestFolder(run: CompletedRun, data: MarketData, options: WriteOptions = {}): string {
  const { config, result, stats } = run;
  const dir = options.dir ?? config.output.dir;
  const timePhase = options.timePhase ?? UNTIMED;
  // Summary, exit statistics and the trade and fill objects the writers read.
  const files = timePhase("summary data", () => runFiles(config, data, result, stats, run.signals, run.warnings));
  const saveTo = run.qTable !== null && config.sizing.kind === "rl" ? config.sizing.save : null;
  if (run.qTable !== null) files.push({ name: "rl_qtable.json", content: run.qTable });
  const force = options.force === true;
  if (saveTo !== null) assertOwnedFileWritable(saveTo, { force });
  const written = writeRunFolder(dir, files, {
    force, protectedPaths: [...(options.protectedPaths ?? []), ...inputPathsOf(config)], timeFile: timePhase,
    ...(options.verified === undefined ? {} : { verified: options.verified }),
  });
  const notes = [...written.notes];
  if (saveTo !== null && run.qTable !== null) notes.push(...writeOwnedFile(saveTo, run.qTable, { force }));
  for (const note of notes) options.onNote?.(note);
  return dir;
}

/**
 * The files of one run folder (SPEC §7). The CSVs are streamed into their files while the
 * folder is written (`writeRunFolder`); equity.csv holds the rows of the configured
 * resolution and equity.arrow, when written, every row.
 */
export function runFiles(
  config: RunConfig, data: MarketData, result: RunResult, stats: RunStats, signals: SignalSet, warnings: readonly RunWarning[],
  /** A workflow that writes a backtest's files (tiers) names its page and adds its own result block. */
  page?: { readonly title: string; readonly runKind: ReportRunKind; readonly workflow: WorkflowBlock },
): OutputFile[] {
  const summary = buildSummary({ engineVersion: ENGINE_VERSION, config, fingerprint: data.fingerprint, result, stats, warnings });
  const exitStats = computeExitStats(result.trades, result.fills);
  const equity = equityOutputsOf(config, result);
  const files: OutputFile[] = [
    { name: "summary.json", content: stableStringify({ ...summary, signalSource: signals.stats, exitStats, outputs: equity.summary }) },
    { name: "exit_stats.csv", content: streamedCsv((writer) => writeExitStatsCsv(writer, exitStats)) },
    { name: "equity.csv", content: fileTaskContent(equityCsvTask(result.equity, equity.rows)) },
    { name: "trades.csv", content: fileTaskContent({ kind: "trades.csv", trades: result.trades }) },
    { name: "fills.csv", content: fileTaskContent({ kind: "fills.csv", fills: result.fills }) },
    { name: "positions.json", content: stableStringify(positionsDocument(result.openAtEnd)) },
    { name: "report.html", content: reportContent({
      title: page?.title ?? `exitlab backtest — ${data.bars.map((series) => series.symbol).join(", ")}`,
      // The page leaves out where it was written (output.dir), so a run's report is the same in any folder.
      runKind: page?.runKind ?? "backtest", ...(page === undefined ? {} : { workflow: page.workflow }), summary: { ...summary, config: { ...config, output: undefined } }, equity: result.equity, trades: result.trades, exitStats,
      price: { bars: data.bars, fills: result.fills, levels: result.levelTrace ?? null },
    }) },
  ];
  if (equity.summary.equityArrow !== null) files.push({ name: "equity.arrow", content: fileTaskContent({ kind: "equity.arrow", curve: result.equity }) });
  return files;
}

/** report.html, rendered while the folder is written and streamed chunk by chunk (the data block of a long run is megabytes). */
function reportContent(input: RunReportInput): StreamedContent {
  return { stream: (sink) => streamRunReport(input, sink) };
}

/** Which equity rows equity.csv holds, whether equity.arrow is written, and how summary.json says so. */
export function equityOutputsOf(config: RunConfig, result: RunResult): {
  rows: Uint32Array; summary: { equityCsv: { resolution: string; rows: number }; equityArrow: { rows: number } | null };
} {
  const curve = result.equity;
  const { equityEvery, equityResolution, equityArrow } = config.output;
  const resolution = resolveEquityResolution(equityResolution, curve.length, result.timeframeMs, equityEvery);
  const rows = selectEquityRows(curve.time, curve.length, resolution, equityEvery);
  const arrow = equityArrow === "auto" ? rows.length < curve.length : equityArrow;
  return { rows, summary: { equityCsv: { resolution, rows: rows.length }, equityArrow: arrow ? { rows: curve.length } : null } };
}

/**
 * Loads what the configured signal source reads from disk: a predictions file or a strategy
 * module. Given the data, a module is also run over it (its `prepare` and an async
 * `computeSignals` awaited), after its params are checked.
 */
export async function loadSignalInputs(config: RunConfig, data?: MarketData): Promise<SignalInputs> {
  const signals = config.signals as SignalsConfig;
  if (signals.kind === "predictions") return { predictions: checkPredictionValues(await loadPredictions(signals.file), signals.confidenceScale) };
  if (signals.kind !== "module") {
    if (config.data.informative.length > 0) {
      throw new ConfigError("informative bars are read by strategy modules only; this run's signals are not a module", "data.informative (--informative)", "drop --informative, or use --signals my_module.mjs");
    }
    return {};
  }
  const module = await loadUserSignalModule(signals.module);
  if (data === undefined) return { module };
  checkModuleParams(module.defaultParams, signals.params, module.file);
  const market = [...data.bars, ...await loadInformative(config, data.bars)];
  return { module, prepared: await userModuleSignalSetAsync(module, data.bars, signals.params, undefined, market) };
}

/** The RL agent of an `rl` sizing with `load` set, from its Q-table file; otherwise null (a fresh agent). */
function loadAgent(config: RunConfig): RlSizingAgent | null {
  const sizing = config.sizing;
  if (sizing.kind !== "rl" || sizing.load === null) return null;
  const text = readInputFile(sizing.load, { what: "the Q-table", maxBytes: INPUT_FILE_LIMITS.qTable });
  return RlSizingAgent.fromJSON(text, sizing.load, rlAgentSettingsOf(config) as RlAgentSettings, config.seed);
}


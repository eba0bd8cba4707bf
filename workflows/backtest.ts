import { readFileSync } from "node:fs";
import { dataWindowOf } from "../data/dataWindow.js";
import { loadMarketData, type MarketDataCacheOptions } from "../data/index.js";
import { loadPredictions } from "../data/loadPredictions.js";
import { ConfigError, type MarketData, type RunResult, type SignalSet } from "../engine/index.js";
import { formatEquityCsv, formatExitStatsCsv, formatFillsCsv, formatTradesCsv } from "../reports/csv.js";
import { computeExitStats } from "../reports/exitStats.js";
import { positionsDocument } from "../reports/positions.js";
import { renderRunReport } from "../reports/html/renderReport.js";
import { computeStats, type RunStats } from "../reports/stats.js";
import { buildSummary, stableStringify } from "../reports/summary.js";
import { rlAgentSettingsOf, runConfiguredBacktest, type SignalInputs } from "../strategies/buildRun.js";
import type { SignalsConfig } from "../strategies/signals/signalConfig.js";
import type { RunWarning } from "../strategies/warnings/runWarning.js";
import { checkPredictionValues } from "../strategies/signals/predictionValues.js";
import { loadUserSignalModule } from "../strategies/signals/userModule.js";
import { RlSizingAgent, type RlAgentSettings } from "../strategies/sizing/rlAgent.js";
import type { RunConfig } from "../strategies/config.js";
import { writeRunFolder } from "../reports/outputFolder.js";
import { assertWritableFile, writeTextAtomically } from "./files.js";
import { ENGINE_VERSION, locateSample } from "./packageInfo.js";

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
  return { config, data, inputs: await loadSignalInputs(config) };
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

/** Replays one configuration (the same data and inputs may serve several, as in compare). */
export function executeRun(prepared: PreparedRun, config: RunConfig = prepared.config, onProgress?: (done: number, total: number) => void): CompletedRun {
  const { result, signals, extras, warnings } = runConfiguredBacktest(config, prepared.data, prepared.inputs, loadAgent(config), onProgress);
  // From the ledgers: the statistics need no trade or fill objects (a sweep cell never makes them).
  const stats = computeStats({
    ...(result.ledgers === undefined ? { trades: result.trades, fills: result.fills } : { ledgers: result.ledgers }),
    equity: result.equity, timeframeMs: result.timeframeMs,
    initialBalance: config.initialBalance, account: result.account, counters: result.counters,
  });
  return { config, result, stats, signals, qTable: extras.agent?.toJSON() ?? null, warnings };
}

export interface WriteOptions {
  /** The folder; default: the config's output.dir. */
  readonly dir?: string;
  /** Replace a folder that is not an earlier exitlab run. */
  readonly force?: boolean;
}

/**
 * Writes a backtest's run folder atomically (SPEC §7), with the RL Q-table in it and, when
 * `sizing.save` names a file, there too — checked before the folder is written, so a Q-table
 * that cannot be saved fails the run without output. Returns the folder.
 */
export function writeBacktestFolder(run: CompletedRun, data: MarketData, options: WriteOptions = {}): string {
  const { config, result, stats } = run;
  const dir = options.dir ?? config.output.dir;
  const files = runFiles(config, data, result, stats, run.signals, run.warnings);
  const saveTo = run.qTable !== null && config.sizing.kind === "rl" ? config.sizing.save : null;
  if (run.qTable !== null) files.push({ name: "rl_qtable.json", content: run.qTable });
  if (saveTo !== null) assertWritableFile(saveTo);
  writeRunFolder(dir, files, { force: options.force === true });
  if (saveTo !== null && run.qTable !== null) writeTextAtomically(saveTo, run.qTable);
  return dir;
}

/** The files of one run folder (SPEC §7), all built in memory before anything is written. */
export function runFiles(
  config: RunConfig, data: MarketData, result: RunResult, stats: RunStats, signals: SignalSet, warnings: readonly RunWarning[],
): { name: string; content: string }[] {
  const summary = buildSummary({ engineVersion: ENGINE_VERSION, config, fingerprint: data.fingerprint, result, stats, warnings });
  const exitStats = computeExitStats(result.trades, result.fills);
  return [
    { name: "summary.json", content: stableStringify({ ...summary, signalSource: signals.stats, exitStats }) },
    { name: "exit_stats.csv", content: formatExitStatsCsv(exitStats) },
    { name: "equity.csv", content: formatEquityCsv(result.equity, config.output.equityEvery) },
    { name: "trades.csv", content: formatTradesCsv(result.trades) },
    { name: "fills.csv", content: formatFillsCsv(result.fills) },
    { name: "positions.json", content: stableStringify(positionsDocument(result.openAtEnd)) },
    {
      name: "report.html",
      content: renderRunReport({
        title: `exitlab backtest — ${data.bars.map((series) => series.symbol).join(", ")}`,
        // The page leaves out where it was written (output.dir), so a run's report is the same in any folder.
        runKind: "backtest", summary: { ...summary, config: { ...config, output: undefined } }, equity: result.equity, trades: result.trades, exitStats,
      }),
    },
  ];
}

/** Loads what the configured signal source reads from disk: a predictions file or a strategy module. */
export async function loadSignalInputs(config: RunConfig): Promise<SignalInputs> {
  const signals = config.signals as SignalsConfig;
  if (signals.kind === "predictions") return { predictions: checkPredictionValues(await loadPredictions(signals.file), signals.confidenceScale) };
  if (signals.kind === "module") return { module: await loadUserSignalModule(signals.module) };
  return {};
}

/** The RL agent of an `rl` sizing with `load` set, from its Q-table file; otherwise null (a fresh agent). */
function loadAgent(config: RunConfig): RlSizingAgent | null {
  const sizing = config.sizing;
  if (sizing.kind !== "rl" || sizing.load === null) return null;
  let text: string;
  try {
    text = readFileSync(sizing.load, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the Q-table (${(error as NodeJS.ErrnoException).code ?? "read error"})`, sizing.load);
  }
  return RlSizingAgent.fromJSON(text, sizing.load, rlAgentSettingsOf(config) as RlAgentSettings, config.seed);
}


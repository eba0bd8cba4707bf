import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dataWindowOf } from "../data/dataWindow.js";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { DEFAULT_CACHE_DIR, loadMarketData } from "../data/index.js";
import { loadPredictions } from "../data/loadPredictions.js";
import { ConfigError, OutputError, type MarketData, type RunResult, type SignalSet } from "../engine/index.js";
import { formatEquityCsv, formatExitStatsCsv, formatFillsCsv, formatTradesCsv } from "../reports/csv.js";
import { computeExitStats } from "../reports/exitStats.js";
import { writeRunFolder } from "../reports/outputFolder.js";
import { positionsDocument } from "../reports/positions.js";
import { renderRunReport } from "../reports/html/renderReport.js";
import { computeStats, type RunStats } from "../reports/stats.js";
import { buildSummary, stableStringify } from "../reports/summary.js";
import { rlAgentSettingsOf, runConfiguredBacktest, type SignalInputs } from "../strategies/buildRun.js";
import type { SignalsConfig } from "../strategies/signals/signalConfig.js";
import { formatWarningLine, type RunWarning } from "../strategies/warnings/runWarning.js";
import { checkPredictionValues } from "../strategies/signals/predictionValues.js";
import { loadUserSignalModule } from "../strategies/signals/userModule.js";
import { RlSizingAgent, type RlAgentSettings } from "../strategies/sizing/rlAgent.js";
import type { RunConfig } from "../strategies/config.js";
import { flagPatches } from "../cli/backtestFlags.js";
import { ENGINE_VERSION, PACKAGE_ROOT } from "./packageInfo.js";
import { formatRunReport } from "../cli/printReport.js";
import { createProgress, type Progress } from "../cli/progress.js";
import { resolveConfig } from "./resolveConfig.js";
import { runPhase } from "../cli/runPhase.js";
import type { CliIo } from "../cli/runCli.js";

/** Everything one configured run needs before the replay: config, data, signal inputs, agent. */
export interface PreparedRun {
  readonly config: RunConfig;
  readonly data: MarketData;
  readonly inputs: SignalInputs;
}

/** Resolves the config from flags, file and environment, then loads the data and signal inputs. */
export async function prepareRun(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<PreparedRun> {
  const config = resolveConfig({ env, configFile: typeof argv.config === "string" ? argv.config : null, flags: flagPatches(argv) });
  const data = await loadMarketData({
    paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding, detailPaths: config.data.detail,
    cache: cacheOf(argv), window: dataWindowOf(config.data),
  });
  return { config, data, inputs: await loadSignalInputs(config) };
}

/**
 * The columnar (Arrow) cache of parsed bars: on by default in `.exitlab-cache/`, keyed by the
 * source files' sha256, so it never changes a result — only how fast the data loads.
 */
export function cacheOf(argv: Record<string, unknown>): { dir: string } | null {
  if (argv.cache === false) return null;
  return { dir: typeof argv["cache-dir"] === "string" ? argv["cache-dir"] : DEFAULT_CACHE_DIR };
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
export function executeRun(prepared: PreparedRun, config: RunConfig = prepared.config, progress?: Progress): CompletedRun {
  const { result, signals, extras, warnings } = runConfiguredBacktest(
    config, prepared.data, prepared.inputs, loadAgent(config), progress === undefined ? undefined : (done, total) => progress.update(done, total),
  );
  // From the ledgers: the statistics need no trade or fill objects (a sweep cell never makes them).
  const stats = computeStats({
    ...(result.ledgers === undefined ? { trades: result.trades, fills: result.fills } : { ledgers: result.ledgers }),
    equity: result.equity, timeframeMs: result.timeframeMs,
    initialBalance: config.initialBalance, account: result.account, counters: result.counters,
  });
  return { config, result, stats, signals, qTable: extras.agent?.toJSON() ?? null, warnings };
}

/** `exitlab backtest`: resolve config, load data, run, write the run folder atomically. */
export async function runBacktestCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const prepared = await prepareRun(argv, env);
  const progress = createProgress("backtest", argv.quiet === true);
  const run = executeRun(prepared, prepared.config, progress);
  progress.stop();
  const { config, result, stats } = run;
  const files = runFiles(config, prepared.data, result, stats, run.signals, run.warnings);
  if (run.qTable !== null) files.push({ name: "rl_qtable.json", content: run.qTable });
  // A Q-table that cannot be saved must fail the run before its folder is written.
  if (run.qTable !== null && config.sizing.kind === "rl" && config.sizing.save !== null) assertWritableFile(config.sizing.save);
  writeRunFolder(config.output.dir, files, { force: argv.force === true });
  runPhase.outputWritten = true;
  runPhase.outputDir = config.output.dir;
  if (run.qTable !== null && config.sizing.kind === "rl" && config.sizing.save !== null) writeTextAtomically(config.sizing.save, run.qTable);
  if (argv.quiet !== true) io.out(formatRunReport(config.output.dir, result, stats));
  printWarnings(run.warnings, io);
}

/** Every warning on stderr, one line each (also with --quiet: a warning is never silent). */
export function printWarnings(warnings: readonly RunWarning[], io: CliIo): void {
  for (const warning of warnings) io.err(formatWarningLine(warning));
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

/** Throws an OutputError when `path` cannot become a file (a folder, or under a file). */
function assertWritableFile(path: string): void {
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) throw new OutputError("is a folder, not a file", path);
  let parent = dirname(target);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) throw new OutputError(`cannot create a file under ${parent}, which is a file`, path);
}

export function writeTextAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was created (e.g. the path lies under a file).
    }
    throw new OutputError(`cannot write the file: ${(error as Error).message}`, path);
  }
}

/**
 * The default data path names the shipped sample relative to the project; when exitlab
 * runs from another folder, the sample is found next to the package instead.
 */
export function locateSample(path: string): string {
  if (isAbsolute(path) || existsSync(path) || !path.startsWith("data/samples/")) return path;
  const packaged = join(PACKAGE_ROOT, path);
  return existsSync(packaged) ? packaged : path;
}

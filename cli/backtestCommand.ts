import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { loadMarketData } from "../data/index.js";
import { loadPredictions } from "../data/loadPredictions.js";
import type { MarketData, RunResult, SignalSet } from "../engine/index.js";
import { formatEquityCsv, formatExitStatsCsv, formatFillsCsv, formatTradesCsv } from "../reports/csv.js";
import { computeExitStats } from "../reports/exitStats.js";
import { writeRunFolder } from "../reports/outputFolder.js";
import { computeStats, type RunStats } from "../reports/stats.js";
import { buildSummary, stableStringify } from "../reports/summary.js";
import { runConfiguredBacktest } from "../strategies/buildRun.js";
import type { RunConfig } from "../strategies/config.js";
import { flagPatches } from "./backtestFlags.js";
import { ENGINE_VERSION, PACKAGE_ROOT } from "./packageInfo.js";
import { formatRunReport } from "./printReport.js";
import { resolveConfig } from "./resolveConfig.js";

/** `exitlab backtest`: resolve config, load data, run, write the run folder atomically. */
export async function runBacktestCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<void> {
  const config = resolveConfig({
    env,
    configFile: typeof argv.config === "string" ? argv.config : null,
    flags: flagPatches(argv),
  });
  const data = await loadMarketData({ paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding });
  const predictions = config.signals.kind === "predictions" ? await loadPredictions(config.signals.file) : null;
  const { result, signals } = runConfiguredBacktest(config, data, predictions);
  const stats = computeStats({
    trades: result.trades, equity: result.equity, timeframeMs: result.timeframeMs,
    initialBalance: config.initialBalance, account: result.account, counters: result.counters, fills: result.fills,
  });
  writeRunFolder(config.output.dir, runFiles(config, data, result, stats, signals), { force: argv.force === true });
  if (argv.quiet !== true) process.stdout.write(formatRunReport(config.output.dir, result, stats));
}

/** The files of one run folder (SPEC §7), all built in memory before anything is written. */
export function runFiles(config: RunConfig, data: MarketData, result: RunResult, stats: RunStats, signals: SignalSet) {
  const summary = buildSummary({ engineVersion: ENGINE_VERSION, config, fingerprint: data.fingerprint, result, stats });
  const exitStats = computeExitStats(result.trades, result.fills);
  return [
    { name: "summary.json", content: stableStringify({ ...summary, signalSource: signals.stats, exitStats }) },
    { name: "exit_stats.csv", content: formatExitStatsCsv(exitStats) },
    { name: "equity.csv", content: formatEquityCsv(result.equity, config.output.equityEvery) },
    { name: "trades.csv", content: formatTradesCsv(result.trades) },
    { name: "fills.csv", content: formatFillsCsv(result.fills) },
    { name: "positions.json", content: stableStringify(result.openAtEnd) },
  ];
}

/**
 * The default data path names the shipped sample relative to the project; when exitlab
 * runs from another folder, the sample is found next to the package instead.
 */
function locateSample(path: string): string {
  if (isAbsolute(path) || existsSync(path) || !path.startsWith("data/samples/")) return path;
  const packaged = join(PACKAGE_ROOT, path);
  return existsSync(packaged) ? packaged : path;
}

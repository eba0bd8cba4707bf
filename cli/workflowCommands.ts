import { existsSync, readFileSync } from "node:fs";
import { ConfigError, type IntrabarMode } from "../engine/index.js";
import { computeExitStats } from "../reports/exitStats.js";
import { renderRunReport } from "../reports/html/renderReport.js";
import { writeRunFolder } from "../reports/outputFolder.js";
import { buildSummary, stableStringify } from "../reports/summary.js";
import {
  compareExitPlans, formatCompareCsv, formatCompareMarkdown, formatCompareTerminal, type ComparePlanRun,
} from "../reports/workflows/compare.js";
import {
  buildBaseline, compareToBaseline, formatBaselineJson, formatRegressJUnit, formatRegressMarkdown, formatRegressTerminal,
  parseBaseline, rulesOf,
} from "../reports/workflows/regress.js";
import { computeBreakdowns } from "../reports/tables/breakdown.js";
import { formatBreakdownCsv, formatTierReasonTerminal } from "../reports/tables/breakdownFormat.js";
import { computeTierTable, formatTierCsv, formatTierMarkdown, formatTierTerminal } from "../reports/workflows/tiers.js";
import type { RunConfig } from "../strategies/config.js";
import { EXIT_KINDS, exitsSchema, type ExitKind } from "../strategies/exits/exitConfig.js";
import { identityDifferences, runIdentityOf } from "../reports/workflows/regressIdentity.js";
import { executeRun, prepareRun, printWarnings, runFiles, writeTextAtomically, type CompletedRun } from "../workflows/backtest.js";
import { ENGINE_VERSION } from "../workflows/packageInfo.js";
import { createProgress } from "./progress.js";
import { runPhase } from "./runPhase.js";
import type { CliIo } from "./runCli.js";

const INTRABAR_MODES: readonly IntrabarMode[] = ["default", "pessimistic", "optimistic"];

/** A comma-separated flag checked against its allowed values. */
function listFlag<T extends string>(value: unknown, allowed: readonly T[], flag: string): T[] {
  const items = String(value).split(",").map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new ConfigError("needs at least one value", flag);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new ConfigError(`"${item}" is not one of ${allowed.join(", ")}`, flag);
  }
  return items as T[];
}

/** The run's config with another exit policy: the configured one keeps its tuned parameters. */
function withExits(config: RunConfig, kind: ExitKind): RunConfig {
  return { ...config, exits: config.exits.kind === kind ? config.exits : exitsSchema.parse({ kind }) };
}

/**
 * `exitlab compare`: one data set, one signal/gate/sizing setup, several exit plans; each
 * plan also under the pessimistic and optimistic intrabar paths. Trades pair by entry
 * (symbol, time, side), so only the exits differ within a pair.
 */
export async function runCompareCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const plans = listFlag(argv.plans, EXIT_KINDS, "--plans");
  const modes = listFlag(argv.paths, INTRABAR_MODES, "--paths");
  const resamples = Number(argv.resamples);
  const prepared = await prepareRun(argv, env);
  const runs: ComparePlanRun[] = [];
  // The run drawn per plan: under the default path when it was run, else the first mode.
  const mainMode = modes.includes("default") ? "default" : modes[0];
  const mains: CompletedRun[] = [];
  const progress = createProgress("compare", argv.quiet === true);
  for (const plan of plans) {
    for (const intrabar of modes) {
      progress.update(runs.length, plans.length * modes.length);
      const run = executeRun(prepared, { ...withExits(prepared.config, plan), intrabar });
      runs.push({ name: plan, intrabar, trades: run.result.trades, fills: run.result.fills, stats: run.stats });
      if (intrabar === mainMode) mains.push(run);
    }
  }
  progress.stop();
  const result = compareExitPlans(runs, { seed: prepared.config.seed, resamples });
  const baselineRun = mains[0];
  const summary = buildSummary({
    engineVersion: ENGINE_VERSION, config: prepared.config, fingerprint: prepared.data.fingerprint,
    result: baselineRun.result, stats: baselineRun.stats, warnings: baselineRun.warnings,
  });
  const out = String(argv.out);
  writeRunFolder(out, [
    { name: "summary.json", content: stableStringify({ engine: summary.engine, workflow: "compare", config: prepared.config, data: summary.data, warnings: summary.warnings, compare: result }) },
    { name: "compare.md", content: formatCompareMarkdown(result) },
    { name: "compare.csv", content: formatCompareCsv(result) },
    {
      name: "report.html",
      content: renderRunReport({
        title: `exitlab compare — ${plans.join(" vs ")}`, runKind: "compare", runName: plans[0], summary,
        equity: baselineRun.result.equity, trades: baselineRun.result.trades, exitStats: computeExitStats(baselineRun.result.trades, baselineRun.result.fills),
        comparisons: mains.slice(1).map((run, k) => ({ name: plans[k + 1], equity: run.result.equity, metrics: run.stats })),
      }),
    },
  ], { force: argv.force === true });
  markWritten(out);
  if (argv.quiet !== true) io.out(`${formatCompareTerminal(result)}\nwritten to ${out}/ (compare.md, compare.csv, summary.json, report.html)\n`);
  printWarnings(baselineRun.warnings, io);
}

/** `exitlab tiers`: one backtest, then metrics per confidence tier and a calibration verdict. */
export async function runTiersCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const prepared = await prepareRun(argv, env);
  const run = executeRun(prepared);
  const table = computeTierTable(run.result.trades, run.result.fills, undefined, { minTrades: Number(argv["min-trades"]) });
  // The tier × reason, symbol × reason and tier × symbol group-bys (danfojs, loaded only here).
  const breakdowns = await computeBreakdowns(run.result.trades, run.result.fills);
  const files = runFiles(run.config, prepared.data, run.result, run.stats, run.signals, run.warnings);
  files.push(
    { name: "tiers.md", content: formatTierMarkdown(table) },
    { name: "tiers.csv", content: formatTierCsv(table) },
    { name: "breakdown.csv", content: formatBreakdownCsv(breakdowns) },
  );
  const out = run.config.output.dir;
  writeRunFolder(out, files, { force: argv.force === true });
  markWritten(out);
  if (argv.quiet !== true) {
    io.out(`${formatTierTerminal(table)}\n${formatTierReasonTerminal(breakdowns)}\nwritten to ${out}/ (tiers.md, tiers.csv, breakdown.csv and the backtest files)\n`);
  }
  printWarnings(run.warnings, io);
}

/**
 * `exitlab regress`: one backtest compared with a committed baseline (metrics with
 * tolerances and a trade fingerprint). Returns the exit code: 0 pass, 1 regression.
 * `--update` rewrites the baseline from this run, keeping its tolerances.
 */
export async function runRegressCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const baselineFile = String(argv.baseline);
  const prepared = await prepareRun(argv, env);
  const run = executeRun(prepared);
  const current = { stats: run.stats, trades: run.result.trades };
  const identity = runIdentityOf(run.config as unknown as Record<string, unknown>, prepared.data.fingerprint);
  if (argv.update === true) {
    const old = existsSync(baselineFile) ? parseBaseline(readFileSync(baselineFile, "utf8"), baselineFile) : null;
    writeTextAtomically(baselineFile, formatBaselineJson(old === null ? buildBaseline(current, undefined, identity) : buildBaseline(current, rulesOf(old), identity)));
    io.out(`exitlab regress: baseline ${baselineFile} ${old === null ? "written" : "updated"} (${run.result.trades.length} trades)\n`);
    return 0;
  }
  if (!existsSync(baselineFile)) throw new ConfigError("the baseline file does not exist", baselineFile, "create it with --update");
  const baseline = parseBaseline(readFileSync(baselineFile, "utf8"), baselineFile);
  if (baseline.identity === undefined) {
    io.err(`exitlab: note: ${baselineFile} records no config or data fingerprint (written by an older exitlab); checked as before — \`--update\` adds them\n`);
  } else {
    const differences = identityDifferences(baseline.identity, identity);
    if (differences.length > 0 && argv["check-anyway"] !== true) {
      io.out(`exitlab regress: CONFIG DIFFERS from the baseline's run (${baselineFile}), so its metrics are not comparable:\n${differences.slice(0, 20).map((line) => `  ${line}`).join("\n")}${differences.length > 20 ? `\n  … and ${differences.length - 20} more` : ""}\n`
        + "run with the baseline's config and data, rewrite the baseline with --update, or compare anyway with --check-anyway\n");
      printWarnings(run.warnings, io);
      return 1;
    }
    if (differences.length > 0) io.err(`exitlab: note: the config or data differs from the baseline's (${differences.length} differences); compared anyway (--check-anyway)\n`);
  }
  const report = compareToBaseline(current, baseline, {
    ignoreFingerprint: argv["ignore-fingerprint"] === true, baselineFile,
  });
  if (typeof argv.junit === "string") writeTextAtomically(argv.junit, formatRegressJUnit(report));
  if (typeof argv.markdown === "string") writeTextAtomically(argv.markdown, formatRegressMarkdown(report));
  io.out(formatRegressTerminal(report));
  printWarnings(run.warnings, io);
  return report.passed ? 0 : 1;
}

function markWritten(out: string): void {
  runPhase.outputWritten = true;
  runPhase.outputDir = out;
}

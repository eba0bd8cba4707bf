import { ReplayBuffers, withReplayBuffers, type IntrabarMode } from "../engine/index.js";
import { computeExitStats } from "../reports/exitStats.js";
import { renderRunReport } from "../reports/html/renderReport.js";
import type { OutputFile } from "../reports/outputFolder.js";
import { buildSummary, stableStringify } from "../reports/summary.js";
import { compareExitPlans, type ComparePlanRun, type CompareResult } from "../reports/workflows/compare.js";
import { compareSections, formatCompareCsv, formatCompareMarkdown, settingsLine } from "../reports/workflows/compareFormat.js";
import type { RunConfig } from "../strategies/config.js";
import { buildSparseSignals, type TimePhase } from "../strategies/buildRun.js";
import { exitsSchema, type ExitKind } from "../strategies/exits/exitConfig.js";
import { executeRun, type CompletedRun, type PreparedRun } from "./backtest.js";
import { ENGINE_VERSION } from "./packageInfo.js";

/**
 * Compare: one data set, one signal/gate/sizing setup, several exit plans; each plan also
 * under other intrabar paths. Trades pair by entry (symbol, time, side), so only the exits
 * differ within a pair.
 */

export const INTRABAR_MODES: readonly IntrabarMode[] = ["default", "pessimistic", "optimistic"];

export interface CompareSettings {
  /** Exit plans, the first is the baseline. */
  readonly plans: readonly ExitKind[];
  /** Intrabar paths every plan runs under. */
  readonly paths: readonly IntrabarMode[];
  /** Bootstrap resamples of the paired differences. */
  readonly resamples: number;
  /** Called before each run with (runs done, runs in all). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Times each run's steps, summed over the runs (the CLI's `EXITLAB_TIMINGS`). */
  readonly timePhase?: TimePhase;
}

export interface CompareOutcome {
  readonly config: RunConfig;
  readonly plans: readonly ExitKind[];
  readonly result: CompareResult;
  /** Per plan, the run under the default path when it was run, else under the first path. */
  readonly mains: readonly CompletedRun[];
}

/** The run's config with another exit policy: the configured one keeps its tuned parameters. */
export function withExits(config: RunConfig, kind: ExitKind): RunConfig {
  return { ...config, exits: config.exits.kind === kind ? config.exits : exitsSchema.parse({ kind }) };
}

export function runCompare(prepared: PreparedRun, settings: CompareSettings): CompareOutcome {
  const { plans, paths } = settings;
  const runs: ComparePlanRun[] = [];
  const mainMode = paths.includes("default") ? "default" : paths[0];
  const mains: CompletedRun[] = [];
  // The plans trade the same entries: the signals depend on the data and the signal config
  // only, so every run takes them from one computation, and with them the market inputs at
  // their bars (strategies/marketInputsAtSignals.ts).
  const timePhase = settings.timePhase ?? ((_phase, work) => work());
  const precomputed = prepared.inputs.precomputed ?? timePhase("signals", () => buildSparseSignals(prepared.config, prepared.data, prepared.inputs));
  const shared: PreparedRun = { ...prepared, inputs: { ...prepared.inputs, precomputed } };
  // The other paths' runs are kept as their trades, fills and statistics only: their equity
  // columns are written into buffers reused from one such run to the next (engine/replayBuffers.ts)
  // instead of ~11 MB of fresh columns per 200,000 bars, and only the two the statistics read
  // (equity, margin used). The main runs keep all of theirs (the report draws them).
  const reused = new ReplayBuffers("statistics");
  for (const plan of plans) {
    for (const intrabar of paths) {
      settings.onProgress?.(runs.length, plans.length * paths.length);
      const config = { ...withExits(prepared.config, plan), intrabar };
      if (intrabar === mainMode) {
        const run = executeRun(shared, config, undefined, settings.timePhase, true);
        runs.push({ name: plan, intrabar, trades: run.result.trades, fills: run.result.fills, stats: run.stats });
        mains.push(run);
      } else {
        runs.push(withReplayBuffers(reused, () => {
          const run = executeRun(shared, config, undefined, settings.timePhase, false);
          return { name: plan, intrabar, trades: run.result.trades, fills: run.result.fills, stats: run.stats };
        }));
      }
    }
  }
  const result = compareExitPlans(runs, { seed: prepared.config.seed, resamples: settings.resamples });
  return { config: prepared.config, plans, result, mains };
}

/** The compare folder: summary.json, compare.md, compare.csv, report.html. */
export function compareFiles(outcome: CompareOutcome, prepared: Pick<PreparedRun, "data">): OutputFile[] {
  const { config, plans, result, mains } = outcome;
  const baselineRun = mains[0];
  const summary = buildSummary({
    engineVersion: ENGINE_VERSION, config, fingerprint: prepared.data.fingerprint,
    result: baselineRun.result, stats: baselineRun.stats, warnings: baselineRun.warnings,
  });
  return [
    { name: "summary.json", content: stableStringify({ engine: summary.engine, workflow: "compare", config, data: summary.data, warnings: summary.warnings, compare: result }) },
    { name: "compare.md", content: formatCompareMarkdown(result) },
    { name: "compare.csv", content: formatCompareCsv(result) },
    {
      name: "report.html",
      content: renderRunReport({
        title: `exitlab compare — ${plans.join(" vs ")}`, runKind: "compare", runName: plans[0], summary,
        equity: baselineRun.result.equity, trades: baselineRun.result.trades, exitStats: computeExitStats(baselineRun.result.trades, baselineRun.result.fills),
        comparisons: mains.slice(1).map((run, k) => ({ name: plans[k + 1], equity: run.result.equity, metrics: run.stats })),
        workflow: { heading: `Compare: ${plans.join(" vs ")}`, lines: [settingsLine(result), ...result.warnings.map((w) => `warning: ${w}`)], sections: compareSections(result) },
        price: { bars: prepared.data.bars, fills: baselineRun.result.fills, levels: baselineRun.result.levelTrace ?? null },
      }),
    },
  ];
}

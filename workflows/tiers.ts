import type { OutputFile } from "../reports/outputFolder.js";
import { computeBreakdowns, type Breakdowns } from "../reports/tables/breakdown.js";
import { formatBreakdownCsv } from "../reports/tables/breakdownFormat.js";
import { computeTierTable, type TierTable } from "../reports/workflows/tiers.js";
import { formatTierCsv, formatTierMarkdown, tierWorkflowBlock } from "../reports/workflows/tiersFormat.js";
import { executeRun, runFiles, type CompletedRun, type PreparedRun } from "./backtest.js";

/** Tiers: one backtest, then metrics per confidence tier and a calibration verdict. */

export interface TiersOutcome {
  readonly run: CompletedRun;
  readonly table: TierTable;
}

export function runTiers(prepared: PreparedRun, options: { readonly minTrades: number }): TiersOutcome {
  const run = executeRun(prepared);
  return { run, table: computeTierTable(run.result.trades, run.result.fills, undefined, { minTrades: options.minTrades }) };
}

/** The tier × reason, symbol × reason and tier × symbol group-bys (needs danfojs-node, loaded here only). */
export function tierBreakdowns(run: CompletedRun): Promise<Breakdowns> {
  return computeBreakdowns(run.result.trades, run.result.fills);
}

/** The backtest's files plus tiers.md, tiers.csv and breakdown.csv. */
export function tiersFiles(outcome: TiersOutcome, breakdowns: Breakdowns, prepared: Pick<PreparedRun, "data">): OutputFile[] {
  const { run, table } = outcome;
  const symbols = prepared.data.bars.map((series) => series.symbol).join(", ");
  const files = runFiles(run.config, prepared.data, run.result, run.stats, run.signals, run.warnings, {
    title: `exitlab tiers — ${symbols}`, runKind: "tiers", workflow: tierWorkflowBlock(table),
  });
  files.push(
    { name: "tiers.md", content: formatTierMarkdown(table) },
    { name: "tiers.csv", content: formatTierCsv(table) },
    { name: "breakdown.csv", content: formatBreakdownCsv(breakdowns) },
  );
  return files;
}

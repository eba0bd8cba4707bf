import type { WorkflowBlock } from "../../reports/html/workflowSections.js";
import type { RunStats } from "../../reports/stats.js";
import type { WalkforwardEfficiency, WindowRow } from "./walkforwardTable.js";

/**
 * The walk-forward's result as the terminal prints it — the per-window table, the stitched
 * out-of-sample line and the walk-forward efficiency — built once, so the report.html page
 * of the stitched run shows exactly the terminal's rows (the compare and tiers pages do the
 * same).
 */

export const WALKFORWARD_HEADER = ["window", "test from", "chosen cell", "IS ann. return", "IS trades", "OOS return", "OOS ann. return", "OOS trades", "IS PBO"] as const;

/** Width of the chosen-cell column; longer descriptions are cut. */
export const CHOSEN_CELL_WIDTH = 40;

const pct = (value: number | null): string => (value === null ? "—" : `${(value * 100).toFixed(2)} %`);
const num = (value: number | null, digits = 2): string => (value === null ? "—" : value.toFixed(digits));

/** One window's cells under WALKFORWARD_HEADER. */
export function walkforwardCells(row: WindowRow): string[] {
  return [
    String(row.window.index), new Date(row.window.testFromMs).toISOString().slice(0, 10),
    row.chosen === null
      ? "(none ranked: flat)"
      : Object.entries(row.chosen.values).map(([key, value]) => `${key.split(".").pop()}=${JSON.stringify(value)}`).join(" ").slice(0, CHOSEN_CELL_WIDTH),
    pct(row.inSample?.annualizedReturnPct ?? null), num(row.inSample?.tradeCount ?? null, 0),
    pct(row.outOfSample.totalReturnPct), pct(row.outOfSample.annualizedReturnPct), num(row.outOfSample.tradeCount, 0), num(row.overfitting.pbo, 3),
  ];
}

/** The stitched out-of-sample line and the efficiency line. */
export function walkforwardSummaryLines(
  stitched: { readonly stats: RunStats; readonly result: { readonly account: { readonly initialBalance: number; readonly finalEquity: number } } },
  efficiency: WalkforwardEfficiency,
): [string, string] {
  const { stats, result } = stitched;
  return [
    `out of sample (stitched): ${result.account.initialBalance.toFixed(2)} → ${result.account.finalEquity.toFixed(2)} USDT, return ${pct(stats.totalReturnPct)}, annualised ${pct(stats.annualizedReturnPct)}, Sharpe ${num(stats.sharpeRatio)}, max drawdown ${pct(stats.maxDrawdownPct)}, ${stats.tradeCount} trades`,
    `walk-forward efficiency: ${efficiency.walkForwardEfficiency === null ? `— (${efficiency.note})` : num(efficiency.walkForwardEfficiency, 3)} (OOS annualised ${pct(efficiency.outOfSampleAnnualizedReturnPct)} / mean IS annualised ${pct(efficiency.meanInSampleAnnualizedReturnPct)})`,
  ];
}

/** The block at the top of the stitched run's report.html: the same table and lines as the terminal. */
export function walkforwardWorkflowBlock(
  windows: readonly WindowRow[],
  stitched: Parameters<typeof walkforwardSummaryLines>[0],
  efficiency: WalkforwardEfficiency,
): WorkflowBlock {
  return {
    heading: "Walk-forward: in-sample choice, out-of-sample result per window",
    lines: [...walkforwardSummaryLines(stitched, efficiency), "The cards, curves and trades below are the stitched out-of-sample run."],
    sections: [{
      title: "Windows",
      table: { header: [...WALKFORWARD_HEADER], rows: windows.map(walkforwardCells), align: ["right", "left", "left", "right", "right", "right", "right", "right", "right"] },
    }],
  };
}

import { renderWorkflowPage } from "../../reports/html/workflowPage.js";
import { formatOverfittingLine, type SweepOverfitting } from "./overfitting.js";
import type { SweepSpec } from "./sweepFile.js";
import { sweepHeaderLine, sweepRankingTable, sweepUnrankedTable, type SweepRow } from "./sweepTable.js";

/**
 * `sweep.html`: the sweep's ranking as a page — the terminal's first line and overfitting line,
 * every ranked cell with the terminal table's columns (the terminal shows the best `--top`), and
 * the cells without a rank with the reason. Built from the same tables as the terminal output.
 */
export function formatSweepPage(rows: readonly SweepRow[], spec: SweepSpec, overfitting: SweepOverfitting): string {
  const ranking = sweepRankingTable(rows, spec, Infinity);
  const unranked = sweepUnrankedTable(rows, spec);
  return renderWorkflowPage("sweep", `exitlab sweep — ranked by ${spec.metric} (${spec.direction})`, {
    heading: "Ranking",
    lines: [sweepHeaderLine(rows, spec), formatOverfittingLine(overfitting)],
    sections: [
      { title: `Ranked cells (${ranking.rows.length})`, table: ranking, note: "A high in-sample rank is not an edge: read it with the PBO and deflated Sharpe above." },
      ...(unranked.rows.length === 0 ? [] : [{ title: `Cells without a rank (${unranked.rows.length})`, table: unranked }]),
    ],
  });
}

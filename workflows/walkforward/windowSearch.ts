import type { RunConfig } from "../../strategies/config.js";
import type { CellOutcome } from "../sweep/cellRunner.js";
import { assertSomeCellValid, cellOf, type GridCell, type ReadyCell } from "../sweep/grid.js";
import { sweepOverfittingOf, type SweepOverfitting } from "../sweep/overfitting.js";
import { lossOf, TrialPlanner } from "../sweep/searchPlan.js";
import type { SharedMarketData } from "../sweep/sharedData.js";
import type { SweepSpec } from "../sweep/sweepFile.js";
import { rankCells, type SweepRow } from "../sweep/sweepTable.js";
import type { Segment } from "./segment.js";
import type { WindowPool } from "./windowPool.js";

/**
 * A window's in-sample search: the sweep's grid, random or TPE search (workflows/sweep/,
 * unchanged: the same cells, proposals, ranking, min-trades rule and overfitting statistics),
 * each cell measured on the window's training part only. A search's rounds depend only on the
 * seed and the earlier rounds' results in proposal order, so the chosen cell does not depend on
 * the number of threads or on which window's cells finish first.
 */
export interface WindowSearch {
  readonly cells: readonly GridCell[];
  readonly outcomes: ReadonlyMap<string, CellOutcome>;
  /** Ranked as sweep.csv ranks (rank 1 is the chosen cell). */
  readonly rows: readonly SweepRow[];
  readonly overfitting: SweepOverfitting;
}

export interface SearchContext {
  readonly pool: WindowPool;
  readonly data: SharedMarketData;
  readonly base: RunConfig;
  readonly spec: SweepSpec;
  /** The grid's cells (a grid search: the same for every window); null for random and TPE. */
  readonly gridCells: readonly GridCell[] | null;
  readonly pboPartitions: number;
  /** Where the grid came from, for errors. */
  readonly gridLabel: string;
  /** Called as each cell finishes (progress). */
  readonly onCell?: () => void;
}

export async function searchWindow(context: SearchContext, segment: Segment, label: string): Promise<WindowSearch> {
  const { spec } = context;
  const outcomes = new Map<string, CellOutcome>();
  const runRound = async (round: readonly GridCell[]): Promise<void> => {
    const ready = round.filter((cell): cell is ReadyCell => cell.status === "ready" && !outcomes.has(cell.cellId));
    await Promise.all(ready.map(async (cell) => {
      const run = await context.pool.run({ cellId: cell.cellId, config: cell.config, data: context.data, segment, label });
      outcomes.set(cell.cellId, run.outcome);
      context.onCell?.();
    }));
  };
  let cells: GridCell[];
  if (context.gridCells !== null) {
    cells = [...context.gridCells];
    await runRound(cells);
  } else {
    cells = [];
    const planner = new TrialPlanner(spec.space, spec.search, context.base.seed);
    for (;;) {
      const history = cells.map((cell) => ({ values: cell.values, loss: lossOf(outcomes.get(cell.cellId), spec) }));
      const round = planner.nextRound(history).map((values) => cellOf(context.base, values));
      if (round.length === 0) break;
      if (cells.length === 0) assertSomeCellValid(round, context.gridLabel);
      cells.push(...round);
      await runRound(round);
    }
  }
  const rows = rankCells(cells, outcomes, spec);
  return { cells, outcomes, rows, overfitting: sweepOverfittingOf(rows, outcomes, context.pboPartitions) };
}

import type { DataFrame } from "danfojs-node";
import type { EquityCurve, Fill, Trade } from "../engine/index.js";
import { loadDanfo } from "./tables/danfo.js";
import type { Breakdowns } from "./tables/breakdown.js";

/**
 * `exitlab/dataframes`: a run's results as danfo DataFrames, for notebooks and scripts. A
 * subpath of its own, so the main entry's declarations never name danfojs-node; it needs the
 * optional peer dependency danfojs-node (the error names the install command when it is absent).
 */

export interface RunFrames {
  /** One row per closed trade; the exit plan as planSource, planStopLossPct, planMaxHoldingBars. */
  readonly trades: DataFrame;
  /** One row per fill. */
  readonly fills: DataFrame;
  /** One row per equity sample. */
  readonly equity: DataFrame;
}

/** What `toDataFrames` reads: a backtest's results (`backtest()` from "exitlab" returns one). */
export interface RunFrameSource {
  readonly trades: readonly Trade[];
  readonly fills: readonly Fill[];
  readonly equity: EquityCurve;
}

export async function toDataFrames(run: RunFrameSource): Promise<RunFrames> {
  const danfo = await loadDanfo("toDataFrames");
  const trades = run.trades.map(({ plan, ...trade }) => ({
    ...trade, planSource: plan.source, planStopLossPct: plan.stopLossPct, planMaxHoldingBars: plan.maxHoldingBars,
  }));
  const { equity } = run;
  const columns = ["time", "equity", "balance", "unrealizedPnl", "marginUsed", "exposure", "drawdown"] as const;
  return {
    trades: frameOf(danfo, trades),
    fills: frameOf(danfo, run.fills.map((fill) => ({ ...fill }))),
    equity: new danfo.DataFrame(Object.fromEntries(columns.map((name) => [name, Array.from(equity[name].subarray(0, equity.length))]))),
  };
}

/** The tiers workflow's breakdown tables (tier × reason, symbol × reason, tier × symbol) as DataFrames. */
export async function breakdownFrames(breakdowns: Breakdowns): Promise<Record<keyof Breakdowns, DataFrame>> {
  const danfo = await loadDanfo("breakdownFrames");
  return {
    tierReason: frameOf(danfo, breakdowns.tierReason.map((row) => ({ ...row }))),
    symbolReason: frameOf(danfo, breakdowns.symbolReason.map((row) => ({ ...row }))),
    tierSymbol: frameOf(danfo, breakdowns.tierSymbol.map((row) => ({ ...row }))),
  };
}

/** A frame of row objects; an empty list gives an empty frame (danfo rejects `[]`). */
function frameOf(danfo: typeof import("danfojs-node"), rows: readonly object[]): DataFrame {
  return rows.length === 0 ? new danfo.DataFrame() : new danfo.DataFrame(rows as object[]);
}

/**
 * Breakdown tables of a run's exits, computed with danfojs `groupby(...).agg(...)`:
 * (a) tier × reason and (b) symbol × reason — legs, quantity, share of the group's closed
 * quantity, total and mean net PnL, mean bars to hit — and (c) tier × symbol — trades, win
 * rate, total net PnL. Pure: trades and fills in, plain rows out.
 *
 * danfojs takes seconds to load (tfjs comes with it), so it is imported lazily inside
 * `computeBreakdowns` and never at module level: importing this file costs nothing, and the
 * engine's import graph never reaches it (STYLE §15).
 *
 * danfojs quirks worked around here (danfojs-node 1.1.2):
 * - `groupby` joins the key values of a row with "-" into one object key, so ("A-B", "C") and
 *   ("A", "B-C") fall into the same group, and a key such as "constructor" (an Object.prototype
 *   property) throws. We group on non-negative integer codes instead and decode afterwards.
 * - A DataFrame of zero rows cannot be built ("end must be greater than start"), so an empty
 *   table is returned without calling danfojs.
 * - Group order follows object-key order, not first appearance; rows are sorted explicitly
 *   (tiers VERY_HIGH … VERY_LOW, NONE; reasons by `compareReasons`; symbols in code-unit order).
 * - `count` counts every row, NaN included; `sum` and `mean` are plain float64 reductions in
 *   row order (the "float32" dtype label does not truncate values), so results match plain
 *   TypeScript sums over the same rows.
 */
import type { Fill, Trade } from "../../engine/types.js";
import { compareReasons } from "../reasons.js";
import { loadDanfo } from "./danfo.js";
import { buildLegRows, buildTradeRows, compareSymbols, compareTiers, type LegRow, type TradeRow } from "./legFrame.js";

/** The lazily imported module; a type only, erased at compile time. */
type Danfo = typeof import("danfojs-node");
/** What we read from a frame; `groupby().agg()` returns danfojs-base's DataFrame, not danfojs-node's. */
interface FrameColumns {
  column(name: string): { readonly values: unknown };
}

/** Statistics of the closing legs of one group (a tier or a symbol) and one reason. */
export interface ReasonBreakdown {
  readonly reason: string;
  /** Closing fills. */
  readonly legs: number;
  readonly quantity: number;
  /** `quantity` / quantity closed by all legs of the group, as a fraction; null if that is 0. */
  readonly shareOfQuantity: number | null;
  readonly totalNetPnlUsd: number | null;
  readonly averageNetPnlUsd: number | null;
  /** Mean bars held at the fill (the entry bar counts as 1). */
  readonly averageBarsToHit: number | null;
}

export interface TierReasonRow extends ReasonBreakdown {
  readonly tier: string;
}

export interface SymbolReasonRow extends ReasonBreakdown {
  readonly symbol: string;
}

export interface TierSymbolRow {
  readonly tier: string;
  readonly symbol: string;
  readonly trades: number;
  /** Trades with net PnL > 0. */
  readonly winningTrades: number;
  /** `winningTrades` / `trades`, as a fraction. */
  readonly winRate: number | null;
  /** Sum of the trades' net PnL (USDT). */
  readonly totalNetPnlUsd: number | null;
}

/** Every row list is sorted: tier order, then reason (`compareReasons`) or symbol. */
export interface Breakdowns {
  readonly tierReason: readonly TierReasonRow[];
  readonly symbolReason: readonly SymbolReasonRow[];
  readonly tierSymbol: readonly TierSymbolRow[];
}

/** Distinct labels in sorted order and each value's index among them. */
interface Codebook {
  readonly labels: readonly string[];
  readonly codes: number[];
}

function encode(values: readonly string[], compare: (a: string, b: string) => number): Codebook {
  const labels = [...new Set(values)].sort(compare);
  const codeOf = new Map(labels.map((label, index) => [label, index]));
  return { labels, codes: values.map((value) => codeOf.get(value) as number) };
}

/** A number when finite, else null (danfojs gives NaN for a NaN input). */
function finiteOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function columnOf(frame: FrameColumns, name: string): unknown[] {
  return frame.column(name).values as unknown[];
}

function countColumnOf(frame: FrameColumns, name: string): number[] {
  return columnOf(frame, name).map((value) => Number(value));
}

/** Sorts row indexes by the first code column, then the second (both ascending). */
function sortedIndexes(first: readonly number[], second: readonly number[]): number[] {
  return first.map((_, index) => index).sort((a, b) => first[a] - first[b] || second[a] - second[b]);
}

interface GroupedReasonRow extends ReasonBreakdown {
  readonly group: string;
}

/** The reason table of one grouping (`groups[i]` is the group of `legs[i]`); `legs` is not empty. */
function computeReasonBreakdown(
  danfo: Danfo,
  legs: readonly LegRow[],
  groups: readonly string[],
  compareGroups: (a: string, b: string) => number,
): GroupedReasonRow[] {
  const group = encode(groups, compareGroups);
  const reason = encode(legs.map((leg) => leg.reason), compareReasons);
  const frame = new danfo.DataFrame({
    groupCode: group.codes,
    reasonCode: reason.codes,
    quantity: legs.map((leg) => leg.quantity),
    netPnlUsd: legs.map((leg) => leg.netPnlUsd),
    barsHeld: legs.map((leg) => leg.barsHeld),
  });
  const cells = frame
    .groupby(["groupCode", "reasonCode"])
    .agg({ quantity: ["count", "sum"], netPnlUsd: ["sum", "mean"], barsHeld: "mean" });
  const totals = frame.groupby(["groupCode"]).agg({ quantity: "sum" });
  const totalCodes = countColumnOf(totals, "groupCode");
  const totalQuantities = columnOf(totals, "quantity_sum");
  const closedQuantity = new Map(totalCodes.map((code, index) => [code, finiteOrNull(totalQuantities[index])]));

  const groupCodes = countColumnOf(cells, "groupCode");
  const reasonCodes = countColumnOf(cells, "reasonCode");
  const legCounts = countColumnOf(cells, "quantity_count");
  const [quantities, pnlSums, pnlMeans, barMeans] = ["quantity_sum", "netPnlUsd_sum", "netPnlUsd_mean", "barsHeld_mean"].map(
    (name) => columnOf(cells, name).map(finiteOrNull),
  );
  return sortedIndexes(groupCodes, reasonCodes).map((row) => {
    const quantity = quantities[row] ?? 0;
    const total = closedQuantity.get(groupCodes[row]) ?? null;
    return {
      group: group.labels[groupCodes[row]],
      reason: reason.labels[reasonCodes[row]],
      legs: legCounts[row],
      quantity,
      shareOfQuantity: total === null || total === 0 ? null : quantity / total,
      totalNetPnlUsd: pnlSums[row],
      averageNetPnlUsd: pnlMeans[row],
      averageBarsToHit: barMeans[row],
    };
  });
}

/** The tier × symbol table; `trades` is not empty. */
function computeTierSymbolBreakdown(danfo: Danfo, trades: readonly TradeRow[]): TierSymbolRow[] {
  const tier = encode(trades.map((trade) => trade.tier), compareTiers);
  const symbol = encode(trades.map((trade) => trade.symbol), compareSymbols);
  const frame = new danfo.DataFrame({
    tierCode: tier.codes,
    symbolCode: symbol.codes,
    won: trades.map((trade) => (trade.won ? 1 : 0)),
    netPnlUsd: trades.map((trade) => trade.netPnlUsd),
  });
  const cells = frame.groupby(["tierCode", "symbolCode"]).agg({ won: ["count", "sum"], netPnlUsd: "sum" });
  const tierCodes = countColumnOf(cells, "tierCode");
  const symbolCodes = countColumnOf(cells, "symbolCode");
  const counts = countColumnOf(cells, "won_count");
  const wins = countColumnOf(cells, "won_sum");
  const pnlSums = columnOf(cells, "netPnlUsd_sum").map(finiteOrNull);
  return sortedIndexes(tierCodes, symbolCodes).map((row) => ({
    tier: tier.labels[tierCodes[row]],
    symbol: symbol.labels[symbolCodes[row]],
    trades: counts[row],
    winningTrades: wins[row],
    winRate: counts[row] === 0 ? null : wins[row] / counts[row],
    totalNetPnlUsd: pnlSums[row],
  }));
}

/**
 * The three breakdown tables of a run. Tiers are the default confidence tiers of SPEC §4.2
 * (`NONE` without a confidence). Fills of trades not in `trades` are ignored; `fills` may be
 * empty (then only the tier × symbol table has rows). Loads danfojs on the first call
 * (about 1–3 s), not at all when there are no trades.
 */
export async function computeBreakdowns(trades: readonly Trade[], fills: readonly Fill[]): Promise<Breakdowns> {
  const legs = buildLegRows(trades, fills);
  const tradeRows = buildTradeRows(trades);
  if (tradeRows.length === 0) return { tierReason: [], symbolReason: [], tierSymbol: [] };
  const danfo: Danfo = await loadDanfo("the breakdown tables (exitlab tiers)");
  const byTier = legs.length === 0 ? [] : computeReasonBreakdown(danfo, legs, legs.map((leg) => leg.tier), compareTiers);
  const bySymbol = legs.length === 0 ? [] : computeReasonBreakdown(danfo, legs, legs.map((leg) => leg.symbol), compareSymbols);
  return {
    tierReason: byTier.map(({ group, ...cell }) => ({ tier: group, ...cell })),
    symbolReason: bySymbol.map(({ group, ...cell }) => ({ symbol: group, ...cell })),
    tierSymbol: computeTierSymbolBreakdown(danfo, tradeRows),
  };
}

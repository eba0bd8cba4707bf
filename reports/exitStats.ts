/**
 * TP/SL hit statistics (SPEC §7 exit_stats.csv): for every exit reason and TP stage, how
 * often it fired, on what share of trades and of quantity, what it earned and how long it
 * took — over all trades, per confidence tier and per symbol. Pure: plain data in and out.
 *
 * A leg's net PnL is its realised PnL − its exit fee + its funding share − the entry fee
 * pro rata to its quantity, so the legs of a trade add up to the trade's net PnL.
 */
import type { Fill, Trade } from "../engine/types.js";
import { confidenceTier } from "./confidenceTier.js";
import { compareReasons } from "./reasons.js";

export type ExitStatsGroup = "all" | "tier" | "symbol";

export interface ExitStatsRow {
  readonly group: ExitStatsGroup;
  /** `all`, a tier label (`VERY_HIGH` … `VERY_LOW`, `NONE` without a confidence) or a symbol. */
  readonly groupValue: string;
  readonly reason: string;
  /** Closing fills with this reason. */
  readonly fills: number;
  /** Trades with at least one such fill. */
  readonly trades: number;
  /** `trades` / trades in the group. */
  readonly shareOfTrades: number;
  readonly quantity: number;
  /** Quantity closed with this reason / the group's entry quantity. */
  readonly shareOfQuantity: number;
  readonly totalNetPnlUsd: number;
  readonly averageNetPnlUsd: number;
  /** Mean bars held at the fill (the entry bar counts as 1). */
  readonly averageBarsToHit: number;
  /** Trades in the group (the denominators). */
  readonly groupTrades: number;
}

interface Accumulator {
  fills: number;
  tradeIds: Set<number>;
  quantity: number;
  pnl: number;
  bars: number;
}

export function computeExitStats(trades: readonly Trade[], fills: readonly Fill[]): ExitStatsRow[] {
  // Each trade's three group keys are made once; a fill then finds its cells through them
  // (two map lookups by strings that already exist) instead of building a key per fill.
  const groupKeysById = new Map<number, readonly string[]>();
  const totals = new Map<string, { trades: number; quantity: number }>();
  for (const trade of trades) {
    const keys = [`all${SEPARATOR}all`, `tier${SEPARATOR}${confidenceTier(trade.confidence) ?? "NONE"}`, `symbol${SEPARATOR}${trade.symbol}`];
    groupKeysById.set(trade.id, keys);
    for (const key of keys) {
      const total = totals.get(key) ?? { trades: 0, quantity: 0 };
      total.trades++;
      total.quantity += trade.quantity;
      totals.set(key, total);
    }
  }
  const tradeById = new Map(trades.map((trade) => [trade.id, trade]));
  const entryFees = entryFeesOf(fills);
  const cells = new Map<string, Map<string, Accumulator>>();
  for (const fill of fills) {
    if (fill.reason === "ENTRY") continue;
    const trade = tradeById.get(fill.tradeId);
    if (trade === undefined) continue;
    const entryFeeShare = (entryFees.get(trade.id) ?? 0) * (fill.quantity / trade.quantity);
    const net = fill.realizedPnlUsd - fill.feeUsd + fill.fundingUsd - entryFeeShare;
    for (const key of groupKeysById.get(trade.id) as readonly string[]) {
      let byReason = cells.get(key);
      if (byReason === undefined) cells.set(key, (byReason = new Map()));
      let cell = byReason.get(fill.reason);
      if (cell === undefined) byReason.set(fill.reason, (cell = { fills: 0, tradeIds: new Set<number>(), quantity: 0, pnl: 0, bars: 0 }));
      cell.fills++;
      cell.tradeIds.add(trade.id);
      cell.quantity += fill.quantity;
      cell.pnl += net;
      cell.bars += fill.barsHeld;
    }
  }
  const rows: ExitStatsRow[] = [];
  for (const [key, byReason] of cells) for (const [reason, cell] of byReason) {
    const at = key.indexOf(SEPARATOR);
    const group = key.slice(0, at) as ExitStatsGroup;
    const groupValue = key.slice(at + 1);
    const total = totals.get(key) as { trades: number; quantity: number };
    rows.push({
      group, groupValue, reason,
      fills: cell.fills,
      trades: cell.tradeIds.size,
      shareOfTrades: cell.tradeIds.size / total.trades,
      quantity: cell.quantity,
      shareOfQuantity: cell.quantity / total.quantity,
      totalNetPnlUsd: cell.pnl,
      averageNetPnlUsd: cell.pnl / cell.fills,
      averageBarsToHit: cell.bars / cell.fills,
      groupTrades: total.trades,
    });
  }
  return rows.sort(compareRows);
}

const GROUP_ORDER: Record<ExitStatsGroup, number> = { all: 0, tier: 1, symbol: 2 };
const TIER_ORDER = ["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW", "NONE"];

function compareRows(a: ExitStatsRow, b: ExitStatsRow): number {
  if (a.group !== b.group) return GROUP_ORDER[a.group] - GROUP_ORDER[b.group];
  if (a.groupValue !== b.groupValue) {
    if (a.group === "tier") return TIER_ORDER.indexOf(a.groupValue) - TIER_ORDER.indexOf(b.groupValue);
    return a.groupValue < b.groupValue ? -1 : 1;
  }
  return compareReasons(a.reason, b.reason);
}

const SEPARATOR = "\u0000";

/** Each trade's entry fee (its ENTRY fill), by trade id. */
function entryFeesOf(fills: readonly Fill[]): Map<number, number> {
  const byTrade = new Map<number, number>();
  for (const fill of fills) if (fill.reason === "ENTRY") byTrade.set(fill.tradeId, fill.feeUsd);
  return byTrade;
}

export const EXIT_STATS_COLUMNS = [
  "group", "group_value", "reason", "fills", "trades", "share_of_trades", "quantity", "share_of_quantity",
  "total_net_pnl_usd", "average_net_pnl_usd", "average_bars_to_hit", "group_trades",
] as const;

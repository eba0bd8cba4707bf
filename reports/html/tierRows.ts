/**
 * The report's tier table when the caller gives none: the trades grouped by their default
 * confidence tier (SPEC §4.2), with the TP and SL hit shares read from the exit statistics'
 * `tier` rows. Pure.
 */
import type { Trade } from "../../engine/types.js";
import { confidenceTier } from "../confidenceTier.js";
import type { ExitStatsRow } from "../exitStats.js";
import type { TierRow } from "./reportInput.js";

/** Highest tier first; `NONE` (no confidence) last — the order of the exit statistics. */
const TIER_ORDER: readonly string[] = ["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW", "NONE"];

interface TierSums {
  trades: number;
  wins: number;
  netPnlUsd: number;
  rSum: number;
  rCount: number;
}

export function computeTierRows(trades: readonly Trade[], exitStats: readonly ExitStatsRow[]): TierRow[] {
  const sums = new Map<string, TierSums>();
  for (const trade of trades) {
    const tier = confidenceTier(trade.confidence) ?? "NONE";
    const sum = sums.get(tier) ?? { trades: 0, wins: 0, netPnlUsd: 0, rSum: 0, rCount: 0 };
    sum.trades++;
    if (trade.netPnlUsd > 0) sum.wins++;
    sum.netPnlUsd += trade.netPnlUsd;
    if (trade.rMultiple !== null && Number.isFinite(trade.rMultiple)) {
      sum.rSum += trade.rMultiple;
      sum.rCount++;
    }
    sums.set(tier, sum);
  }
  const tiers = [...sums.keys()].sort((a, b) => rankOf(a) - rankOf(b) || (a < b ? -1 : a > b ? 1 : 0));
  return tiers.map((tier) => {
    const sum = sums.get(tier) as TierSums;
    const rows = exitStats.filter((row) => row.group === "tier" && row.groupValue === tier);
    return {
      tier,
      trades: sum.trades,
      winRatePct: sum.wins / sum.trades,
      expectancyUsd: sum.netPnlUsd / sum.trades,
      averageR: sum.rCount === 0 ? null : sum.rSum / sum.rCount,
      takeProfitHitPct: takeProfitShareOf(rows),
      stopLossHitPct: rows.find((row) => row.reason === "SL")?.shareOfTrades ?? 0,
    };
  });
}

function rankOf(tier: string): number {
  const rank = TIER_ORDER.indexOf(tier);
  return rank === -1 ? TIER_ORDER.length : rank;
}

/**
 * Stages fill in order of their moves (a price that reaches TP2 has passed TP1), so the
 * trades with any TP fill are those of the most-hit stage; a stage with a zero fraction
 * leaves no fill, which is why this takes the maximum rather than TP1's share.
 */
function takeProfitShareOf(rows: readonly ExitStatsRow[]): number {
  let share = 0;
  for (const row of rows) if (/^TP\d+$/.test(row.reason)) share = Math.max(share, row.shareOfTrades);
  return share;
}

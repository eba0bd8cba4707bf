import type { AccountTotals, EquityCurve, Fill, RunCounters, RunResult, Trade } from "../../engine/index.js";
import { computeStats, type RunStats } from "../../reports/stats.js";

/**
 * The out-of-sample parts of a walk-forward, stitched into one run (README "Walk-forward"):
 * each part started with the previous part's final equity (compounding) and ended flat (its
 * open positions closed at its last close), so the stitched account is the sum of the parts:
 * final equity = initial + Σ realised PnL − Σ fees + Σ funding, to rounding. Trade ids and fill
 * sequence numbers are renumbered to stay unique; the equity curve is the parts' curves back to
 * back (warm-up rows left out) with the drawdown recomputed from one running peak.
 */
export interface StitchPart {
  readonly result: RunResult;
  /** The part's curve from its first decision bar. */
  readonly equity: EquityCurve;
}

export interface Stitched {
  readonly result: RunResult;
  readonly stats: RunStats;
}

export function stitchParts(parts: readonly StitchPart[], initialBalance: number): Stitched {
  const trades: Trade[] = [];
  const fills: Fill[] = [];
  let tradeOffset = 0;
  let fillOffset = 0;
  for (const { result } of parts) {
    let maxId = 0;
    let maxSeq = 0;
    for (const trade of result.trades) {
      trades.push({ ...trade, id: trade.id + tradeOffset });
      maxId = Math.max(maxId, trade.id);
    }
    for (const fill of result.fills) {
      fills.push({ ...fill, seq: fill.seq + fillOffset, tradeId: fill.tradeId + tradeOffset });
      maxSeq = Math.max(maxSeq, fill.seq);
      maxId = Math.max(maxId, fill.tradeId);
    }
    tradeOffset += maxId;
    fillOffset += maxSeq;
  }
  const last = parts[parts.length - 1].result;
  const sum = (pick: (account: AccountTotals) => number): number => parts.reduce((total, part) => total + pick(part.result.account), 0);
  const realizedPnlUsd = sum((account) => account.realizedPnlUsd);
  const feesUsd = sum((account) => account.feesUsd);
  const fundingUsd = sum((account) => account.fundingUsd);
  const account: AccountTotals = {
    initialBalance, finalBalance: last.account.finalBalance, finalEquity: last.account.finalEquity, realizedPnlUsd, feesUsd, fundingUsd,
    reconciliationError: Math.abs(last.account.finalEquity - (initialBalance + realizedPnlUsd - feesUsd + fundingUsd)) / initialBalance,
  };
  const counters = parts.map((part) => part.result.counters).reduce((a, b) => sumCounts(a, b) as RunCounters);
  const equity = stitchEquity(parts.map((part) => part.equity), initialBalance);
  const result: RunResult = {
    trades, fills, refusals: parts.flatMap((part) => part.result.refusals), equity, openAtEnd: last.openAtEnd, account, counters,
    timeframeMs: last.timeframeMs, warnings: [...new Set(parts.flatMap((part) => part.result.warnings))],
  };
  const stats = computeStats({ trades, fills, equity, timeframeMs: result.timeframeMs, initialBalance, account, counters });
  return { result, stats };
}

/** Counters added field by field (nested records of counts too); other values are the first part's. */
function sumCounts(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a ?? b;
  const merged: Record<string, unknown> = { ...(b as Record<string, unknown>) };
  for (const [key, value] of Object.entries(a as Record<string, unknown>)) merged[key] = key in merged ? sumCounts(value, merged[key]) : value;
  return merged;
}

function stitchEquity(curves: readonly EquityCurve[], initialBalance: number): EquityCurve {
  const length = curves.reduce((total, curve) => total + curve.length, 0);
  const column = (pick: (curve: EquityCurve) => Float64Array): Float64Array => {
    const out = new Float64Array(length);
    let at = 0;
    for (const curve of curves) {
      out.set(pick(curve).subarray(0, curve.length), at);
      at += curve.length;
    }
    return out;
  };
  const equity = column((curve) => curve.equity);
  const drawdown = new Float64Array(length);
  let peak = initialBalance;
  for (let i = 0; i < length; i++) {
    if (equity[i] > peak) peak = equity[i];
    drawdown[i] = equity[i] / peak - 1;
  }
  return {
    length, time: column((curve) => curve.time), equity, balance: column((curve) => curve.balance), unrealizedPnl: column((curve) => curve.unrealizedPnl),
    marginUsed: column((curve) => curve.marginUsed), exposure: column((curve) => curve.exposure), drawdown,
  };
}

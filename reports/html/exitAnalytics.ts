/**
 * Exit analytics of report.html (README Outputs → report.html): the MAE/MFE points of each
 * trade, exit efficiency (captured move / MFE) by exit plan and reason, monthly returns from
 * the equity curve (UTC months), and a buy-and-hold benchmark (the first symbol's close scaled
 * to the initial balance). Pure functions with plain results; the page only draws them.
 */
import type { BarSeries, EquityCurve, Trade } from "../../engine/types.js";

export interface MaeMfePoint {
  readonly id: number;
  /** Maximum adverse excursion, a fraction of the entry price, ≤ 0. */
  readonly mae: number;
  /** Maximum favourable excursion, a fraction of the entry price, ≥ 0. */
  readonly mfe: number;
  /** Net PnL > 0. */
  readonly winner: boolean;
}

export function maeMfePoints(trades: readonly Trade[]): MaeMfePoint[] {
  return trades
    .filter((t) => Number.isFinite(t.maePct) && Number.isFinite(t.mfePct))
    .map((t) => ({ id: t.id, mae: t.maePct, mfe: t.mfePct, winner: t.netPnlUsd > 0 }));
}

/** side × (exit price − entry price) / entry price: the price move the trade kept (its exit price is the mean of its exit fills). */
export function capturedMove(trade: Pick<Trade, "side" | "entryPrice" | "exitPrice">): number {
  return (trade.side * (trade.exitPrice - trade.entryPrice)) / trade.entryPrice;
}

export interface EfficiencyRow {
  readonly plan: string;
  readonly reason: string;
  readonly trades: number;
  /** Trades with MFE > 0: the ones the mean is over. */
  readonly judged: number;
  /**
   * Σ captured move / Σ MFE over the judged trades: the share of the group's favourable moves it
   * kept (a per-trade mean would be swamped by trades with a tiny MFE); null when none is judged.
   */
  readonly pooledEfficiency: number | null;
  /** Median over judged trades of captured move / MFE; null when none is judged. 1 = exited at the best price. */
  readonly medianEfficiency: number | null;
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per (plan source, exit reason), sorted by plan then reason, and one `all` row per plan when there are several reasons. */
export function exitEfficiency(trades: readonly Trade[]): EfficiencyRow[] {
  const groups = new Map<string, { plan: string; reason: string; trades: number; ratios: number[]; captured: number; favourable: number }>();
  const add = (plan: string, reason: string, trade: Trade): void => {
    const key = `${plan}\u0000${reason}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { plan, reason, trades: 0, ratios: [], captured: 0, favourable: 0 }));
    group.trades += 1;
    if (trade.mfePct > 0) {
      const captured = capturedMove(trade);
      group.ratios.push(captured / trade.mfePct);
      group.captured += captured;
      group.favourable += trade.mfePct;
    }
  };
  for (const trade of trades) {
    add(trade.plan.source, trade.exitReason, trade);
    add(trade.plan.source, "all", trade);
  }
  const rows = [...groups.values()].map((group) => {
    const sorted = [...group.ratios].sort((a, b) => a - b);
    return {
      plan: group.plan, reason: group.reason, trades: group.trades, judged: sorted.length,
      pooledEfficiency: sorted.length === 0 ? null : group.captured / group.favourable,
      medianEfficiency: median(sorted),
    };
  });
  const reasonsPerPlan = new Map<string, number>();
  for (const row of rows) if (row.reason !== "all") reasonsPerPlan.set(row.plan, (reasonsPerPlan.get(row.plan) ?? 0) + 1);
  const order = (row: EfficiencyRow): string => `${row.plan}\u0000${row.reason === "all" ? "\uffff" : row.reason}`;
  return rows
    .filter((row) => row.reason !== "all" || (reasonsPerPlan.get(row.plan) ?? 0) > 1)
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

export interface MonthlyReturn {
  /** UTC year and month (1–12). */
  readonly year: number;
  readonly month: number;
  /** Last equity of the month / last equity before the month (the first row's equity for the first month) − 1. */
  readonly returnPct: number;
}

export function monthlyReturns(equity: Pick<EquityCurve, "length" | "time" | "equity">): MonthlyReturn[] {
  const out: MonthlyReturn[] = [];
  if (equity.length === 0) return out;
  let base = equity.equity[0];
  let current = monthKey(equity.time[0]);
  // The current month's [start, end) in ms: a row inside it needs no date arithmetic.
  let start = monthStartMs(current);
  let end = monthStartMs(current + 1);
  for (let i = 0; i < equity.length; i++) {
    const time = equity.time[i];
    if (time >= start && time < end) continue;
    const key = monthKey(time);
    out.push(monthOf(current, equity.equity[i - 1] / base - 1));
    base = equity.equity[i - 1];
    current = key;
    start = monthStartMs(key);
    end = monthStartMs(key + 1);
  }
  out.push(monthOf(current, equity.equity[equity.length - 1] / base - 1));
  return out;
}

function monthKey(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function monthStartMs(key: number): number {
  return new Date(0).setUTCFullYear(Math.floor(key / 12), key - Math.floor(key / 12) * 12, 1); // not Date.UTC: it reads years 0–99 as 1900–1999
}

function monthOf(key: number, returnPct: number): MonthlyReturn {
  return { year: Math.floor(key / 12), month: (key % 12) + 1, returnPct };
}

/**
 * Buy and hold of the first symbol: initial balance × close / first bar's close, one point per
 * bar, stamped like the equity curve's rows (the bar's open time, valued at its close). No fees,
 * funding or leverage. Null without bars.
 */
export function buyAndHold(bars: readonly BarSeries[], initialBalance: number): { readonly symbol: string; readonly time: Float64Array; readonly value: Float64Array } | null {
  const series = bars[0];
  if (series === undefined || series.length === 0) return null;
  const first = series.close[0];
  const value = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) value[i] = (initialBalance * series.close[i]) / first;
  // The bars' own times (a view, no copy): the curve is only read, to be down-sampled for the chart.
  return { symbol: series.symbol, time: series.time.subarray(0, series.length), value };
}

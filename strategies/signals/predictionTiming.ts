import type { BarSeries, PredictionRows } from "../../engine/index.js";

/**
 * What can be checked of a predictions file's timing (a fixed file cannot be checked for
 * look-ahead by cutting bars: its rows do not change when later bars are removed). Each row
 * is mapped to its bar as the backtest maps it (open ≤ t < open + timeframe, acted on at
 * the close); reported are the rows stamped before the first bar of their symbol (they act
 * on no bar) and how far each mapped row's timestamp lies before the close it acts at.
 */
export interface PredictionTimingReport {
  readonly predictions: number;
  readonly mapped: number;
  /** Rows stamped before their symbol's first bar opened. */
  readonly beforeData: number;
  /** Close of the acting bar − timestamp, ms, over the mapped rows (null without any). */
  readonly leadMs: { readonly min: number; readonly median: number; readonly max: number } | null;
  /** Mapped rows stamped exactly at their bar's open (the earliest moment a bar can be acted on). */
  readonly atOpen: number;
}

export function predictionTiming(rows: PredictionRows, bars: readonly BarSeries[], symbolMap: Readonly<Record<string, string>> = {}): PredictionTimingReport {
  const bySymbol = new Map(bars.map((series) => [series.symbol, series]));
  const leads: number[] = [];
  let beforeData = 0, atOpen = 0;
  for (let r = 0; r < rows.length; r++) {
    const named = rows.symbol[r];
    const series = bySymbol.get(Object.hasOwn(symbolMap, named) ? symbolMap[named] : named);
    if (series === undefined || series.length === 0) continue;
    const t = rows.timeMs[r];
    if (t < series.time[0]) {
      beforeData++;
      continue;
    }
    let low = 0, high = series.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (series.time[mid] <= t) low = mid + 1;
      else high = mid - 1;
    }
    const close = series.time[high] + series.timeframeMs;
    if (t >= close) continue;
    leads.push(close - t);
    if (t === series.time[high]) atOpen++;
  }
  leads.sort((a, b) => a - b);
  return {
    predictions: rows.length, mapped: leads.length, beforeData, atOpen,
    leadMs: leads.length === 0 ? null : { min: leads[0], median: leads[Math.floor(leads.length / 2)], max: leads[leads.length - 1] },
  };
}

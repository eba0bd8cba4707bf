import type { BarSeries, PredictionRows, SignalColumns } from "../../engine/index.js";

export type { PredictionRows };


export interface PredictionMatchStats {
  readonly predictions: number;
  readonly matched: number;
  /** No bar of that symbol with open ≤ t < open + timeframe (outside the data, in a gap, or an unknown symbol). */
  readonly unmatched: number;
  /** Of `unmatched`: rows whose symbol (after `symbolMap`) has no bars at all. */
  readonly unknownSymbolRows: number;
  /** Those symbols as the file names them, sorted. */
  readonly unknownSymbols: readonly string[];
  /** Earlier predictions for the same bar and symbol that a later row (in file order) replaced. */
  readonly superseded: number;
}

/**
 * Maps predictions to bars (SPEC §3): a prediction stamped `t` belongs to the bar with
 * `open ≤ t < open + timeframe` and is acted on at that bar's close. When several rows
 * fall in one bar, the last row of the file wins (the latest model output). `symbolMap`
 * renames the file's symbols to the data's (`signals.symbolMap`); a symbol it does not name
 * is used as written.
 */
export function predictionSignals(
  rows: PredictionRows, bars: readonly BarSeries[], symbolMap: Readonly<Record<string, string>> = {},
): { bySymbol: Map<string, SignalColumns>; stats: PredictionMatchStats } {
  const bySymbol = new Map<string, SignalColumns>();
  const seriesBySymbol = new Map(bars.map((series) => [series.symbol, series]));
  const filled = new Map<string, Uint8Array>();
  for (const series of bars) {
    const n = series.length;
    bySymbol.set(series.symbol, {
      action: new Int8Array(n), confidence: new Float64Array(n).fill(NaN),
      score: new Float64Array(n).fill(NaN), sizeMultiplier: new Float64Array(n).fill(NaN),
    });
    filled.set(series.symbol, new Uint8Array(n));
  }
  let matched = 0, unmatched = 0, superseded = 0, unknownSymbolRows = 0;
  const unknownSymbols = new Set<string>();
  for (let r = 0; r < rows.length; r++) {
    const named = rows.symbol[r];
    const series = seriesBySymbol.get(Object.hasOwn(symbolMap, named) ? symbolMap[named] : named);
    const index = series === undefined ? -1 : barIndexAt(series, rows.timeMs[r]);
    if (series === undefined) {
      unknownSymbolRows++;
      unknownSymbols.add(named);
    }
    if (series === undefined || index < 0) {
      unmatched++;
      continue;
    }
    const columns = bySymbol.get(series.symbol) as { -readonly [K in keyof SignalColumns]: SignalColumns[K] };
    const seen = filled.get(series.symbol) as Uint8Array;
    if (seen[index] === 1) superseded++;
    else matched++;
    seen[index] = 1;
    columns.action[index] = rows.action[r];
    columns.confidence[index] = rows.confidence[r];
    columns.score[index] = rows.score[r];
    columns.sizeMultiplier[index] = rows.sizeMultiplier[r];
  }
  return {
    bySymbol,
    stats: { predictions: rows.length, matched, unmatched, superseded, unknownSymbolRows, unknownSymbols: [...unknownSymbols].sort() },
  };
}

/** Index of the bar with open ≤ t < open + timeframe, or -1. */
function barIndexAt(series: BarSeries, timeMs: number): number {
  let low = 0, high = series.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (series.time[mid] <= timeMs) low = mid + 1;
    else high = mid - 1;
  }
  if (high < 0) return -1;
  return timeMs < series.time[high] + series.timeframeMs ? high : -1;
}

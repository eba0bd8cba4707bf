import { DataError, asSparseSignals, mapEquityColumns, type BarSeries, type EquityCurve, type FundingSeries, type MarketData, type SparseSignals } from "../../engine/index.js";
import { computeStats, type RunStats } from "../../reports/stats.js";
import { buildSparseSignals, type SignalInputs } from "../../strategies/buildRun.js";
import type { RunConfig } from "../../strategies/config.js";
import type { WarnedSignalSet } from "../../strategies/warnings/signalWarnings.js";
import { executeRun, loadSignalInputs, type CompletedRun } from "../backtest.js";

/**
 * One part of a walk-forward window (the in-sample search's cells, the out-of-sample run):
 * the bars opening in [warmFromMs, toMs), of which those before fromMs are warm-up. The signal
 * source runs over the whole view — its indicators see the warm-up history, and nothing at or
 * after toMs exists for it — but a signal is acted on only at a bar opening at or after
 * fromMs, so the part's first possible entry fills at the open of its second bar. The equity
 * curve and the statistics start at the first bar opening at or after fromMs (the warm-up rows
 * are flat at the initial balance: nothing can be open there). Positions still open after the
 * part's last bar close at its last close (the engine's END close), so every part ends flat.
 */
export interface Segment {
  /** −Infinity: every bar before fromMs is warm-up. */
  readonly warmFromMs: number;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface SegmentView {
  readonly data: MarketData;
  /** Per symbol, the index (in the view) of the first bar a signal may act at. */
  readonly firstDecision: ReadonlyMap<string, number>;
}

/** First index whose value is ≥ t (values ascending). */
function lowerBound(values: Float64Array, length: number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sliceBars(series: BarSeries, from: number, to: number): BarSeries {
  const cut = (column: Float64Array): Float64Array => column.subarray(from, to);
  return {
    symbol: series.symbol, timeframeMs: series.timeframeMs, length: to - from,
    time: cut(series.time), open: cut(series.open), high: cut(series.high), low: cut(series.low), close: cut(series.close), volume: cut(series.volume),
  };
}

function sliceFunding(series: FundingSeries, fromMs: number, toMs: number): FundingSeries {
  const from = lowerBound(series.time, series.length, fromMs);
  const to = lowerBound(series.time, series.length, toMs);
  return { symbol: series.symbol, length: to - from, time: series.time.subarray(from, to), rate: series.rate.subarray(from, to) };
}

/** Views (no copies) of the data inside a segment; a symbol without a bar in [fromMs, toMs) is left out. */
export function segmentView(data: MarketData, segment: Segment, label: string): SegmentView {
  const bars: BarSeries[] = [];
  const firstDecision = new Map<string, number>();
  for (const series of data.bars) {
    const warm = lowerBound(series.time, series.length, segment.warmFromMs);
    const first = lowerBound(series.time, series.length, segment.fromMs);
    const end = lowerBound(series.time, series.length, segment.toMs);
    if (end <= first) continue;
    bars.push(sliceBars(series, warm, end));
    firstDecision.set(series.symbol, first - warm);
  }
  if (bars.length === 0) throw new DataError(`${label} has no bars`, null, "check the data's gaps, or choose other --train/--test lengths");
  const funding = new Map<string, FundingSeries>([...data.funding].map(([symbol, series]) => [symbol, sliceFunding(series, segment.warmFromMs, segment.toMs)]));
  const detail = data.detail === undefined ? undefined : new Map([...data.detail].map(([symbol, series]) => {
    const from = lowerBound(series.time, series.length, segment.warmFromMs);
    return [symbol, sliceBars(series, from, lowerBound(series.time, series.length, segment.toMs))];
  }));
  return { data: { bars, funding, ...(detail === undefined ? {} : { detail }), fingerprint: data.fingerprint }, firstDecision };
}

/** The signal source's inputs and signals over a view (a strategy module runs over the view only). */
export async function segmentSignals(config: RunConfig, view: SegmentView): Promise<{ inputs: SignalInputs; signals: WarnedSignalSet }> {
  const inputs = await loadSignalInputs(config, view.data);
  return { inputs, signals: buildSparseSignals(config, view.data, inputs) };
}

/** The signals at or after each symbol's first decision bar; none at all when `trade` is false. */
export function decisionSignals(signals: WarnedSignalSet, firstDecision: ReadonlyMap<string, number>, trade: boolean): WarnedSignalSet {
  const bySymbol = new Map<string, SparseSignals>();
  for (const [symbol, columns] of signals.bySymbol) {
    const sparse = asSparseSignals(columns);
    const first = firstDecision.get(symbol);
    if (first === undefined) continue;
    let k = 0;
    while (k < sparse.length && sparse.index[k] < first) k++;
    if (!trade) k = sparse.length;
    bySymbol.set(symbol, {
      sparse: true, length: sparse.length - k, index: sparse.index.subarray(k, sparse.length), action: sparse.action.subarray(k, sparse.length),
      confidence: sparse.confidence.subarray(k, sparse.length), score: sparse.score.subarray(k, sparse.length), sizeMultiplier: sparse.sizeMultiplier.subarray(k, sparse.length),
    });
  }
  return { ...signals, bySymbol };
}

export interface SegmentRun {
  readonly run: CompletedRun;
  /** The equity rows from the segment's start (warm-up rows left out). */
  readonly equity: EquityCurve;
  /** The statistics over that curve and the segment's trades. */
  readonly stats: RunStats;
}

/** Replays a config over a view with the signals a segment acts on; statistics from the segment's start. */
export function runSegment(config: RunConfig, view: SegmentView, inputs: SignalInputs, signals: WarnedSignalSet, segment: Segment, trade = true): SegmentRun {
  const precomputed = decisionSignals(signals, view.firstDecision, trade);
  const run = executeRun({ config, data: view.data, inputs: { ...inputs, precomputed } }, config);
  const { result } = run;
  const equity = equityFrom(result.equity, segment.fromMs);
  const stats = computeStats({
    ...(result.ledgers === undefined ? { trades: result.trades, fills: result.fills } : { ledgers: result.ledgers }),
    equity, timeframeMs: result.timeframeMs, initialBalance: config.initialBalance, account: result.account, counters: result.counters,
  });
  return { run, equity, stats };
}

/** The rows of a curve at or after `fromMs` (views, no copies). */
export function equityFrom(curve: EquityCurve, fromMs: number): EquityCurve {
  const first = lowerBound(curve.time, curve.length, fromMs);
  return mapEquityColumns(curve, curve.length - first, (column) => column.subarray(first, curve.length));
}

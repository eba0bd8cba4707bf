/**
 * The "Price and trades" data of report.html: per symbol the candles (aggregated to a bar
 * budget for long runs), and per trade its drill-down — the bars it was held in full
 * detail (a margin either side), its fills, and the exit levels it had over time from the
 * engine's level trace (engine/levelTrace.ts). Pure. The candles' prices are the bars' own
 * doubles, exact, as base64 of their little-endian float64 bytes (`ohlc`): V8's base64 is
 * native and costs nothing next to formatting ~300,000 numbers as JSON (the peer workload's
 * drill-downs), and the text is ~10 % shorter than 10 significant digits. The fills' and
 * levels' prices stay JSON numbers, rounded to 10 significant digits to keep the file small.
 *
 * Down-sampling rule: a symbol with more than `CANDLE_BUDGET` bars is drawn from candles of
 * k = ceil(bars / CANDLE_BUDGET) consecutive bars (first open, highest high, lowest low,
 * last close, open time of the first). A trade's drill-down shows its bars from
 * `TRADE_MARGIN_BARS` before the entry to as many after the exit: when the symbol's
 * candles are full detail it points into them (no copy); otherwise it carries its own
 * candles, unaggregated up to a per-trade budget of
 * clamp(⌊DRILL_BAR_BUDGET / trades⌋, TRADE_MIN_BUDGET, TRADE_BAR_BUDGET) bars, a longer window
 * aggregated by the same rule — so the page stays within a fixed size whatever the run's length.
 */
import type { TradeLevels } from "../../engine/index.js";
import type { BarSeries, Fill, Trade } from "../../engine/types.js";
import { roundSignificant } from "./format.js";

export const CANDLE_BUDGET = 5000;
export const TRADE_BAR_BUDGET = 600;
export const TRADE_MARGIN_BARS = 5;
export const DRILL_BAR_BUDGET = 60_000;
export const TRADE_MIN_BUDGET = 20;

/**
 * Candles: their open times — `start` + i × `step` when evenly spaced (then `time` is left out
 * to keep the file small), else `time` — and their prices in `ohlc`: the n opens, then the n
 * highs, the n lows and the n closes, 4n float64 values, little-endian, base64 (the page's
 * script decodes them, reports/html/priceScript.ts; `decodeOhlc` here).
 */
export interface Candles {
  readonly start: number;
  readonly step: number;
  readonly time?: number[];
  readonly ohlc: string;
  /** Bars per candle (1 = full detail). */
  readonly barsPerCandle: number;
}

export interface SymbolPrice {
  readonly symbol: string;
  readonly timeframeMs: number;
  readonly bars: number;
  readonly candles: Candles;
}

export interface FillMark {
  readonly time: number;
  readonly reason: string;
  readonly price: number;
  readonly quantity: number;
  readonly pathDependent: boolean;
  readonly gap: boolean;
  readonly barsHeld: number;
}

export interface TradeDrill {
  readonly id: number;
  readonly symbol: string;
  readonly side: 1 | -1;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly exitReason: string;
  readonly maePct: number;
  readonly mfePct: number;
  readonly barsHeld: number;
  readonly pathDependent: boolean;
  /** Its own candles, or [from, to) into its symbol's candles when those are full detail. */
  readonly candles: Candles | { readonly from: number; readonly to: number };
  readonly fills: readonly FillMark[];
  /** Null when the run recorded no level trace (a library caller's result without one). */
  readonly levels: TradeLevels | null;
}

const round = (value: number): number => (Number.isFinite(value) ? roundSignificant(value, 10) : value);

/** Bars [from, to) of a series as candles of at most `budget`, aggregating k bars per candle when needed. */
export function aggregateCandles(series: BarSeries, from: number, to: number, budget: number): Candles {
  const count = Math.max(0, to - from);
  const k = Math.max(1, Math.ceil(count / budget));
  const candles = count === 0 ? 0 : Math.ceil(count / k);
  const times = series.time;
  const step = candles > 1 ? times[from + k] - times[from] : 0;
  const even = evenlySpaced(times, from, k, candles, step);
  const values = scratchValues(4 * candles);
  fillCandles(series, from, to, k, candles, values);
  const ohlc = base64Of(values, 4 * candles);
  const start = candles > 0 ? times[from] : 0;
  // Keys in this order (the JSON's bytes): start, step, time (only when uneven), ohlc, barsPerCandle.
  if (even) return { start, step, ohlc, barsPerCandle: k };
  return { start, step, time: candleTimes(times, from, k, candles), ohlc, barsPerCandle: k };
}

/** One scratch array for the candles' values, grown as needed (a symbol's 5,000 candles are the most: 160 KB). */
let scratch = new Float64Array(4 * TRADE_BAR_BUDGET);

function scratchValues(length: number): Float64Array {
  if (scratch.length < length) scratch = new Float64Array(length);
  return scratch;
}

/** True where a Float64Array's bytes are little-endian already (every platform Node runs on today). */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The first `length` values as base64 of their little-endian float64 bytes. */
function base64Of(values: Float64Array, length: number): string {
  const bytes = Buffer.from(values.buffer, values.byteOffset, length * Float64Array.BYTES_PER_ELEMENT);
  return LITTLE_ENDIAN ? bytes.toString("base64") : Buffer.from(bytes).swap64().toString("base64");
}

/** The candles' prices as arrays: what the page's script decodes `ohlc` to. */
export function decodeOhlc(candles: Candles): { open: number[]; high: number[]; low: number[]; close: number[] } {
  const bytes = Buffer.from(candles.ohlc, "base64");
  const n = bytes.length / (4 * Float64Array.BYTES_PER_ELEMENT);
  const column = (j: number): number[] => Array.from({ length: n }, (_, i) => bytes.readDoubleLE((j * n + i) * Float64Array.BYTES_PER_ELEMENT));
  return { open: column(0), high: column(1), low: column(2), close: column(3) };
}

/*
 * The loops live in functions of their own that end with them. The first call (a symbol's
 * 200,000 bars) runs them long enough to be optimised mid-loop; V8 keeps that loop code and
 * enters it on later calls, and code after the loop it had never seen run made it bail out on
 * every one of them (~800 times over the drill-downs of 3,900 trades).
 */

/** True when candles 2, 3, … start `step` after the one before (the first gap is `step` by definition). */
function evenlySpaced(times: Float64Array, from: number, k: number, candles: number, step: number): boolean {
  for (let c = 2, start = from + 2 * k; c < candles; c++, start += k) if (times[start] - times[start - k] !== step) return false;
  return true;
}

/** Candles of k bars from `from` into `values` (opens, highs, lows, closes): first open, highest high, lowest low, last close. */
function fillCandles(series: BarSeries, from: number, to: number, k: number, candles: number, values: Float64Array): void {
  const { open: opens, high: highs, low: lows, close: closes } = series;
  for (let c = 0, start = from; c < candles; c++, start += k) {
    const end = Math.min(to, start + k);
    let highest = -Infinity;
    let lowest = Infinity;
    for (let i = start; i < end; i++) {
      if (highs[i] > highest) highest = highs[i];
      if (lows[i] < lowest) lowest = lows[i];
    }
    values[c] = opens[start];
    values[candles + c] = highest;
    values[2 * candles + c] = lowest;
    values[3 * candles + c] = closes[end - 1];
  }
}

/** The open times of uneven candles. */
function candleTimes(times: Float64Array, from: number, k: number, candles: number): number[] {
  const time: number[] = [];
  for (let c = 0; c < candles; c++) time.push(times[from + c * k]);
  return time;
}

/** Index of the first bar with open time ≥ `timeMs` (binary search). */
export function barIndexAt(series: BarSeries, timeMs: number): number {
  let low = 0;
  let high = series.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (series.time[mid] < timeMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function symbolPrices(bars: readonly BarSeries[]): SymbolPrice[] {
  return bars.map((series) => ({
    symbol: series.symbol, timeframeMs: series.timeframeMs, bars: series.length,
    candles: aggregateCandles(series, 0, series.length, CANDLE_BUDGET),
  }));
}

function fillMarkOf(fill: Fill): FillMark {
  return {
    time: fill.timeMs, reason: fill.reason, price: round(fill.price), quantity: round(fill.quantity),
    pathDependent: fill.pathDependent, gap: fill.gap, barsHeld: fill.barsHeld,
  };
}

function roundedLevels(levels: TradeLevels): TradeLevels {
  const price = levels.price.map((value) => (Number.isFinite(value) ? round(value) : null as unknown as number));
  const otherPath = levels.otherPath?.map((bar) => ({
    ...bar, price: bar.price.map(round), quantity: bar.quantity.map(round), pnl: round(bar.pnl), takenPnl: round(bar.takenPnl), openAfter: round(bar.openAfter),
  }));
  return otherPath === undefined ? { ...levels, price } : { ...levels, price, otherPath };
}

export function tradeDrills(
  trades: readonly Trade[], fills: readonly Fill[], bars: readonly BarSeries[], levels: ReadonlyMap<number, TradeLevels> | null,
): TradeDrill[] {
  return trades.map(tradeDrillMaker(trades, fills, bars, levels));
}

/**
 * The drill-down of one trade of `trades` at a time (what `tradeDrills` maps over them), so a
 * writer can turn each into text and drop it before the next: a long run's drill-downs are
 * never all in memory at once.
 */
export function tradeDrillMaker(
  trades: readonly Trade[], fills: readonly Fill[], bars: readonly BarSeries[], levels: ReadonlyMap<number, TradeLevels> | null,
): (trade: Trade) => TradeDrill {
  const bySymbol = new Map(bars.map((series) => [series.symbol, series]));
  const budget = Math.max(TRADE_MIN_BUDGET, Math.min(TRADE_BAR_BUDGET, Math.floor(DRILL_BAR_BUDGET / Math.max(1, trades.length))));
  const fillsByTrade = new Map<number, Fill[]>();
  for (const fill of fills) {
    const list = fillsByTrade.get(fill.tradeId);
    if (list === undefined) fillsByTrade.set(fill.tradeId, [fill]);
    else list.push(fill);
  }
  return (trade) => {
    const series = bySymbol.get(trade.symbol);
    const from = series === undefined ? 0 : Math.max(0, barIndexAt(series, trade.entryTimeMs) - TRADE_MARGIN_BARS);
    const to = series === undefined ? 0 : Math.min(series.length, barIndexAt(series, trade.exitTimeMs) + 1 + TRADE_MARGIN_BARS);
    const candles = series === undefined || series.length <= CANDLE_BUDGET ? { from, to } : aggregateCandles(series, from, to, budget);
    const traced = levels?.get(trade.id);
    return {
      id: trade.id, symbol: trade.symbol, side: trade.side, entryTime: trade.entryTimeMs, exitTime: trade.exitTimeMs,
      entryPrice: round(trade.entryPrice), exitPrice: round(trade.exitPrice), exitReason: trade.exitReason,
      maePct: round(trade.maePct), mfePct: round(trade.mfePct), barsHeld: trade.barsHeld, pathDependent: trade.pathDependent,
      candles, fills: (fillsByTrade.get(trade.id) ?? []).map(fillMarkOf),
      levels: levels === null ? null : roundedLevels(traced ?? { time: [], kind: [], stage: [], price: [] }),
    };
  };
}

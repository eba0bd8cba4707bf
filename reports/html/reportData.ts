/**
 * The data block of the HTML report: what its script draws (down-sampled curves, exit
 * reasons) and the trade list it sorts, as plain JSON-ready values. Pure; numbers are
 * rounded to significant digits only to keep the file small — the CSV files hold them exact.
 */
import type { EquityCurve, Trade } from "../../engine/types.js";
import { confidenceTier } from "../confidenceTier.js";
import type { ExitStatsRow } from "../exitStats.js";
import { downsampleMinMax, type SampledSeries } from "./downsample.js";
import { roundSignificant } from "./format.js";
import type { RunReportInput } from "./reportInput.js";
import { buyAndHold } from "./exitAnalytics.js";
import { symbolPrices, tradeDrillMaker, type SymbolPrice, type TradeDrill } from "./priceData.js";

/** Columns kept per curve: about one per horizontal unit of the 960-wide charts. */
export const CHART_BUCKETS = 960;

/** How the script formats and sorts a column; `pct` is a fraction shown as a percentage. */
export type TradeColumnType = "int" | "num" | "price" | "usd" | "pct" | "ratio" | "time" | "text";

export interface TradeColumn {
  readonly key: string;
  readonly label: string;
  readonly type: TradeColumnType;
}

export interface ChartSeries {
  readonly name: string;
  readonly equity: SampledSeries;
  readonly drawdown: SampledSeries;
}

export interface ExitReasonBar {
  readonly reason: string;
  readonly fills: number;
  readonly trades: number;
  readonly shareOfTrades: number;
  readonly shareOfQuantity: number;
}

export interface ReportData {
  readonly runKind: string;
  /** The main run first, then each comparison. */
  readonly series: readonly ChartSeries[];
  readonly exitReasons: readonly ExitReasonBar[];
  readonly tradeColumns: readonly TradeColumn[];
  /** One array per trade, values in `tradeColumns` order; null where a value is missing. */
  readonly tradeRows: readonly (readonly (number | string | null)[])[];
  /** Buy and hold of the first symbol (exitAnalytics.ts), drawn on the equity chart; absent without `input.price`. */
  readonly benchmark?: { readonly name: string; readonly equity: SampledSeries };
  /** Candles per symbol and each trade's drill-down; absent without `input.price`. */
  readonly price?: { readonly symbols: readonly SymbolPrice[]; readonly trades: readonly TradeDrill[] };
}

const TRADE_COLUMNS: readonly (TradeColumn & { readonly value: (trade: Trade) => number | string | null })[] = [
  { key: "id", label: "#", type: "int", value: (t) => t.id },
  { key: "symbol", label: "Symbol", type: "text", value: (t) => t.symbol },
  { key: "side", label: "Side", type: "text", value: (t) => (t.side === 1 ? "long" : "short") },
  { key: "entryTime", label: "Entry (UTC)", type: "time", value: (t) => t.entryTimeMs },
  { key: "exitTime", label: "Exit (UTC)", type: "time", value: (t) => t.exitTimeMs },
  { key: "entryPrice", label: "Entry price", type: "price", value: (t) => t.entryPrice },
  { key: "exitPrice", label: "Exit price", type: "price", value: (t) => t.exitPrice },
  { key: "quantity", label: "Quantity", type: "num", value: (t) => t.quantity },
  { key: "leverage", label: "Lev.", type: "num", value: (t) => t.leverage },
  { key: "confidence", label: "Conf.", type: "ratio", value: (t) => t.confidence },
  { key: "tier", label: "Tier", type: "text", value: (t) => confidenceTier(t.confidence) ?? "NONE" },
  { key: "netPnl", label: "Net PnL", type: "usd", value: (t) => t.netPnlUsd },
  { key: "returnOnMargin", label: "Return on margin", type: "pct", value: (t) => t.returnOnMargin },
  { key: "r", label: "R", type: "ratio", value: (t) => t.rMultiple },
  { key: "mae", label: "MAE", type: "pct", value: (t) => t.maePct },
  { key: "mfe", label: "MFE", type: "pct", value: (t) => t.mfePct },
  { key: "bars", label: "Bars", type: "int", value: (t) => t.barsHeld },
  { key: "exitReason", label: "Exit", type: "text", value: (t) => t.exitReason },
];

function sampleCurve(name: string, equity: EquityCurve): ChartSeries {
  const sampledEquity = downsampleMinMax(equity.time, equity.equity, CHART_BUCKETS);
  const sampledDrawdown = downsampleMinMax(equity.time, equity.drawdown, CHART_BUCKETS);
  return {
    name,
    equity: { time: sampledEquity.time, value: sampledEquity.value.map((v) => roundSignificant(v, 10)) },
    drawdown: { time: sampledDrawdown.time, value: sampledDrawdown.value.map((v) => roundSignificant(v, 6)) },
  };
}

function exitReasonBarsOf(rows: readonly ExitStatsRow[]): ExitReasonBar[] {
  return rows
    .filter((row) => row.group === "all")
    .map((row) => ({
      reason: row.reason,
      fills: row.fills,
      trades: row.trades,
      shareOfTrades: roundSignificant(row.shareOfTrades, 8),
      shareOfQuantity: roundSignificant(row.shareOfQuantity, 8),
    }));
}

function tradeCellOf(value: number | string | null): number | string | null {
  if (typeof value !== "number") return value;
  return Number.isFinite(value) ? roundSignificant(value, 10) : null;
}

/** One trade's row of the trade list: its values in `tradeColumns` order. */
export function tradeRowOf(trade: Trade): (number | string | null)[] {
  return TRADE_COLUMNS.map((column) => tradeCellOf(column.value(trade)));
}

function benchmarkOf(input: RunReportInput): { benchmark?: ReportData["benchmark"] } {
  const hold = input.price === undefined ? null : buyAndHold(input.price.bars, input.summary.account.initialBalance);
  if (hold === null) return {};
  const sampled = downsampleMinMax(hold.time, hold.value, CHART_BUCKETS);
  return { benchmark: { name: `buy & hold ${hold.symbol}`, equity: { time: sampled.time, value: sampled.value.map((v) => roundSignificant(v, 7)) } } };
}

/** The data block in parts: its first four fields, the benchmark and the symbols' candles, and how to make each trade's drill-down. */
export interface ReportDataParts {
  readonly head: Pick<ReportData, "runKind" | "series" | "exitReasons" | "tradeColumns">;
  readonly benchmark: ReportData["benchmark"];
  readonly price?: { readonly symbols: readonly SymbolPrice[]; readonly drill: (trade: Trade) => TradeDrill };
}

/** `buildReportData` but for the two long lists (the trade rows and the drill-downs), which stay to be made one trade at a time. */
export function reportDataParts(input: RunReportInput): ReportDataParts {
  const head = {
    runKind: input.runKind,
    series: [
      sampleCurve(input.runName ?? "run", input.equity),
      ...(input.comparisons ?? []).map((run) => sampleCurve(run.name, run.equity)),
    ],
    exitReasons: exitReasonBarsOf(input.exitStats),
    tradeColumns: TRADE_COLUMNS.map(({ key, label, type }) => ({ key, label, type })),
  };
  const { benchmark } = benchmarkOf(input);
  if (input.price === undefined) return { head, benchmark };
  const { bars, fills, levels } = input.price;
  return { head, benchmark, price: { symbols: symbolPrices(bars), drill: tradeDrillMaker(input.trades, fills, bars, levels?.byTrade() ?? null) } };
}

export function buildReportData(input: RunReportInput): ReportData {
  return assembleReportData(input, reportDataParts(input));
}

/** The whole data block from its parts. */
export function assembleReportData(input: RunReportInput, { head, benchmark, price }: ReportDataParts): ReportData {
  // Keys in this order (the JSON's bytes; dataBlock.ts writes the same order).
  return {
    ...head,
    tradeRows: input.trades.map(tradeRowOf),
    ...(benchmark === undefined ? {} : { benchmark }),
    ...(price === undefined ? {} : { price: { symbols: price.symbols, trades: input.trades.map(price.drill) } }),
  };
}

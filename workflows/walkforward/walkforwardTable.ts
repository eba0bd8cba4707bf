import { formatIsoTime } from "../../reports/isoTime.js";
import type { RunStats } from "../../reports/stats.js";
import { stableStringify } from "../../reports/summary.js";
import type { SweepOverfitting } from "../sweep/overfitting.js";
import type { SweepSpec } from "../sweep/sweepFile.js";
import type { WalkWindow } from "./windows.js";

/**
 * walkforward.csv and walkforward.json (README "Walk-forward"): one row per window — its
 * bounds, the chosen cell, its in-sample and out-of-sample figures and the in-sample search's
 * overfitting statistics — and the walk-forward efficiency. Numbers at full precision.
 */

/** The figures of one side of a window. */
export interface SideFigures {
  readonly totalReturnPct: number | null;
  readonly annualizedReturnPct: number | null;
  readonly sharpeRatio: number | null;
  readonly maxDrawdownPct: number | null;
  readonly tradeCount: number | null;
  readonly longTradeCount: number | null;
  readonly shortTradeCount: number | null;
  /** The ranking metric (also one of the above, or another summary field). */
  readonly metric: number | null;
}

export interface WindowRow {
  readonly window: WalkWindow;
  /** The in-sample rank-1 cell; null when no cell was ranked (the window then stays out of the market). */
  readonly chosen: { readonly cellId: string; readonly values: Readonly<Record<string, unknown>> } | null;
  readonly inSample: SideFigures | null;
  readonly inSampleCells: { readonly run: number; readonly ranked: number; readonly failed: number; readonly skipped: number };
  readonly overfitting: SweepOverfitting;
  readonly outOfSample: SideFigures & {
    readonly initialEquity: number;
    readonly finalEquity: number;
    /** Trades of this window closed at its last close because they were still open (reason END). */
    readonly closedAtWindowEnd: number;
  };
  /** OOS annualised return / IS annualised return of the chosen cell; null when the IS one is ≤ 0 or undefined. */
  readonly efficiency: number | null;
  readonly note: string | null;
}

export interface WalkforwardEfficiency {
  /** Annualised return of the stitched out-of-sample curve. */
  readonly outOfSampleAnnualizedReturnPct: number | null;
  /** Mean over windows with a chosen cell of its in-sample annualised return. */
  readonly meanInSampleAnnualizedReturnPct: number | null;
  /** The first over the second; null (with `note`) when the mean is ≤ 0 or either is undefined. */
  readonly walkForwardEfficiency: number | null;
  readonly note: string | null;
}

export function sideFigures(metrics: Readonly<Record<string, number | null>> | RunStats, metric: string): SideFigures {
  const get = (name: string): number | null => {
    const value = (metrics as Record<string, unknown>)[name];
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  };
  return {
    totalReturnPct: get("totalReturnPct"), annualizedReturnPct: get("annualizedReturnPct"), sharpeRatio: get("sharpeRatio"), maxDrawdownPct: get("maxDrawdownPct"),
    tradeCount: get("tradeCount"), longTradeCount: get("longTradeCount"), shortTradeCount: get("shortTradeCount"), metric: get(metric),
  };
}

/** OOS over IS annualised return, defined only for a positive IS return. */
export function efficiencyOf(outOfSample: number | null, inSample: number | null): number | null {
  return outOfSample === null || inSample === null || !(inSample > 0) ? null : outOfSample / inSample;
}

export function walkforwardEfficiencyOf(rows: readonly WindowRow[], stitchedAnnualized: number | null): WalkforwardEfficiency {
  const returns = rows.map((row) => row.inSample?.annualizedReturnPct ?? null).filter((value): value is number => value !== null);
  const mean = returns.length === 0 ? null : returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const wfe = efficiencyOf(stitchedAnnualized, mean);
  const note = wfe !== null ? null : mean === null ? "no window has a chosen cell with an in-sample annualised return"
    : stitchedAnnualized === null ? "the stitched curve has no annualised return" : "the mean in-sample annualised return is not positive";
  return { outOfSampleAnnualizedReturnPct: stitchedAnnualized, meanInSampleAnnualizedReturnPct: mean, walkForwardEfficiency: wfe, note };
}

const SIDE_FIELDS = ["metric", "totalReturnPct", "annualizedReturnPct", "sharpeRatio", "maxDrawdownPct", "tradeCount", "longTradeCount", "shortTradeCount"] as const;

export function formatWalkforwardCsv(rows: readonly WindowRow[], spec: SweepSpec): string {
  const paths = spec.space.map(([path]) => path);
  // The ranking metric gets its own column unless it is one of the fixed ones.
  const isFields = SIDE_FIELDS.filter((field) => field !== "metric" || !(SIDE_FIELDS as readonly string[]).includes(spec.metric));
  const header = [
    "window", "trainFrom", "trainTo", "testFrom", "testTo", "cellId", ...paths,
    ...isFields.map((field) => `is.${field === "metric" ? spec.metric : field}`), "is.cellsRun", "is.cellsRanked", "is.pbo", "is.deflatedSharpe",
    "oos.initialEquity", "oos.finalEquity", ...SIDE_FIELDS.filter((field) => field !== "metric").map((field) => `oos.${field}`), "oos.closedAtWindowEnd",
    "efficiency", "note",
  ];
  const lines = rows.map((row) => [
    String(row.window.index), formatIsoTime(row.window.trainFromMs), formatIsoTime(row.window.trainToMs), formatIsoTime(row.window.testFromMs), formatIsoTime(row.window.testToMs),
    row.chosen?.cellId ?? "", ...paths.map((path) => (row.chosen === null ? "" : valueText(row.chosen.values[path]))),
    ...isFields.map((field) => numberText(row.inSample?.[field] ?? null)), String(row.inSampleCells.run), String(row.inSampleCells.ranked),
    numberText(row.overfitting.pbo), numberText(row.overfitting.deflatedSharpe?.probability ?? null),
    numberText(row.outOfSample.initialEquity), numberText(row.outOfSample.finalEquity),
    ...SIDE_FIELDS.filter((field) => field !== "metric").map((field) => numberText(row.outOfSample[field])), String(row.outOfSample.closedAtWindowEnd),
    numberText(row.efficiency), row.note ?? "",
  ].map(csvField).join(","));
  return [header.map(csvField).join(","), ...lines].join("\n") + "\n";
}

export interface WalkforwardDocument {
  readonly settings: Readonly<Record<string, unknown>>;
  readonly rows: readonly WindowRow[];
  readonly efficiency: WalkforwardEfficiency;
  readonly stitched: { readonly initialBalance: number; readonly finalEquity: number; readonly stats: RunStats };
}

export function formatWalkforwardJson(document: WalkforwardDocument): string {
  const pbos = document.rows.map((row) => row.overfitting.pbo).filter((value): value is number => value !== null);
  return stableStringify({
    format: "exitlab/walkforward/v1",
    settings: document.settings,
    windows: document.rows.map((row) => ({
      ...row,
      window: {
        index: row.window.index, trainFrom: formatIsoTime(row.window.trainFromMs), trainTo: formatIsoTime(row.window.trainToMs),
        testFrom: formatIsoTime(row.window.testFromMs), testTo: formatIsoTime(row.window.testToMs),
      },
    })),
    efficiency: document.efficiency,
    overfitting: { windowsWithPbo: pbos.length, meanPbo: pbos.length === 0 ? null : pbos.reduce((sum, value) => sum + value, 0) / pbos.length },
    outOfSample: {
      initialBalance: document.stitched.initialBalance, finalEquity: document.stitched.finalEquity,
      totalReturnPct: document.stitched.stats.totalReturnPct, annualizedReturnPct: document.stitched.stats.annualizedReturnPct,
      sharpeRatio: document.stitched.stats.sharpeRatio, maxDrawdownPct: document.stitched.stats.maxDrawdownPct, tradeCount: document.stitched.stats.tradeCount,
    },
  });
}

function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? "null";
}

function numberText(value: number | null): string {
  return value === null ? "" : String(value);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

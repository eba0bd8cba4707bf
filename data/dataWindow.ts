/**
 * The part of the loaded data a run uses (`data.from`, `data.to`, `data.timeframe`):
 * main bars resampled to a coarser timeframe, their source bars kept as intrabar detail,
 * and everything cut to a time range. Rules (README: assumptions):
 *
 * - `from` is inclusive and `to` exclusive, by bar open time: a bar opening at t is kept when
 *   from ≤ t < to. A date without a time is 00:00 UTC of that day.
 * - Resampling happens before the cut, on the whole series (resampleBars.ts: UTC-aligned
 *   buckets, incomplete first/last bucket dropped); detail bars are cut to the same range.
 * - The source bars become the detail of their symbol unless detail bars were given for it.
 */

import type { BarSeries } from "../engine/types.js";
import { DataError } from "../engine/errors.js";
import { resampleBars, sliceBarsByTime } from "./resampleBars.js";
import { formatDurationMs, formatTimeMs } from "./timeParsing.js";

/** Timeframes a run can resample to, as Binance names its kline intervals. */
export const TIMEFRAME_MS: Readonly<Record<string, number>> = Object.freeze({
  "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000,
  "1h": 3_600_000, "2h": 7_200_000, "4h": 14_400_000, "6h": 21_600_000, "8h": 28_800_000, "12h": 43_200_000, "1d": 86_400_000,
});

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of `YYYY-MM-DD` (00:00 UTC) or an ISO-8601 time with a zone; NaN otherwise. */
export function parseWindowInstant(text: string): number {
  if (DATE_ONLY.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text) ? ms : NaN;
  }
  return DATE_TIME.test(text) ? Date.parse(text) : NaN;
}

export interface DataWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** Resample main bars to this length; null keeps the loaded one. */
  readonly timeframeMs: number | null;
}

/** The window of a config's data section, or null when it sets none of from, to, timeframe. */
export function dataWindowOf(data: { readonly from?: string; readonly to?: string; readonly timeframe?: string }): DataWindow | null {
  if (data.from === undefined && data.to === undefined && data.timeframe === undefined) return null;
  return {
    fromMs: data.from === undefined ? -Infinity : parseWindowInstant(data.from),
    toMs: data.to === undefined ? Infinity : parseWindowInstant(data.to),
    timeframeMs: data.timeframe === undefined ? null : TIMEFRAME_MS[data.timeframe],
  };
}

export interface WindowedBars {
  readonly bars: BarSeries[];
  readonly detail: Map<string, BarSeries>;
  /** What the window left out that the user may not expect (see DataWarning). */
  readonly warnings: DataWarning[];
}

/** The shape of a run warning (strategies/warnings/runWarning.ts): data/ does not import strategies/. */
export interface DataWarning {
  readonly code: string;
  readonly count: number;
  readonly message: string;
}

/** Applies a window to loaded main bars and detail bars (by symbol); errors name the config key. */
export function applyDataWindow(
  bars: readonly BarSeries[], detail: ReadonlyMap<string, BarSeries>, window: DataWindow,
): WindowedBars {
  const outBars: BarSeries[] = [];
  const outDetail = new Map(detail);
  const droppedEdges: string[] = [];
  for (const series of bars) {
    let main = series;
    if (window.timeframeMs !== null && window.timeframeMs !== series.timeframeMs) {
      assertResamplable(series, window.timeframeMs);
      const resampled = resampleBars(series, window.timeframeMs);
      main = resampled.series;
      if (resampled.droppedEdgeBuckets > 0) droppedEdges.push(`${series.symbol} ${resampled.droppedEdgeBuckets}`);
      if (!outDetail.has(series.symbol)) outDetail.set(series.symbol, series);
    }
    main = sliceBarsByTime(main, window.fromMs, window.toMs);
    if (main.length < 2) {
      throw new DataError(
        `${series.symbol} has ${main.length} bar${main.length === 1 ? "" : "s"} in ${describeRange(window)}`,
        Number.isFinite(window.fromMs) ? "data.from (--from)" : "data.to (--to)",
        `its bars run from ${formatTimeMs(series.time[0])} to ${formatTimeMs(series.time[series.length - 1])}`,
      );
    }
    outBars.push(main);
  }
  const emptied: string[] = [];
  for (const [symbol, series] of outDetail) {
    const cut = sliceBarsByTime(series, window.fromMs, window.toMs);
    if (cut.length > 0) outDetail.set(symbol, cut);
    else {
      outDetail.delete(symbol);
      emptied.push(symbol);
    }
  }
  const warnings: DataWarning[] = [];
  if (droppedEdges.length > 0) {
    warnings.push({
      code: "resample-partial-edge", count: droppedEdges.length,
      message: `resampling to ${formatDurationMs(window.timeframeMs ?? 0)} left out an incomplete first or last bar (${droppedEdges.join(", ")}): the files start or end inside a ${formatDurationMs(window.timeframeMs ?? 0)} bar`,
    });
  }
  if (emptied.length > 0) {
    warnings.push({
      code: "detail-outside-range", count: emptied.length,
      message: `detail bars of ${emptied.join(", ")} lie outside ${describeRange(window)}: those symbols use the assumed intrabar path`,
    });
  }
  return { bars: outBars, detail: outDetail, warnings };
}

/** Resampling only merges whole bars: the target must be a multiple of the loaded timeframe. */
export function assertResamplable(series: BarSeries, timeframeMs: number): void {
  if (timeframeMs >= series.timeframeMs && timeframeMs % series.timeframeMs === 0) return;
  throw new DataError(
    `cannot resample ${series.symbol}'s ${formatDurationMs(series.timeframeMs)} bars to ${formatDurationMs(timeframeMs)}`,
    "data.timeframe (--timeframe)",
    "the timeframe must be a whole multiple of the loaded bars' (e.g. 1h from 1m, 5m or 15m bars)",
  );
}

function describeRange(window: DataWindow): string {
  const from = Number.isFinite(window.fromMs) ? formatTimeMs(window.fromMs) : "the start";
  const to = Number.isFinite(window.toMs) ? formatTimeMs(window.toMs) : "the end";
  return `${from} (inclusive) to ${to} (exclusive)`;
}

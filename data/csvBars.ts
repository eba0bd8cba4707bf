/**
 * Reads one bar CSV into columns (SPEC §2). Two layouts are recognised from the first line:
 * a generic CSV with a header, and a Binance kline file as downloaded (no header, 12 columns;
 * Binance's monthly files sometimes carry an `open_time,…` header, which the generic path
 * reads). Every row is validated as it arrives; the first bad row throws a DataError with
 * its `file:line`.
 */

import type { Hash } from "node:crypto";
import { statSync } from "node:fs";
import { DataError } from "../engine/errors.js";
import { dataFileEncoding } from "./archiveStream.js";
import { streamCsvRows } from "./csvStream.js";
import { checkFieldCount, isNumericField, normaliseHeader, requireColumn, findColumn } from "./csvHeader.js";
import type { BarColumns } from "./growableColumn.js";
import { describeTimeFormat, detectTimeFormat, parseTimeMs, type TimeFormat } from "./timeParsing.js";
import { describeBadBar, describeBadNumber, describeTimeOrderProblem, isGoodBar, parseNumberField } from "./validateBars.js";

export const BAR_TIME_COLUMNS = ["time", "date", "timestamp", "open_time", "datetime"] as const;

/** open_time, open, high, low, close, volume, close_time, quote_volume, trades, taker_buy_base, taker_buy_quote, ignore */
const BINANCE_KLINE_FIELDS = 12;

interface BarLayout {
  readonly hasHeader: boolean;
  readonly fieldCount: number;
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** -1 when the header has no volume column: volumes are then 0. */
  readonly volume: number;
}

/** The last bar read so far, so that order is also checked across concatenated files. */
export interface LastBarRead {
  readonly timeMs: number;
  /** `file:line` of that bar. */
  readonly where: string;
}

/**
 * Appends the bars of `filePath` to `columns` and its bytes to `hash`. Returns the last bar
 * read. A file without data rows is an error.
 *
 * Lean per row (≥ 1 M rows/s is the aim): papaparse's row array is the only object a row
 * makes; the `file:line` text is built only when an error is raised.
 */
export async function readBarFile(
  filePath: string,
  columns: BarColumns,
  hash: Hash,
  previous: LastBarRead | null,
): Promise<LastBarRead> {
  let layout: BarLayout | null = null;
  let timeFormat: TimeFormat | null = null;
  let timeFormatLine = 0;
  let lastTimeMs = previous?.timeMs ?? NaN;
  let lastLine = 0;
  let rowsRead = 0;
  const whereOf = (lineNumber: number): string => `${filePath}:${lineNumber}`;
  const lastWhere = (): string => (lastLine > 0 ? whereOf(lastLine) : previous?.where ?? "");

  await streamCsvRows(filePath, hash, (fields, lineNumber) => {
    if (layout === null) {
      layout = detectBarLayout(fields, whereOf(lineNumber));
      if (layout.hasHeader) return;
    }
    if (fields.length !== layout.fieldCount) {
      checkFieldCount(fields, layout.fieldCount, layout.hasHeader ? "the header" : "the first row", whereOf(lineNumber));
    }

    if (rowsRead === 0) columns.reserve(estimateRows(filePath, fields));
    const timeText = fields[layout.time];
    if (timeFormat === null) {
      timeFormat = detectTimeFormat(timeText);
      timeFormatLine = lineNumber;
      if (timeFormat === null) {
        throw new DataError(`time "${timeText}" is neither an ISO-8601 date nor an epoch number`, whereOf(lineNumber));
      }
    }
    const timeMs = parseTimeMs(timeText, timeFormat);
    if (Number.isNaN(timeMs)) {
      throw new DataError(
        `time "${timeText}" is not in ${describeTimeFormat(timeFormat)} like the first data row (line ${timeFormatLine})`,
        whereOf(lineNumber),
        "use one time format and unit for the whole file",
      );
    }
    if (!(timeMs > lastTimeMs) && (lastLine > 0 || previous !== null)) {
      const orderProblem = describeTimeOrderProblem(timeMs, lastTimeMs, lastWhere());
      if (orderProblem !== null) throw new DataError(orderProblem, whereOf(lineNumber), "bars must be sorted by time, oldest first, each time once");
    }

    const open = parseNumberField(fields[layout.open]);
    const high = parseNumberField(fields[layout.high]);
    const low = parseNumberField(fields[layout.low]);
    const close = parseNumberField(fields[layout.close]);
    const volume = layout.volume < 0 ? 0 : parseNumberField(fields[layout.volume]);
    // One test for the common case; the reasons are worked out only for a bad row.
    if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume))) {
      throwBadNumber(fields, layout, whereOf(lineNumber));
    }
    if (!isGoodBar(open, high, low, close, volume)) {
      throw new DataError(describeBadBar(open, high, low, close, volume) ?? "the bar is not valid", whereOf(lineNumber));
    }

    columns.append(timeMs, open, high, low, close, volume);
    lastTimeMs = timeMs;
    lastLine = lineNumber;
    rowsRead++;
  });

  if (rowsRead === 0) {
    throw new DataError("the file has no data rows", filePath, "a bar file needs at least one row after its header");
  }
  return { timeMs: lastTimeMs, where: lastWhere() };
}

/** Headroom over the first row's length, since later rows may be a little shorter (prices with fewer digits). */
const ROW_ESTIMATE_MARGIN = 1.1;

/**
 * Bars a plain CSV file probably holds: its size over the first data row's length (with a
 * margin), so the columns are sized once instead of doubling; 0 for an archive or an
 * unreadable file (the columns then grow as they fill).
 */
function estimateRows(filePath: string, firstRow: readonly string[]): number {
  if (dataFileEncoding(filePath) !== "csv") return 0;
  let rowBytes = firstRow.length; // the commas and the line break
  for (const field of firstRow) rowBytes += field.length;
  try {
    return Math.ceil((statSync(filePath).size / rowBytes) * ROW_ESTIMATE_MARGIN);
  } catch {
    return 0;
  }
}

/** Throws for the first of open, high, low, close, volume (in that order) that is not a finite number. */
function throwBadNumber(fields: readonly string[], layout: BarLayout, where: string): never {
  const named: [string, number][] = [["open", layout.open], ["high", layout.high], ["low", layout.low], ["close", layout.close], ["volume", layout.volume]];
  for (const [name, index] of named) {
    if (index < 0) continue;
    const problem = describeBadNumber(name, fields[index], parseNumberField(fields[index]));
    if (problem !== null) throw new DataError(problem, where);
  }
  throw new Error("throwBadNumber: every field is a finite number");
}

function detectBarLayout(firstRow: readonly string[], where: string): BarLayout {
  if (isNumericField(firstRow[0])) {
    if (firstRow.length === BINANCE_KLINE_FIELDS) {
      return { hasHeader: false, fieldCount: BINANCE_KLINE_FIELDS, time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 };
    }
    throw new DataError(
      `the first line is data with ${firstRow.length} fields, but a file without a header must be a Binance kline file with ${BINANCE_KLINE_FIELDS}`,
      where,
      "add a header line such as timestamp,open,high,low,close,volume",
    );
  }
  const header = normaliseHeader(firstRow);
  return {
    hasHeader: true,
    fieldCount: header.length,
    time: requireColumn(header, BAR_TIME_COLUMNS, "time", where),
    open: requireColumn(header, ["open"], "open", where),
    high: requireColumn(header, ["high"], "high", where),
    low: requireColumn(header, ["low"], "low", where),
    close: requireColumn(header, ["close"], "close", where),
    volume: findColumn(header, ["volume"]),
  };
}

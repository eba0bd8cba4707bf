/**
 * Reads one bar CSV into columns (SPEC §2). Two layouts are recognised from the first line:
 * a generic CSV with a header, and a Binance kline file as downloaded (no header, 12 columns;
 * Binance's monthly files sometimes carry an `open_time,…` header, which the generic path
 * reads). Every row is validated as it arrives; the first bad row throws a DataError with
 * its `file:line`.
 */

import type { Hash } from "node:crypto";
import { DataError } from "../engine/errors.js";
import { streamCsvRows } from "./csvStream.js";
import { checkFieldCount, isNumericField, normaliseHeader, requireColumn, findColumn } from "./csvHeader.js";
import type { BarColumns } from "./growableColumn.js";
import { describeTimeFormat, detectTimeFormat, parseTimeMs, type TimeFormat } from "./timeParsing.js";
import { describeBadBar, describeBadNumber, describeTimeOrderProblem, parseNumberField } from "./validateBars.js";

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
  let lastWhere = previous?.where ?? "";
  let rowsRead = 0;

  await streamCsvRows(filePath, hash, (fields, lineNumber) => {
    const where = `${filePath}:${lineNumber}`;
    if (layout === null) {
      layout = detectBarLayout(fields, where);
      if (layout.hasHeader) return;
    }
    checkFieldCount(fields, layout.fieldCount, layout.hasHeader ? "the header" : "the first row", where);

    const timeText = fields[layout.time];
    if (timeFormat === null) {
      timeFormat = detectTimeFormat(timeText);
      timeFormatLine = lineNumber;
      if (timeFormat === null) {
        throw new DataError(`time "${timeText}" is neither an ISO-8601 date nor an epoch number`, where);
      }
    }
    const timeMs = parseTimeMs(timeText, timeFormat);
    if (Number.isNaN(timeMs)) {
      throw new DataError(
        `time "${timeText}" is not in ${describeTimeFormat(timeFormat)} like the first data row (line ${timeFormatLine})`,
        where,
        "use one time format and unit for the whole file",
      );
    }
    if (!(timeMs > lastTimeMs) && lastWhere !== "") {
      const orderProblem = describeTimeOrderProblem(timeMs, lastTimeMs, lastWhere);
      if (orderProblem !== null) throw new DataError(orderProblem, where, "bars must be sorted by time, oldest first, each time once");
    }

    const open = readNumber(fields, layout.open, "open", where);
    const high = readNumber(fields, layout.high, "high", where);
    const low = readNumber(fields, layout.low, "low", where);
    const close = readNumber(fields, layout.close, "close", where);
    const volume = layout.volume < 0 ? 0 : readNumber(fields, layout.volume, "volume", where);
    const barProblem = describeBadBar(open, high, low, close, volume);
    if (barProblem !== null) throw new DataError(barProblem, where);

    columns.append(timeMs, open, high, low, close, volume);
    lastTimeMs = timeMs;
    lastWhere = where;
    rowsRead++;
  });

  if (rowsRead === 0) {
    throw new DataError("the file has no data rows", filePath, "a bar file needs at least one row after its header");
  }
  return { timeMs: lastTimeMs, where: lastWhere };
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

function readNumber(fields: readonly string[], index: number, name: string, where: string): number {
  const text = fields[index];
  const value = parseNumberField(text);
  const problem = describeBadNumber(name, text, value);
  if (problem !== null) throw new DataError(problem, where);
  return value;
}

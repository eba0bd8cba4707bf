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
import { streamCsvRowRuns } from "./csvStream.js";
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
 * makes; the rows come in runs read in one loop (BarFileReader.read), and the `file:line`
 * text is built only when an error is raised.
 */
export async function readBarFile(
  filePath: string,
  columns: BarColumns,
  hash: Hash,
  previous: LastBarRead | null,
): Promise<LastBarRead> {
  const reader = new BarFileReader(filePath, columns, previous);
  await streamCsvRowRuns(filePath, hash, (rows, start, end, firstLineNumber) => reader.read(rows, start, end, firstLineNumber));
  return reader.finish();
}

/** The reading state of one bar file: its layout, time format and last bar. */
class BarFileReader {
  private layout: BarLayout | null = null;
  private timeFormat: TimeFormat = "iso";
  /** Line of the first data row, whose time format every row must share; 0 before it. */
  private timeFormatLine = 0;
  private lastTimeMs: number;
  /** Line of the last bar read from this file; 0 before it. */
  private lastLine = 0;
  /** Columns of open, high, low, close and volume (not read when -1). */
  private numberAt = new Int32Array(5);
  /** The numbers of the row being read, in that order; the volume stays 0 when the file has none. */
  private readonly values = new Float64Array(5);

  constructor(
    private readonly filePath: string,
    private readonly columns: BarColumns,
    private readonly previous: LastBarRead | null,
  ) {
    this.lastTimeMs = previous?.timeMs ?? NaN;
  }

  /** Reads rows[start] to rows[end - 1], on consecutive lines from `firstLineNumber`. */
  read(rows: readonly string[][], start: number, end: number, firstLineNumber: number): void {
    let layout = this.layout;
    if (layout === null) {
      layout = this.layout = detectBarLayout(rows[start], this.whereOf(firstLineNumber));
      this.numberAt = Int32Array.of(layout.open, layout.high, layout.low, layout.close, layout.volume);
      if (layout.hasHeader) {
        start++;
        firstLineNumber++;
      }
    }
    if (start < end && this.timeFormatLine === 0) this.readFirstRow(rows[start], firstLineNumber, layout);

    const columns = this.columns;
    const { fieldCount, time } = layout;
    const numberAt = this.numberAt;
    const numberCount = layout.volume < 0 ? 4 : 5;
    const values = this.values;
    const timeFormat = this.timeFormat;
    const lineOffset = firstLineNumber - start;
    let lastTimeMs = this.lastTimeMs;
    for (let index = start; index < end; index++) {
      const fields = rows[index];
      if (fields.length !== fieldCount) this.throwFieldCount(fields, index + lineOffset);
      const timeMs = parseTimeMs(fields[time], timeFormat);
      // One test for the common case (NaN fails it too); the reason is worked out only for a bad row.
      if (!(timeMs > lastTimeMs)) this.checkTime(fields[time], timeMs, lastTimeMs, index + lineOffset, index > start);

      // One call site in a loop, not five: V8 then inlines the number parser here, and the
      // values go through a Float64Array, unboxed (five calls each returned a boxed number).
      for (let k = 0; k < numberCount; k++) values[k] = parseNumberField(fields[numberAt[k]]);
      const open = values[0];
      const high = values[1];
      const low = values[2];
      const close = values[3];
      const volume = values[4];
      // isGoodBar fails every NaN and every infinite price; an infinite volume is the one
      // non-finite value it lets through.
      if (!(isGoodBar(open, high, low, close, volume) && volume !== Infinity)) {
        throwBadBar(fields, layout, open, high, low, close, volume, this.whereOf(index + lineOffset));
      }

      columns.append(timeMs, open, high, low, close, volume);
      lastTimeMs = timeMs;
    }
    if (end > start) {
      this.lastTimeMs = lastTimeMs;
      this.lastLine = end - 1 + lineOffset;
    }
  }

  /** The last bar read; an error when the file has none. */
  finish(): LastBarRead {
    if (this.lastLine === 0) {
      throw new DataError("the file has no data rows", this.filePath, "a bar file needs at least one row after its header");
    }
    return { timeMs: this.lastTimeMs, where: this.whereOf(this.lastLine) };
  }

  /** The first data row sets the time format and sizes the columns. */
  private readFirstRow(fields: readonly string[], lineNumber: number, layout: BarLayout): void {
    if (fields.length !== layout.fieldCount) this.throwFieldCount(fields, lineNumber);
    this.columns.reserve(estimateRows(this.filePath, fields));
    const timeText = fields[layout.time];
    const timeFormat = detectTimeFormat(timeText);
    if (timeFormat === null) {
      throw new DataError(`time "${timeText}" is neither an ISO-8601 date nor an epoch number`, this.whereOf(lineNumber));
    }
    this.timeFormat = timeFormat;
    this.timeFormatLine = lineNumber;
  }

  /** Throws for a time that did not parse or is not after the previous bar's. */
  private checkTime(timeText: string, timeMs: number, lastTimeMs: number, lineNumber: number, lastOnPreviousLine: boolean): void {
    if (Number.isNaN(timeMs)) {
      throw new DataError(
        `time "${timeText}" is not in ${describeTimeFormat(this.timeFormat)} like the first data row (line ${this.timeFormatLine})`,
        this.whereOf(lineNumber),
        "use one time format and unit for the whole file",
      );
    }
    const lastLine = lastOnPreviousLine ? lineNumber - 1 : this.lastLine;
    if (lastLine === 0 && this.previous === null) return; // the first bar
    const orderProblem = describeTimeOrderProblem(timeMs, lastTimeMs, lastLine > 0 ? this.whereOf(lastLine) : this.previous!.where);
    if (orderProblem !== null) throw new DataError(orderProblem, this.whereOf(lineNumber), "bars must be sorted by time, oldest first, each time once");
  }

  private throwFieldCount(fields: readonly string[], lineNumber: number): never {
    const layout = this.layout!;
    checkFieldCount(fields, layout.fieldCount, layout.hasHeader ? "the header" : "the first row", this.whereOf(lineNumber));
    throw new Error("throwFieldCount: the field count is right");
  }

  private whereOf(lineNumber: number): string {
    return `${this.filePath}:${lineNumber}`;
  }
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

/**
 * Throws for a bar that failed the one-test check: for the first of open, high, low, close,
 * volume (in that order) that is not a finite number, else for what is wrong with the bar.
 */
function throwBadBar(
  fields: readonly string[], layout: BarLayout, open: number, high: number, low: number, close: number, volume: number, where: string,
): never {
  if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume))) {
    const named: [string, number][] = [["open", layout.open], ["high", layout.high], ["low", layout.low], ["close", layout.close], ["volume", layout.volume]];
    for (const [name, index] of named) {
      if (index < 0) continue;
      const problem = describeBadNumber(name, fields[index], parseNumberField(fields[index]));
      if (problem !== null) throw new DataError(problem, where);
    }
  }
  throw new DataError(describeBadBar(open, high, low, close, volume) ?? "the bar is not valid", where);
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

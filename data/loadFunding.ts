/**
 * Funding-rate history of one symbol (SPEC §2, §6.1): a CSV with a header holding a time
 * column and a rate column (a fraction per funding interval); other columns are ignored.
 */

import { createHash, type Hash } from "node:crypto";
import type { FundingSeries, SourceFingerprint } from "../engine/types.js";
import { DataError } from "../engine/errors.js";
import { streamCsvRows } from "./csvStream.js";
import { checkFieldCount, isNumericField, normaliseHeader, requireColumn } from "./csvHeader.js";
import { GrowableColumn } from "./growableColumn.js";
import { describeTimeFormat, detectTimeFormat, parseTimeMs, type TimeFormat } from "./timeParsing.js";
import { describeBadNumber, describeTimeOrderProblem, parseNumberField } from "./validateBars.js";

/**
 * The largest funding rate per interval, in files and in `exchange.fundingRate` alike (5 %
 * per 8 h): well above the caps Binance sets per contract (a few percent at most); a larger
 * value is a unit mistake (a percentage written as a fraction) and would dwarf every price move.
 */
export const MAX_FUNDING_RATE = 0.05;

export const FUNDING_TIME_COLUMNS = ["timestamp", "time", "funding_time", "fundingtime", "calc_time"] as const;
export const FUNDING_RATE_COLUMNS = ["funding_rate", "rate", "fundingrate", "last_funding_rate"] as const;

export interface LoadedFunding {
  readonly series: FundingSeries;
  readonly fingerprint: SourceFingerprint;
}

interface FundingLayout {
  readonly fieldCount: number;
  readonly time: number;
  readonly rate: number;
}

/** Loads a funding file; times must be strictly increasing and rates finite. */
export function loadFundingFile(filePath: string, symbol: string): Promise<LoadedFunding> {
  return loadFundingFiles([filePath], symbol);
}

/**
 * Loads and concatenates funding files of one symbol in the given order (Binance's monthly
 * archives); each has its own header, and times must keep increasing across files.
 */
export async function loadFundingFiles(files: readonly string[], symbol: string): Promise<LoadedFunding> {
  const hash = createHash("sha256");
  const times = new GrowableColumn(256);
  const rates = new GrowableColumn(256);
  let lastWhere = "";
  for (const filePath of files) lastWhere = await readFundingFile(filePath, hash, times, rates, lastWhere);

  if (times.length === 0) {
    throw new DataError("the funding file has no data rows", files[files.length - 1], "a funding file needs at least one row after its header");
  }
  const time = times.toArray();
  const series: FundingSeries = Object.freeze({ symbol, time, rate: rates.toArray(), length: time.length });
  const fingerprint: SourceFingerprint = Object.freeze({
    symbol,
    kind: "funding",
    files: Object.freeze([...files]),
    rows: time.length,
    firstTimeMs: time[0],
    lastTimeMs: time[time.length - 1],
    sha256: hash.digest("hex"),
    // Funding intervals vary by symbol and over time, so no gaps are counted for funding.
    gaps: 0,
    missingBars: 0,
  });
  return { series, fingerprint };
}

/** Appends one file's rows; returns the `file:line` of the last row read so far. */
async function readFundingFile(
  filePath: string, hash: Hash, times: GrowableColumn, rates: GrowableColumn, previousWhere: string,
): Promise<string> {
  let layout: FundingLayout | null = null;
  let timeFormat: TimeFormat | null = null;
  let timeFormatLine = 0;
  let lastWhere = previousWhere;

  await streamCsvRows(filePath, hash, (fields, lineNumber) => {
    const where = `${filePath}:${lineNumber}`;
    if (layout === null) {
      layout = readFundingHeader(fields, where);
      return;
    }
    checkFieldCount(fields, layout.fieldCount, "the header", where);

    const timeText = fields[layout.time];
    if (timeFormat === null) {
      timeFormat = detectTimeFormat(timeText);
      timeFormatLine = lineNumber;
      if (timeFormat === null) {
        throw new DataError(`funding time "${timeText}" is neither an ISO-8601 date nor an epoch number`, where);
      }
    }
    const timeMs = parseTimeMs(timeText, timeFormat);
    if (Number.isNaN(timeMs)) {
      throw new DataError(
        `funding time "${timeText}" is not in ${describeTimeFormat(timeFormat)} like the first data row (line ${timeFormatLine})`,
        where,
      );
    }
    if (times.length > 0) {
      const orderProblem = describeTimeOrderProblem(timeMs, times.at(times.length - 1), lastWhere);
      if (orderProblem !== null) throw new DataError(orderProblem, where, "funding rows must be sorted by time, each time once");
    }

    const rateText = fields[layout.rate];
    const rate = parseNumberField(rateText);
    const rateProblem = describeBadNumber("funding rate", rateText, rate);
    if (rateProblem !== null) throw new DataError(rateProblem, where);
    if (Math.abs(rate) > MAX_FUNDING_RATE) {
      throw new DataError(
        `funding rate ${rateText.trim()} is outside −${MAX_FUNDING_RATE}..${MAX_FUNDING_RATE}`, where,
        "rates are fractions per funding interval (0.0001 = 0.01 %), at most 5 % in magnitude",
      );
    }

    times.push(timeMs);
    rates.push(rate);
    lastWhere = where;
  });
  return lastWhere;
}

function readFundingHeader(fields: readonly string[], where: string): FundingLayout {
  if (isNumericField(fields[0])) {
    throw new DataError(
      "the funding file has no header line",
      where,
      "add a header such as timestamp,funding_rate",
    );
  }
  const header = normaliseHeader(fields);
  return {
    fieldCount: header.length,
    time: requireColumn(header, FUNDING_TIME_COLUMNS, "funding time", where),
    rate: requireColumn(header, FUNDING_RATE_COLUMNS, "funding rate", where),
  };
}

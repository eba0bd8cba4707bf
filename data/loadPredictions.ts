/**
 * A predictions file (SPEC §3): the user's own model output as a CSV with a header
 * `timestamp,symbol,action,confidence[,score][,size_multiplier]`. Rows need not be sorted;
 * mapping them to bars is the signal source's job (strategies/signals/predictions.ts).
 */

import { createHash } from "node:crypto";
import { DataError } from "../engine/errors.js";
import type { PredictionRows } from "../engine/types.js";
import { checkFieldCount, findColumn, normaliseHeader, requireColumn } from "./csvHeader.js";
import { streamCsvRows } from "./csvStream.js";
import { assertRegularFile } from "./resolveDataPaths.js";
import { describeTimeFormat, detectTimeFormat, parseTimeMs, type TimeFormat } from "./timeParsing.js";

export interface Predictions extends PredictionRows {
  readonly file: string;
  /** 1-based line of each row, for messages. */
  readonly line: Int32Array;
  readonly sha256: string;
}

const ACTIONS: Record<string, number> = { buy: 1, long: 1, sell: -1, short: -1, hold: 0 };

export async function loadPredictions(filePath: string): Promise<Predictions> {
  const hash = createHash("sha256");
  const times: number[] = [], symbols: string[] = [], actions: number[] = [];
  const confidences: number[] = [], scores: number[] = [], multipliers: number[] = [], lines: number[] = [];
  let columns: { count: number; time: number; symbol: number; action: number; confidence: number; score: number; size: number } | null = null;
  let format: TimeFormat | null = null;

  await assertRegularFile(filePath);
  await streamCsvRows(filePath, hash, (fields, lineNumber) => {
    const where = `${filePath}:${lineNumber}`;
    if (columns === null) {
      const header = normaliseHeader(fields);
      columns = {
        count: fields.length,
        time: requireColumn(header, ["timestamp", "time", "date", "open_time"], "time", where),
        symbol: requireColumn(header, ["symbol"], "symbol", where),
        action: requireColumn(header, ["action", "signal", "side"], "action", where),
        confidence: requireColumn(header, ["confidence"], "confidence", where),
        score: findColumn(header, ["score"]),
        size: findColumn(header, ["size_multiplier", "sizemultiplier", "size"]),
      };
      return;
    }
    checkFieldCount(fields, columns.count, "the header", where);
    const timeText = fields[columns.time];
    format ??= detectTimeFormat(timeText);
    const timeMs = format === null ? NaN : parseTimeMs(timeText, format);
    if (Number.isNaN(timeMs)) {
      const expected = format === null ? "an ISO-8601 date or an epoch number" : describeTimeFormat(format);
      throw new DataError(`prediction time "${timeText}" is not ${expected}`, where);
    }
    const actionText = fields[columns.action].trim().toLowerCase();
    const action = ACTIONS[actionText];
    if (action === undefined) throw new DataError(`action "${fields[columns.action]}" is not BUY, SELL or HOLD`, where);
    const symbol = fields[columns.symbol].trim();
    if (symbol === "") throw new DataError("the symbol is empty", where);
    times.push(timeMs);
    symbols.push(symbol);
    actions.push(action);
    confidences.push(optionalNumber(fields[columns.confidence], "confidence", where));
    scores.push(columns.score < 0 ? NaN : optionalNumber(fields[columns.score], "score", where));
    multipliers.push(columns.size < 0 ? NaN : optionalNumber(fields[columns.size], "size_multiplier", where));
    lines.push(lineNumber);
  });
  if (columns === null || times.length === 0) {
    throw new DataError("the predictions file has no data rows", filePath, "expected a header and at least one prediction");
  }
  return {
    file: filePath, length: times.length, timeMs: Float64Array.from(times), symbol: symbols,
    action: Int8Array.from(actions), confidence: Float64Array.from(confidences), score: Float64Array.from(scores),
    sizeMultiplier: Float64Array.from(multipliers), line: Int32Array.from(lines), sha256: hash.digest("hex"),
  };
}

/** An empty field is "not given" (NaN); anything else must be a finite number. */
function optionalNumber(text: string, name: string, where: string): number {
  const trimmed = text.trim();
  if (trimmed === "") return NaN;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw new DataError(`${name} "${text}" is not a finite number`, where);
  return value;
}

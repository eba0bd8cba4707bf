/**
 * The run-folder files another thread can write (cli/outputThread.ts) — equity.csv,
 * trades.csv, fills.csv, equity.arrow — as plain data a structured clone carries, and the one
 * function that turns each into its bytes, used on whichever thread writes the file: the bytes
 * cannot differ (tests/cli/outputThread.test.ts also compares whole folders).
 */
import { mapEquityColumns, type EquityCurve, type Fill, type Trade } from "../engine/index.js";
import { writeFillsCsv, writeTradesCsv } from "./csv.js";
import { streamedCsv } from "./csvWriter.js";
import { streamEquityArrow } from "./equityArrow.js";
import { writeEquityCsv } from "./equityCsv.js";
import type { StreamedContent } from "./outputFolder.js";

export type FileTask =
  /** `rows` of `curve` (equity.csv's resolution). */
  | { readonly kind: "equity.csv"; readonly curve: EquityCurve; readonly rows: Uint32Array }
  | { readonly kind: "trades.csv"; readonly trades: readonly Trade[] }
  | { readonly kind: "fills.csv"; readonly fills: readonly Fill[] }
  | { readonly kind: "equity.arrow"; readonly curve: EquityCurve };

/** The file's bytes, chunk by chunk. */
export function streamOfFileTask(task: FileTask): StreamedContent["stream"] {
  switch (task.kind) {
    case "equity.csv": return streamedCsv((writer) => writeEquityCsv(writer, task.curve, task.rows)).stream;
    case "trades.csv": return streamedCsv((writer) => writeTradesCsv(writer, task.trades)).stream;
    case "fills.csv": return streamedCsv((writer) => writeFillsCsv(writer, task.fills)).stream;
    case "equity.arrow": return (sink) => streamEquityArrow(task.curve, sink);
  }
}

/**
 * equity.csv's task with only its rows of the curve (the same text: the writer reads nothing
 * else), so a long minute-level run sends its 3,334 hourly rows, not 200,000.
 */
export function equityCsvTask(curve: EquityCurve, rows: Uint32Array): FileTask {
  const pick = (column: Float64Array): Float64Array => {
    const picked = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) picked[k] = column[rows[k]];
    return picked;
  };
  return { kind: "equity.csv", curve: mapEquityColumns(curve, rows.length, pick), rows: Uint32Array.from({ length: rows.length }, (_, k) => k) };
}

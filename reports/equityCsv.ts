/**
 * equity.csv (SPEC §7): `timestamp, time_iso, equity, balance, unrealized_pnl, margin_used,
 * exposure, drawdown`, the rows `selectEquityRows` picks, in the number format of `csv.ts`.
 *
 * Built for millions of rows: bytes go straight into the writer's buffer (no row or field
 * strings for times and integers), and each column remembers the text of its last value —
 * balance and margin change only at fills, every column is constant while the account is
 * flat — so most fields skip the double-to-text conversion (`String(x)`, the costly part).
 */
import type { EquityCurve } from "../engine/types.js";
import { writeToString, type CsvWriter } from "./csvWriter.js";
import { selectEquityRows, type ResolvedEquityResolution } from "./equityRows.js";

export const EQUITY_COLUMNS = [
  "timestamp", "time_iso", "equity", "balance", "unrealized_pnl", "margin_used", "exposure", "drawdown",
] as const;

/** Writes the given rows of `curve` (ascending indexes) as equity.csv. */
export function writeEquityCsv(writer: CsvWriter, curve: EquityCurve, rows: ArrayLike<number>): void {
  writer.raw(EQUITY_COLUMNS.join(","));
  writer.newline();
  const { time, equity, balance, unrealizedPnl, marginUsed, exposure, drawdown } = curve;
  const columns = [equity, balance, unrealizedPnl, marginUsed, exposure, drawdown];
  const lastValue = new Float64Array(columns.length).fill(NaN);
  const lastText: string[] = columns.map(() => "");
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    writer.number(time[i]);
    writer.comma();
    writer.isoTime(time[i]);
    for (let c = 0; c < columns.length; c++) {
      writer.comma();
      const value = columns[c][i];
      if (Number.isSafeInteger(value) || !Number.isFinite(value)) {
        writer.number(value);
      } else {
        // NaN never equals itself, so a missing value is never taken for the last one.
        if (value !== lastValue[c]) {
          lastValue[c] = value;
          lastText[c] = String(value);
        }
        writer.raw(lastText[c]);
      }
    }
    writer.newline();
  }
}

/**
 * equity.csv as a string (tests and small curves): `everyNth` keeps rows 0, n, 2n, … and
 * always the last; `resolution` as in `selectEquityRows` (default every row).
 */
export function formatEquityCsv(curve: EquityCurve, everyNth = 1, resolution: ResolvedEquityResolution = "bar"): string {
  const rows = selectEquityRows(curve.time, curve.length, resolution, everyNth);
  return writeToString((writer) => writeEquityCsv(writer, curve, rows));
}

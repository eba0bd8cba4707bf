/**
 * Bars back to CSV in the generic layout the loader reads (`timestamp` in epoch ms). Numbers
 * are written with String(x), the shortest text that reads back as the same float64, so a
 * written file loads into identical arrays.
 */

import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { BarSeries } from "../engine/types.js";
import { OutputError } from "../engine/errors.js";
import { writeFileInSlices } from "./writeInSlices.js";

export const BARS_CSV_HEADER = "timestamp,open,high,low,close,volume";

export function formatBarsCsv(series: BarSeries): string {
  const lines = new Array<string>(series.length + 1);
  lines[0] = BARS_CSV_HEADER;
  for (let index = 0; index < series.length; index++) {
    lines[index + 1] =
      `${String(series.time[index])},${String(series.open[index])},${String(series.high[index])},` +
      `${String(series.low[index])},${String(series.close[index])},${String(series.volume[index])}`;
  }
  return lines.join("\n") + "\n";
}

let temporaryFileCounter = 0;

/**
 * Writes the CSV next to `filePath` under a temporary name, then renames it into place, so a
 * reader never sees half a file. Creates the folder if needed. Synchronous on purpose: it is
 * a CLI and test helper, and a caller that forgets to await cannot race the file.
 */
export function writeBarsCsv(series: BarSeries, filePath: string): void {
  const temporaryPath = `${filePath}.${process.pid}.${++temporaryFileCounter}.tmp`;
  try {
    mkdirSync(dirname(filePath), { recursive: true });
    writeFileInSlices(temporaryPath, formatBarsCsv(series));
    renameSync(temporaryPath, filePath);
  } catch (error) {
    rmSync(temporaryPath, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(`cannot write the bars CSV (${code})`, filePath, "check that the folder is writable");
  }
}

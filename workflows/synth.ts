import { join } from "node:path";
import { formatBarsCsv, generateSynthBars } from "../data/index.js";
import { assertOwnedFileWritable, writeOwnedFile } from "../reports/ownedFile.js";

/** Seeded synthetic bars written as CSV files: one per symbol, symbol k with seed + k. */

export interface SynthFilesOptions {
  readonly out: string;
  readonly symbols: readonly string[];
  readonly bars: number;
  readonly seed: number;
  readonly startTimeMs: number;
  readonly timeframeMs: number;
  readonly startPrice: number;
  /** Replace CSV files exitlab did not write (README "Safety"). */
  readonly force?: boolean;
  /** Receives notes about left-overs of killed runs that could not be cleared. */
  readonly onNote?: (note: string) => void;
  /** Called after each file is written, with its path and seed. */
  readonly onWritten?: (file: string, seed: number) => void;
}

/**
 * Writes the files; returns their paths. A file already there is replaced only if exitlab
 * wrote it (or with `force`); every file is checked before the first is written.
 */
export function writeSynthFiles(options: SynthFilesOptions): string[] {
  const { out, bars, startTimeMs, timeframeMs, startPrice } = options;
  const force = options.force === true;
  const files = options.symbols.map((symbol) => join(out, `${symbol}.csv`));
  for (const file of files) assertOwnedFileWritable(file, { force });
  return options.symbols.map((symbol, k) => {
    const seed = options.seed + k;
    const series = generateSynthBars({ symbol, bars, seed, startTimeMs, timeframeMs, startPrice });
    for (const note of writeOwnedFile(files[k], formatBarsCsv(series), { force })) options.onNote?.(note);
    options.onWritten?.(files[k], seed);
    return files[k];
  });
}

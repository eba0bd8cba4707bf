import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { generateSynthBars, writeBarsCsv } from "../data/index.js";
import { OutputError } from "../engine/index.js";

/** Seeded synthetic bars written as CSV files: one per symbol, symbol k with seed + k. */

export interface SynthFilesOptions {
  readonly out: string;
  readonly symbols: readonly string[];
  readonly bars: number;
  readonly seed: number;
  readonly startTimeMs: number;
  readonly timeframeMs: number;
  readonly startPrice: number;
  /** Called after each file is written, with its path and seed. */
  readonly onWritten?: (file: string, seed: number) => void;
}

/** Writes the files; returns their paths. */
export function writeSynthFiles(options: SynthFilesOptions): string[] {
  const { out, bars, startTimeMs, timeframeMs, startPrice } = options;
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new OutputError(`cannot create the output folder (${(error as NodeJS.ErrnoException).code ?? "error"})`, out);
  }
  return options.symbols.map((symbol, k) => {
    const seed = options.seed + k;
    const series = generateSynthBars({ symbol, bars, seed, startTimeMs, timeframeMs, startPrice });
    const file = join(out, `${symbol}.csv`);
    try {
      writeBarsCsv(series, file);
    } catch (error) {
      throw new OutputError(`cannot write the file (${(error as NodeJS.ErrnoException).code ?? "error"})`, file);
    }
    options.onWritten?.(file, seed);
    return file;
  });
}

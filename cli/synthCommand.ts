import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, OutputError } from "../engine/index.js";
import type { CliIo } from "./cliIo.js";
import { generateSynthBars, writeBarsCsv } from "../data/index.js";

const TIMEFRAMES: Record<string, number> = { "1m": 60_000, "5m": 300_000, "15m": 900_000, "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000 };

/** `exitlab data synth`: one seeded CSV per symbol; symbol k uses seed + k. */
export async function runSynthCommand(argv: Record<string, unknown>, io: CliIo): Promise<void> {
  const bars = Number(argv.bars);
  if (!Number.isInteger(bars) || bars < 1) throw new ConfigError("must be a whole number of bars ≥ 1", "--bars");
  const seed = Number(argv.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError("must be a whole number ≥ 0", "--seed");
  const timeframeMs = TIMEFRAMES[String(argv.timeframe)];
  if (timeframeMs === undefined) throw new ConfigError(`must be one of ${Object.keys(TIMEFRAMES).join(", ")}`, "--timeframe");
  const startTimeMs = Date.parse(String(argv.start));
  if (!Number.isFinite(startTimeMs)) throw new ConfigError(`"${String(argv.start)}" is not an ISO-8601 time`, "--start");
  const startPrice = Number(argv["start-price"]);
  if (!(startPrice > 0)) throw new ConfigError("must be a positive price", "--start-price");
  const symbols = String(argv.symbols).split(",").map((s) => s.trim()).filter(Boolean);
  if (symbols.length === 0) throw new ConfigError("name at least one symbol", "--symbols");
  const out = String(argv.out);
  const badSymbol = symbols.find((symbol) => !/^[A-Za-z0-9._-]+$/.test(symbol));
  if (badSymbol !== undefined) throw new ConfigError(`"${badSymbol}" is not a plain symbol name (letters, digits, . _ -)`, "--symbols");
  if (bars < 2) throw new ConfigError("needs at least 2 bars (a timeframe is read from the spacing)", "--bars");
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new OutputError(`cannot create the output folder (${(error as NodeJS.ErrnoException).code ?? "error"})`, out);
  }
  for (const [k, symbol] of symbols.entries()) {
    const series = generateSynthBars({ symbol, bars, seed: seed + k, startTimeMs, timeframeMs, startPrice });
    const file = join(out, `${symbol}.csv`);
    try {
      writeBarsCsv(series, file);
    } catch (error) {
      throw new OutputError(`cannot write the file (${(error as NodeJS.ErrnoException).code ?? "error"})`, file);
    }
    io.out(`wrote ${file} (${bars} bars, seed ${seed + k})\n`);
  }
}

import { ConfigError } from "../engine/index.js";
import { writeSynthFiles } from "../workflows/synth.js";
import type { CliIo } from "./cliIo.js";
import { printNotes } from "./outputSafety.js";

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
  writeSynthFiles({
    out, symbols, bars, seed, startTimeMs, timeframeMs, startPrice, force: argv.force === true,
    onNote: (note) => printNotes([note], io),
    onWritten: (file, fileSeed) => io.out(`wrote ${file} (${bars} bars, seed ${fileSeed})\n`),
  });
}

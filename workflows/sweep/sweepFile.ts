import { z } from "../../data/zod.js";
import { ConfigError } from "../../engine/index.js";
import { INPUT_FILE_LIMITS, readInputFile } from "../readInputFile.js";
import type { NumericStatField } from "../../reports/workflows/statFields.js";
import { suggestName } from "../../reports/workflows/statFields.js";
import { configSchema } from "../../strategies/config.js";
import { canonicalJson } from "./grid.js";
import { parseRange, type SearchParam, type SearchSpace } from "./searchSpace.js";

/**
 * The sweep file (see SWEEP.md): a JSON object separate from the run config,
 *   { "grid": { "<dotted config path>": [values…], … }, "metric": "sharpeRatio", "direction": "max" }
 * The run config (the base every cell starts from) is resolved from --config, flags and
 * environment exactly as `backtest` resolves it.
 */

/** Metrics a sweep can rank by: the scalar fields of RunStats (reports/stats.ts). */
export const RANKABLE_METRICS = [
  "totalReturnPct", "annualizedReturnPct", "annualizedVolatilityPct", "sharpeRatio", "sortinoRatio", "calmarRatio",
  "maxDrawdownPct", "maxDrawdownDurationMs", "maxDrawdownDurationBars", "exposureTimePct",
  "tradeCount", "longTradeCount", "shortTradeCount", "winningTradeCount", "losingTradeCount", "winRatePct",
  "grossProfitUsd", "grossLossUsd", "profitFactor", "expectancyUsd", "expectancyReturnOnMarginPct",
  "tradesWithRCount", "averageR", "sqn", "averageHoldingTimeMs", "averageHoldingBars",
  "bestTradeNetPnlUsd", "worstTradeNetPnlUsd", "feesPaidUsd", "fundingNetUsd", "fundingPaidUsd",
  "fundingReceivedUsd", "liquidationCount",
] as const satisfies readonly NumericStatField[];

/** The metrics every sweep table shows (after the ranking metric when that is another one). */
export const TABLE_METRICS = [
  "totalReturnPct", "sharpeRatio", "maxDrawdownPct", "winRatePct", "profitFactor", "tradeCount", "expectancyReturnOnMarginPct",
] as const satisfies readonly NumericStatField[];

/** Sections whose values a cell cannot change: the data is loaded once per sweep, and cells write no run folder. */
const FIXED_SECTIONS = ["data", "output"];

export const SEARCH_METHODS = ["grid", "random", "tpe"] as const;
export type SearchMethod = (typeof SEARCH_METHODS)[number];

/** A cell ranks only with at least this many trades, unless the sweep file or --min-trades says otherwise. */
export const DEFAULT_MIN_TRADES = 30;
/** Cells a TPE search proposes at once from the same history (the same on any number of workers). */
export const DEFAULT_TPE_BATCH = 4;

const sweepFileSchema = z.strictObject({
  grid: z.record(z.string(), z.union([z.array(z.json()).min(1, "needs at least one value"), z.record(z.string(), z.json())])),
  metric: z.string().default("sharpeRatio"),
  direction: z.enum(["max", "min"]).default("max"),
  minTrades: z.number().int().min(0).default(DEFAULT_MIN_TRADES),
  search: z.enum(SEARCH_METHODS).default("grid"),
  trials: z.number().int().min(1).nullable().default(null),
  batch: z.number().int().min(1).default(DEFAULT_TPE_BATCH),
});

export interface SearchSettings {
  readonly method: SearchMethod;
  /** Cells a random or TPE search runs (required for those; null for a grid). */
  readonly trials: number | null;
  /** TPE: cells proposed per round from the same history. */
  readonly batch: number;
}

export interface SweepSpec {
  /** The paths swept, each a list of values or a numeric range. */
  readonly space: SearchSpace;
  readonly metric: NumericStatField;
  readonly direction: "max" | "min";
  /** Done cells with fewer trades are listed but not ranked. */
  readonly minTrades: number;
  readonly search: SearchSettings;
}

/** What the command line may change in a sweep file (flags win over the file's keys). */
export interface SweepOverrides {
  readonly metric?: string;
  readonly minTrades?: number;
  readonly search?: string;
  readonly trials?: number;
  readonly batch?: number;
}

/** Reads and checks a sweep file; every problem is a ConfigError naming the file and key. */
export function loadSweepFile(file: string, overrides: SweepOverrides = {}): SweepSpec {
  // Size-bounded like the run config (a grid is a few hundred bytes; README "Safety").
  const text = readInputFile(file, { what: "the sweep file", maxBytes: INPUT_FILE_LIMITS.config });
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(`invalid JSON: ${(error as Error).message}`, file);
  }
  return parseSweepSpec(value, file, overrides);
}

/** The sweep file's object with the command line's overrides applied as if they were its keys; errors name the flag. */
export function parseSweepSpec(value: unknown, where: string, overrides: SweepOverrides = {}): SweepSpec {
  const flags: Record<string, [string, unknown]> = {
    metric: ["--rank-by", overrides.metric], minTrades: ["--min-trades", overrides.minTrades],
    search: ["--search", overrides.search], trials: ["--trials", overrides.trials], batch: ["--batch", overrides.batch],
  };
  const merged: unknown = typeof value === "object" && value !== null && !Array.isArray(value)
    ? { ...value, ...Object.fromEntries(Object.entries(flags).filter(([, [, given]]) => given !== undefined).map(([key, [, given]]) => [key, given])) }
    : value;
  const parsed = sweepFileSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = flags[String(issue.path[0])];
    if (flag !== undefined && flag[1] !== undefined) throw new ConfigError(`${JSON.stringify(flag[1])}: ${issue.message.replace(/^Invalid input: /, "")}`, flag[0]);
    throw new ConfigError(issue.message.replace(/^Invalid input: /, ""), `${where} ${issue.path.map(String).join(".")}`.trim(),
      "a sweep file is { \"grid\": { \"exits.stopLossPct\": [0.02, 0.03] }, \"metric\": \"sharpeRatio\", \"direction\": \"max\" }");
  }
  const { grid, metric, direction, minTrades, search, trials, batch } = parsed.data;
  const entries = Object.entries(grid);
  if (entries.length === 0) throw new ConfigError("the grid has no paths", `${where} grid`, "add at least one \"config.path\": [values]");
  const sections = Object.keys(configSchema.parse({}));
  const space: Array<readonly [string, SearchParam]> = [];
  for (const [path, given] of entries) {
    const place = `${where} grid.${path}`;
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$|^[A-Za-z][A-Za-z0-9]*$/.test(path)) {
      throw new ConfigError("is not a dotted config path", place, "write paths like \"exits.stopLossPct\" or \"seed\"");
    }
    const section = path.split(".")[0];
    if (FIXED_SECTIONS.includes(section)) {
      throw new ConfigError(`cannot be swept: ${section} is the same for every cell`, place, "run one sweep per data set (pass it with --data or --config)");
    }
    if (!sections.includes(section)) throw new ConfigError(`"${section}" is not a config section`, place, suggestName(section, sections));
    if (!Array.isArray(given)) {
      space.push([path, parseRange(given, place)]);
      continue;
    }
    const values: readonly unknown[] = given;
    space.push([path, { kind: "list", values }]);
    const seen = new Set<string>();
    for (const item of values) {
      const key = canonicalJson(item);
      if (seen.has(key)) throw new ConfigError(`lists ${key} twice`, place, "list each value once");
      seen.add(key);
    }
  }
  if (!(RANKABLE_METRICS as readonly string[]).includes(metric)) {
    const prefixed = RANKABLE_METRICS.filter((name) => name.toLowerCase().startsWith(metric.toLowerCase()));
    const hint = metric !== "" && prefixed.length === 1 ? `did you mean "${prefixed[0]}"?` : suggestName(metric, RANKABLE_METRICS);
    throw new ConfigError(`"${metric}" is not a run metric`, overrides.metric === undefined ? `${where} metric` : "--rank-by", hint);
  }
  if (search !== "grid" && trials === null) throw new ConfigError(`a ${search} search needs a number of trials`, overrides.search === undefined ? `${where} search` : "--search", "pass --trials N (or \"trials\": N in the sweep file)");
  if (search === "grid" && trials !== null) throw new ConfigError("a grid search runs every cell: trials applies to random and tpe only", overrides.trials === undefined ? `${where} trials` : "--trials", "add --search random or --search tpe");
  const batchGiven = overrides.batch !== undefined || (typeof value === "object" && value !== null && "batch" in value);
  if (search !== "tpe" && batchGiven) throw new ConfigError(`batch applies to a tpe search only (this is a ${search} search)`, overrides.batch === undefined ? `${where} batch` : "--batch", "remove it, or add --search tpe");
  return { space, metric: metric as NumericStatField, direction, minTrades, search: { method: search, trials, batch } };
}

/** The table's metric columns: the ranking metric first, then the fixed set. */
export function tableMetricsOf(metric: NumericStatField): NumericStatField[] {
  return [metric, ...TABLE_METRICS.filter((name) => name !== metric)];
}

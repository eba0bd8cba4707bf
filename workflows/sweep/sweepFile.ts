import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../../engine/index.js";
import type { NumericStatField } from "../../reports/workflows/statFields.js";
import { suggestName } from "../../reports/workflows/statFields.js";
import { configSchema } from "../../strategies/config.js";
import { canonicalJson, type Grid } from "./grid.js";

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

const sweepFileSchema = z.strictObject({
  grid: z.record(z.string(), z.array(z.json()).min(1, "needs at least one value")),
  metric: z.string().default("sharpeRatio"),
  direction: z.enum(["max", "min"]).default("max"),
});

export interface SweepSpec {
  readonly grid: Grid;
  readonly metric: NumericStatField;
  readonly direction: "max" | "min";
}

/** Reads and checks a sweep file; every problem is a ConfigError naming the file and key. */
export function loadSweepFile(file: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the sweep file (${(error as NodeJS.ErrnoException).code ?? "read error"})`, file);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(`invalid JSON: ${(error as Error).message}`, file);
  }
  return parseSweepSpec(value, file);
}

export function parseSweepSpec(value: unknown, where: string): SweepSpec {
  const parsed = sweepFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(issue.message.replace(/^Invalid input: /, ""), `${where} ${issue.path.map(String).join(".")}`.trim(),
      "a sweep file is { \"grid\": { \"exits.stopLossPct\": [0.02, 0.03] }, \"metric\": \"sharpeRatio\", \"direction\": \"max\" }");
  }
  const { grid, metric, direction } = parsed.data;
  const entries = Object.entries(grid);
  if (entries.length === 0) throw new ConfigError("the grid has no paths", `${where} grid`, "add at least one \"config.path\": [values]");
  const sections = Object.keys(configSchema.parse({}));
  for (const [path, values] of entries) {
    const place = `${where} grid.${path}`;
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$|^[A-Za-z][A-Za-z0-9]*$/.test(path)) {
      throw new ConfigError("is not a dotted config path", place, "write paths like \"exits.stopLossPct\" or \"seed\"");
    }
    const section = path.split(".")[0];
    if (FIXED_SECTIONS.includes(section)) {
      throw new ConfigError(`cannot be swept: ${section} is the same for every cell`, place, "run one sweep per data set (pass it with --data or --config)");
    }
    if (!sections.includes(section)) throw new ConfigError(`"${section}" is not a config section`, place, suggestName(section, sections));
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
    throw new ConfigError(`"${metric}" is not a run metric`, `${where} metric`, hint);
  }
  return { grid: entries, metric: metric as NumericStatField, direction };
}

/** The table's metric columns: the ranking metric first, then the fixed set. */
export function tableMetricsOf(metric: NumericStatField): NumericStatField[] {
  return [metric, ...TABLE_METRICS.filter((name) => name !== metric)];
}

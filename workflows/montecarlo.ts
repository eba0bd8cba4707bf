import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../engine/index.js";
import { isExitlabRunFolder } from "../reports/outputFolder.js";
import { runMonteCarlo, type MonteCarloMethod, type MonteCarloResult } from "../reports/montecarlo.js";
import { stableStringify } from "../reports/summary.js";
import { writeTextAtomically } from "./files.js";

/**
 * `exitlab montecarlo --run <folder>`: reads a run folder's summary.json (initial balance) and
 * trades.csv (net_pnl_usd, in exit order), simulates (reports/montecarlo.ts) and writes
 * `montecarlo.json` into the run folder.
 */

export interface MonteCarloOptions {
  readonly run: string;
  readonly method?: MonteCarloMethod;
  readonly simulations?: number;
  readonly seed?: number;
  readonly ruinDrawdown?: number;
}

export const MONTE_CARLO_FILE = "montecarlo.json";

export function monteCarloOfRun(options: MonteCarloOptions): MonteCarloResult & { readonly file: string } {
  if (!isExitlabRunFolder(options.run)) throw new ConfigError("is not an exitlab run folder (no summary.json written by exitlab)", options.run, "pass the --out folder of an exitlab backtest");
  const summary = JSON.parse(readFileSync(join(options.run, "summary.json"), "utf8")) as { account?: { initialBalance?: unknown } };
  const initialBalance = summary.account?.initialBalance;
  if (typeof initialBalance !== "number") throw new ConfigError("summary.json has no account.initialBalance", options.run);
  const pnls = netPnlsOf(join(options.run, "trades.csv"));
  if (pnls.length < 2) throw new ConfigError(`has ${pnls.length} trade${pnls.length === 1 ? "" : "s"}: a Monte Carlo needs at least 2`, join(options.run, "trades.csv"));
  const result = runMonteCarlo({
    pnls, initialBalance, method: options.method ?? "shuffle", simulations: options.simulations ?? 10_000,
    seed: options.seed ?? 1, ruinDrawdown: options.ruinDrawdown ?? 0.5,
  });
  const file = join(options.run, MONTE_CARLO_FILE);
  writeTextAtomically(file, stableStringify({ format: "exitlab/montecarlo/v1", ...result }));
  return { ...result, file };
}

/** The net_pnl_usd column of trades.csv, in file (exit) order. */
function netPnlsOf(file: string): number[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read trades.csv (${(error as NodeJS.ErrnoException).code ?? "read error"})`, file);
  }
  const lines = text.trimEnd().split("\n");
  const column = csvFields(lines[0]).indexOf("net_pnl_usd");
  if (column < 0) throw new ConfigError("has no net_pnl_usd column", file);
  return lines.slice(1).filter((line) => line !== "").map((line, index) => {
    const value = Number(csvFields(line)[column]);
    if (!Number.isFinite(value)) throw new ConfigError(`line ${index + 2}: net_pnl_usd is not a number`, file);
    return value;
  });
}

/** One CSV line's fields (RFC 4180 quotes: a quoted field may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') field += line[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

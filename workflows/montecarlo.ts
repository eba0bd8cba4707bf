import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { renderMonteCarloPage } from "../reports/html/montecarloPage.js";
import { ConfigError } from "../engine/index.js";
import { isExitlabRunFolder } from "../reports/outputFolder.js";
import { runMonteCarlo, type MonteCarloMethod, type MonteCarloResult } from "../reports/montecarlo.js";
import { defaultBlockLength, runBlockBootstrap } from "../reports/montecarloBlock.js";
import { dailyReturnsOf } from "../reports/overfitting/dailyReturns.js";
import { stableStringify } from "../reports/summary.js";
import { writeTextAtomically } from "./files.js";

/**
 * `exitlab montecarlo --run <folder>`: reads a run folder's summary.json (initial balance) and
 * trades.csv (net_pnl_usd, in exit order) — or, for `block`, equity.csv's UTC-day closes as
 * daily returns — simulates (reports/montecarlo.ts, reports/montecarloBlock.ts) and writes
 * `montecarlo.json` into the run folder.
 */

export interface MonteCarloOptions {
  readonly run: string;
  readonly method?: MonteCarloMethod;
  readonly simulations?: number;
  readonly seed?: number;
  readonly ruinDrawdown?: number;
  /** `block` only: days per block; default ⌈n^(1/3)⌉ of the run's n days. */
  readonly blockLength?: number;
}

export const MONTE_CARLO_FILE = "montecarlo.json";
/** The fan chart and histograms (reports/html/montecarloPage.ts). */
export const MONTE_CARLO_PAGE = "montecarlo.html";

export function monteCarloOfRun(options: MonteCarloOptions): MonteCarloResult & { readonly file: string } {
  if (!isExitlabRunFolder(options.run)) throw new ConfigError("is not an exitlab run folder (no summary.json written by exitlab)", options.run, "pass the --out folder of an exitlab backtest");
  const summary = JSON.parse(readFileSync(join(options.run, "summary.json"), "utf8")) as { account?: { initialBalance?: unknown } };
  const initialBalance = summary.account?.initialBalance;
  if (typeof initialBalance !== "number") throw new ConfigError("summary.json has no account.initialBalance", options.run);
  const method = options.method ?? "shuffle";
  const common = { initialBalance, simulations: options.simulations ?? 10_000, seed: options.seed ?? 1, ruinDrawdown: options.ruinDrawdown ?? 0.5 };
  if (method !== "block" && options.blockLength !== undefined) throw new ConfigError(`applies to --method block only (this is ${method})`, "--block-length");
  let result: MonteCarloResult;
  if (method === "block") {
    const returns = dailyReturnsOfRun(join(options.run, "equity.csv"), initialBalance);
    if (returns.length < 2) throw new ConfigError(`has ${returns.length} day${returns.length === 1 ? "" : "s"}: a block bootstrap needs at least 2`, join(options.run, "equity.csv"));
    const blockLength = options.blockLength ?? defaultBlockLength(returns.length);
    if (!Number.isInteger(blockLength) || blockLength < 1 || blockLength > returns.length) throw new ConfigError(`"${blockLength}" is not a whole number of days from 1 to the run's ${returns.length}`, "--block-length");
    result = runBlockBootstrap({ ...common, returns, blockLength });
  } else {
    const pnls = netPnlsOf(join(options.run, "trades.csv"));
    if (pnls.length < 2) throw new ConfigError(`has ${pnls.length} trade${pnls.length === 1 ? "" : "s"}: a Monte Carlo needs at least 2`, join(options.run, "trades.csv"));
    result = runMonteCarlo({ ...common, pnls, method });
  }
  const file = join(options.run, MONTE_CARLO_FILE);
  writeTextAtomically(file, stableStringify({ format: "exitlab/montecarlo/v1", ...result }));
  writeTextAtomically(join(options.run, MONTE_CARLO_PAGE), renderMonteCarloPage(result, basename(resolve(options.run))));
  return { ...result, file };
}

/** The net_pnl_usd column of trades.csv, in file (exit) order. */
function netPnlsOf(file: string): number[] {
  return numberColumns(file, ["net_pnl_usd"]).map(([pnl]) => pnl);
}

/** Daily returns of equity.csv's rows (each UTC day closes at its last row; days without a row are absent). */
function dailyReturnsOfRun(file: string, initialBalance: number): number[] {
  const rows = numberColumns(file, ["timestamp", "equity"]);
  return dailyReturnsOf(rows.map(([time]) => time), rows.map(([, equity]) => equity), initialBalance);
}

/** The named columns of a CSV the run wrote, as numbers, row by row. */
function numberColumns(file: string, names: readonly string[]): number[][] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${basename(file)} (${(error as NodeJS.ErrnoException).code ?? "read error"})`, file);
  }
  const lines = text.trimEnd().split("\n");
  const header = csvFields(lines[0]);
  const columns = names.map((name) => {
    const column = header.indexOf(name);
    if (column < 0) throw new ConfigError(`has no ${name} column`, file);
    return column;
  });
  return lines.slice(1).filter((line) => line !== "").map((line, index) => {
    const fields = csvFields(line);
    return columns.map((column, k) => {
      const value = Number(fields[column]);
      if (!Number.isFinite(value)) throw new ConfigError(`line ${index + 2}: ${names[k]} is not a number`, file);
      return value;
    });
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

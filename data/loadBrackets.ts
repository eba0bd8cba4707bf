/**
 * Leverage brackets from a JSON file in the format of Binance's `GET /fapi/v1/leverageBracket`
 * response: an array of `{ symbol, notionalCoef?, brackets: [{ bracket, initialLeverage,
 * notionalCap, notionalFloor, maintMarginRatio, cum }] }`, or one such object (the endpoint's
 * answer when a symbol is given). `notionalCoef` (how a user's tiers differ from the default)
 * is accepted and needs no handling: the tiers in the file already carry it.
 */

import { readFileSync, statSync } from "node:fs";
import { z } from "./zod.js";
import { ConfigError, DataError, type BracketTable, type LeverageBracket } from "../engine/index.js";

const number = z.number().finite();
const bracketSchema = z.object({
  bracket: z.number().int().min(1),
  initialLeverage: number.min(1),
  notionalCap: number.positive(),
  notionalFloor: number.min(0),
  maintMarginRatio: number.min(0).lt(1),
  cum: number.min(0),
}).strict();
const symbolSchema = z.object({
  symbol: z.string().min(1),
  notionalCoef: z.union([number, z.string()]).optional(),
  brackets: z.array(bracketSchema).min(1),
}).strict();

/**
 * The brackets of a file, by symbol; errors name the file and the JSON path. Read synchronously
 * when the run is built (a small file), once per file and process: a sweep's cells share it.
 */
export function loadBracketsSync(file: string): ReadonlyMap<string, BracketTable> {
  let text: string;
  let key: string;
  try {
    const stat = statSync(file);
    key = `${file}\0${stat.mtimeMs}\0${stat.size}`;
    const cached = loaded.get(key);
    if (cached !== undefined) return cached;
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the leverage-bracket file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`, "exchange.brackets",
      "give the path of a JSON file in the format of Binance's GET /fapi/v1/leverageBracket, e.g. data/brackets/binance-usdm-2021-03-18.json");
  }
  const tables = parseBrackets(text, file);
  loaded.set(key, tables);
  return tables;
}

const loaded = new Map<string, ReadonlyMap<string, BracketTable>>();

/** `parseBrackets(text, name)`: the pure half of `loadBrackets`. */
export function parseBrackets(text: string, file: string): ReadonlyMap<string, BracketTable> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not valid JSON: ${(error as Error).message}`, file, "the file must hold the JSON of Binance's GET /fapi/v1/leverageBracket response");
  }
  // An array (all symbols) or one object (the endpoint's answer for one symbol); parsed apart so errors keep their path.
  const parsed = Array.isArray(json) ? z.array(symbolSchema).min(1).safeParse(json) : symbolSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length === 0 ? "" : ` at ${issue.path.join(".")}`;
    throw new DataError(`not a leverage-bracket file${path}: ${issue.message}`, file,
      "each entry is { symbol, brackets: [{ bracket, initialLeverage, notionalCap, notionalFloor, maintMarginRatio, cum }] }");
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const tables = new Map<string, BracketTable>();
  for (const entry of entries) {
    if (tables.has(entry.symbol)) throw new DataError(`${entry.symbol} is listed twice`, file, "list each symbol once");
    const sorted = [...entry.brackets].sort((a, b) => a.notionalFloor - b.notionalFloor);
    checkContiguous(sorted, entry.symbol, file);
    tables.set(entry.symbol, Object.freeze(sorted.map((bracket) => Object.freeze({ ...bracket }) as LeverageBracket)));
  }
  return tables;
}

/**
 * The tiers must cover [0, last cap] without gaps or overlaps, leverage must not rise and the
 * maintenance margin rate must not fall with the notional (every Binance table does both).
 */
function checkContiguous(brackets: readonly LeverageBracket[], symbol: string, file: string): void {
  const fail = (index: number, message: string): never => {
    throw new DataError(`${symbol} bracket ${brackets[index].bracket}: ${message}`, file, "give the tiers as Binance's endpoint returns them");
  };
  if (brackets[0].notionalFloor !== 0) fail(0, `the first tier starts at notional ${brackets[0].notionalFloor}, not 0`);
  for (let i = 0; i < brackets.length; i++) {
    const b = brackets[i];
    if (!(b.notionalCap > b.notionalFloor)) fail(i, `notionalCap ${b.notionalCap} is not above notionalFloor ${b.notionalFloor}`);
    if (i === 0) continue;
    const previous = brackets[i - 1];
    if (b.notionalFloor !== previous.notionalCap) fail(i, `notionalFloor ${b.notionalFloor} does not continue the previous tier's cap ${previous.notionalCap}`);
    if (b.initialLeverage > previous.initialLeverage) fail(i, `initialLeverage ${b.initialLeverage} is above the smaller tier's ${previous.initialLeverage}`);
    if (b.maintMarginRatio < previous.maintMarginRatio) fail(i, `maintMarginRatio ${b.maintMarginRatio} is below the smaller tier's ${previous.maintMarginRatio}`);
  }
}

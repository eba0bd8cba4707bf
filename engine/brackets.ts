/**
 * Binance USDⓈ-M leverage brackets (SPEC §6.3 extended) as pure functions: the maintenance
 * margin rate and maintenance amount of a position's notional tier, the tier's maximum
 * leverage, and Binance's isolated-margin liquidation price.
 *
 * Units: notionals and prices in USDT, `maintMarginRatio` as a fraction (0.004 = 0.4 %),
 * `cum` (Binance's "maintenance amount") in USDT, leverage as a multiple.
 */
import { ConfigError } from "./errors.js";

/** One tier of `GET /fapi/v1/leverageBracket` (Binance's field names). */
export interface LeverageBracket {
  readonly bracket: number;
  /** Highest initial leverage allowed for a position whose notional falls in this tier. */
  readonly initialLeverage: number;
  /** The tier covers notionals in (notionalFloor, notionalCap]; the first tier includes 0. */
  readonly notionalFloor: number;
  readonly notionalCap: number;
  readonly maintMarginRatio: number;
  /** Maintenance amount: maintenance margin = notional × maintMarginRatio − cum. */
  readonly cum: number;
}

/** A symbol's tiers, ordered by notional (validated on load: contiguous, from 0). */
export type BracketTable = readonly LeverageBracket[];

/**
 * The tier of a position of `notional` USDT: the one with floor < notional ≤ cap (Binance
 * announces tiers as "50,000 < Position ≤ 250,000"); notional 0 is in the first. Null when the
 * notional exceeds the last tier's cap — no position that large can be opened.
 */
export function bracketForNotional(table: BracketTable, notional: number): LeverageBracket | null {
  for (let i = 0; i < table.length; i++) if (notional <= table[i].notionalCap) return table[i];
  return null;
}

/** Maintenance margin of a position of `notional` USDT in `bracket`: notional × MMR − cum. */
export function maintenanceMargin(notional: number, bracket: LeverageBracket): number {
  return notional * bracket.maintMarginRatio - bracket.cum;
}

/**
 * Binance's liquidation price of an isolated position in one-way mode (Binance FAQ "How to
 * Calculate Liquidation Price of USDⓈ-M Futures Contracts": TMM = 0 and UPNL = 0 in isolated
 * mode, WB = the isolated wallet balance):
 *
 *   LP = (WB + cum − side × Q × EP) / (Q × MMR − side × Q)
 *
 * with the tier of the entry notional Q × EP first. As the FAQ says, when the notional at the
 * liquidation price (Q × LP) falls in another tier, that tier's MMR and cum are substituted and
 * the price recomputed (at most once per tier). NaN when the price is not positive (a long at
 * low leverage that no price can liquidate: Binance shows "--").
 */
export function bracketLiquidationPrice(
  table: BracketTable, entry: number, side: number, quantity: number, walletBalance: number,
): number {
  let bracket = bracketForNotional(table, quantity * entry);
  if (bracket === null) return NaN;
  let price = NaN;
  for (let attempt = 0; attempt <= table.length; attempt++) {
    price = (walletBalance + bracket.cum - side * quantity * entry) / (quantity * bracket.maintMarginRatio - side * quantity);
    if (!(price > 0)) return NaN;
    const atLiquidation = bracketForNotional(table, quantity * price);
    if (atLiquidation === null || atLiquidation === bracket) break;
    bracket = atLiquidation;
  }
  return price;
}

/**
 * The maximum leverage for a position of `notional` USDT: its tier's `initialLeverage`, or 0
 * when the notional exceeds every tier.
 */
export function maxLeverageForNotional(table: BracketTable, notional: number): number {
  const bracket = bracketForNotional(table, notional);
  return bracket === null ? 0 : bracket.initialLeverage;
}

/**
 * The leverage an entry asking for `leverage` is capped to (`risk.capLeverageToBracket`):
 * the highest of `leverage` and the tiers' maximum leverages below it whose resulting notional
 * (`notionalAt(L)`, which grows with L for a margin budget and is constant for a fixed
 * quantity) lies in a tier allowing it. 0 when none does (the notional exceeds every tier
 * even at the lowest leverage).
 */
export function cappedLeverageForBrackets(table: BracketTable, leverage: number, notionalAt: (leverage: number) => number): number {
  if (maxLeverageForNotional(table, notionalAt(leverage)) >= leverage) return leverage;
  const candidates = table.map((bracket) => bracket.initialLeverage).filter((value) => value < leverage).sort((a, b) => b - a);
  for (const candidate of candidates) if (maxLeverageForNotional(table, notionalAt(candidate)) >= candidate) return candidate;
  return 0;
}

/**
 * The leverage an entry of notional `notionalAt(leverage)` may have under its tier (SPEC §6.3
 * extended): `leverage` when the tier allows it; else, with `capToBracket`, the capped leverage
 * (`cappedLeverageForBrackets`); else the refusal reason — `NOTIONAL_ABOVE_BRACKETS` when the
 * notional exceeds every tier, `LEVERAGE_ABOVE_BRACKET` otherwise.
 */
export function leverageForBrackets(
  table: BracketTable, leverage: number, capToBracket: boolean, notionalAt: (leverage: number) => number,
): number | "LEVERAGE_ABOVE_BRACKET" | "NOTIONAL_ABOVE_BRACKETS" {
  const notional = notionalAt(leverage);
  if (leverage <= maxLeverageForNotional(table, notional)) return leverage;
  const capped = capToBracket ? cappedLeverageForBrackets(table, leverage, notionalAt) : 0;
  if (capped > 0) return capped;
  return maxLeverageForNotional(table, notional) === 0 ? "NOTIONAL_ABOVE_BRACKETS" : "LEVERAGE_ABOVE_BRACKET";
}

/** Each symbol's tiers from a bracket file's tables, in the run's symbol order; a symbol without tiers is a ConfigError. */
export function bracketTablesOf(symbols: readonly string[], tables: ReadonlyMap<string, BracketTable>): BracketTable[] {
  return symbols.map((symbol) => {
    const table = tables.get(symbol);
    if (table === undefined) {
      throw new ConfigError(`the leverage-bracket file has no tiers for ${symbol}`, "exchange.brackets", "add the symbol's tiers to the file, or run without brackets");
    }
    return table;
  });
}

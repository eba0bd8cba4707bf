import { ConfigError, DataError, type MarketData, type RunResult } from "../../engine/index.js";
import type { RunConfig } from "../config.js";
import { listNames, warningIf, type RunWarning } from "./runWarning.js";

/**
 * Checks of a configuration against its data before the replay: a `gates.symbols` list that
 * names no symbol of the data is an error (the run would trade nothing); one that names
 * some symbols the data lacks is a warning (those names do nothing).
 */
export function checkSymbolAllowlist(config: RunConfig, data: MarketData): RunWarning[] {
  const allowed = config.gates.symbols;
  if (allowed === null) return [];
  const present = new Set(data.bars.map((series) => series.symbol));
  const missing = allowed.filter((symbol) => !present.has(symbol));
  if (missing.length === allowed.length) {
    throw new ConfigError(
      `none of the allowed symbols (${listNames(allowed)}) is in the data (${listNames([...present])})`, "gates.symbols",
      "name symbols the data has (--symbols, TRADING_SYMBOLS), or drop the list to trade every symbol",
    );
  }
  return warningIf("symbols-not-in-data", missing.length, () =>
    `${missing.length} of the allowed symbols are not in the data and do nothing: ${listNames(missing)}`);
}

/** What the configuration changed on its way to the engine: a baseline leverage above the cap. */
export function leverageWarnings(config: RunConfig, result: RunResult): RunWarning[] {
  const sizing = config.sizing as { readonly leverage?: number };
  const asked = sizing.leverage;
  const cap = config.risk.maxLeverage;
  if (asked === undefined || asked <= cap || config.exchange.market === "spot") return [];
  const entries = result.counters.intents;
  return warningIf("leverage-capped", Math.max(entries, 1), () =>
    `sizing.leverage ${asked} is above risk.maxLeverage ${cap}: the run's ${entries} entries used ${cap}× (raise --max-leverage to use ${asked}×)`);
}

/**
 * Leverage brackets and mark prices (counters.liquidation): entries whose leverage was capped
 * to their tier or refused for it, and bars whose liquidation fell back to the last price.
 */
export function liquidationWarnings(config: RunConfig, data: MarketData, result: RunResult): RunWarning[] {
  if (config.exchange.market === "spot" && data.mark !== undefined) {
    return warningIf("mark-prices-unused", data.mark.size, () =>
      `mark-price bars of ${[...data.mark?.keys() ?? []].join(", ")} are not used: spot positions are never liquidated`);
  }
  const counters = result.counters.liquidation;
  if (counters === undefined) return [];
  return [
    ...warningIf("leverage-capped-to-bracket", counters.leverageCappedToBracket, () =>
      `${counters.leverageCappedToBracket} entries had their leverage lowered to the maximum of their notional's leverage bracket (risk.capLeverageToBracket)`),
    ...warningIf("leverage-above-bracket", counters.leverageRefused, () =>
      `${counters.leverageRefused} entries were refused: their leverage was above the maximum of their notional's leverage bracket, or the notional above every bracket (set risk.capLeverageToBracket / --cap-leverage-to-bracket to cap instead)`),
    ...warningIf("mark-prices-partial", counters.price === "mark" ? counters.markBarsUncovered : 0, () =>
      `${counters.markBarsUncovered} bars have no complete mark-price bars: their liquidation was checked on the last price (counters.liquidation.markBarsUncovered)`),
  ];
}

/**
 * A run whose money went non-finite (a lot size of 5e-324, a price near the float limit)
 * means nothing: it fails naming the first fill whose numbers are not finite, with its
 * symbol and bar time, or else the first non-finite equity row.
 */
export function assertFiniteMoney(result: RunResult): void {
  const account = result.account;
  const totals = [account.finalEquity, account.finalBalance, account.realizedPnlUsd, account.feesUsd, account.fundingUsd];
  if (totals.every(Number.isFinite) && finiteColumn(result.equity.equity) < 0) return;
  const hint = "check exchange.lotSize, exchange.tickSize and the bar prices around that time";
  for (const fill of result.fills) {
    const values = { price: fill.price, quantity: fill.quantity, fee: fill.feeUsd, "realised PnL": fill.realizedPnlUsd, funding: fill.fundingUsd };
    const bad = Object.entries(values).find(([, value]) => !Number.isFinite(value));
    if (bad !== undefined) {
      throw new DataError(`the run's money became non-finite: ${fill.reason} fill of ${fill.symbol} at the bar of ${new Date(fill.timeMs).toISOString()} has ${bad[0]} ${bad[1]}`, fill.symbol, hint);
    }
  }
  const row = finiteColumn(result.equity.equity);
  const when = row < 0 ? "the end of the run" : `the bar of ${new Date(result.equity.time[row]).toISOString()}`;
  throw new DataError(`the run's money became non-finite at ${when} (equity ${row < 0 ? account.finalEquity : result.equity.equity[row]})`, null, hint);
}

/** Index of the first non-finite value, or -1. */
function finiteColumn(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Above this share of eval decisions in untrained states, the warning says the table does not fit the run. */
export const UNTRAINED_SHARE_LIMIT = 0.25;

/** Eval decisions that fell in states the loaded Q-table never trained (they used the mathematician's sizing). */
export function untrainedStateWarnings(counts: { readonly choices: number; readonly untrained: number } | undefined): RunWarning[] {
  if (counts === undefined) return [];
  const share = counts.choices === 0 ? 0 : counts.untrained / counts.choices;
  return warningIf("rl-untrained-states", counts.untrained, () =>
    `${counts.untrained} of ${counts.choices} RL decisions (${(share * 100).toFixed(1)} %) fell in states the Q-table never trained; ` +
    "those used the mathematician's own sizing" +
    (share > UNTRAINED_SHARE_LIMIT ? `; above ${UNTRAINED_SHARE_LIMIT * 100} %, the Q-table was trained on too little or other data for this run` : ""));
}

import type { Options } from "yargs";
import { ConfigError } from "../engine/index.js";
import { EXIT_KINDS } from "../strategies/exits/exitConfig.js";
import { BUILTIN_SIGNAL_NAMES, requireBuiltinSignalName } from "../strategies/signals/builtinSignals.js";
import { SIZING_KINDS } from "../strategies/sizing/sizingConfig.js";
import type { ConfigPath } from "../strategies/configPaths.js";
import type { ConfigLayers } from "../workflows/resolveConfig.js";

/**
 * The `backtest` flags that override config keys, in one table so a flag and its config
 * path cannot drift apart (STYLE, vitest): each flag names the path it sets.
 */
interface FlagSpec {
  readonly path: ConfigPath;
  readonly option: Options;
  /** Turns the parsed flag into the config value (default: as parsed). */
  readonly toConfig?: (value: unknown, flag: string) => unknown;
}

/**
 * `--signals`: a .csv (or a .zip / .gz holding one, read like any compressed data file) is a
 * predictions file, a script is a strategy module, anything else a built-in name.
 */
export function signalSourceOf(value: unknown): object {
  const text = String(value);
  if (/\.(csv|zip|gz)$/i.test(text)) return { kind: "predictions", file: text };
  if (/\.(m|c)?(j|t)s$/i.test(text)) return { kind: "module", module: text };
  return { kind: requireBuiltinSignalName(text, "--signals") };
}

/** `--symbol-map a=A,b=B` as an object; a pair without `=` or with an empty side is an error. */
export function symbolMapOf(value: unknown, flag: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of String(value).split(",").map((part) => part.trim()).filter(Boolean)) {
    const [from, to, extra] = pair.split("=").map((side) => side.trim());
    if (!from || !to || extra !== undefined) throw new ConfigError(`"${pair}" is not FILE_SYMBOL=DATA_SYMBOL`, `--${flag}`);
    map[from] = to;
  }
  return map;
}

/**
 * `--param fast=12 --param name=momentum` as `{ fast: 12, name: "momentum" }`: a value that
 * parses as JSON (numbers, true/false, null, arrays, quoted text) is that value, anything else
 * the text itself. A pair without `=`, with an empty name, or a name given twice is an error.
 */
export function moduleParamsOf(value: unknown, flag: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of (Array.isArray(value) ? value : [value]).map(String)) {
    const at = pair.indexOf("=");
    const name = at < 0 ? "" : pair.slice(0, at).trim();
    if (name === "") throw new ConfigError(`"${pair}" is not KEY=VALUE`, `--${flag}`, "e.g. --param fast=12");
    if (Object.hasOwn(params, name)) throw new ConfigError(`"${name}" is given twice`, `--${flag}`);
    params[name] = jsonOrText(pair.slice(at + 1));
  }
  return params;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Short names of the baseline sizings (the issue's `--sizing fixed|notional|quantity`). */
const SIZING_ALIASES: Record<string, string> = { fixed: "fixed-fraction", notional: "fixed-notional", quantity: "fixed-quantity" };

/** "off" / "none" switch a level off (null); anything else must be a number. */
function levelOrOff(value: unknown, flag: string): number | null {
  if (typeof value === "string" && ["off", "none", "null"].includes(value.toLowerCase())) return null;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new ConfigError(`"${String(value)}" is neither a number nor "off"`, `--${flag}`);
  return number;
}

export const CONFIG_FLAGS: Record<string, FlagSpec> = {
  data: { path: ["data", "paths"], option: { type: "string", array: true, describe: "Bar CSV files or folders (SYMBOL=path to name a symbol); default: data/samples/binance-perp-1h" } },
  funding: { path: ["data", "funding"], option: { type: "string", array: true, describe: "Funding-rate files or folders (a funding/ subfolder of a data folder is read anyway)" } },
  "detail-data": { path: ["data", "detail"], option: { type: "string", array: true, describe: "Lower-timeframe bars (files or folders) that resolve the order of events inside a bar (a data folder's detail/ subfolder is read anyway)" } },
  informative: { path: ["data", "informative"], option: { type: "string", array: true, describe: "Bar files or folders of other timeframes or symbols a strategy module reads with view.other(symbol, timeframe), aligned by close time (freqtrade's informative pairs)" } },
  "mark-data": { path: ["data", "mark"], option: { type: "string", array: true, describe: "Mark-price bars (files or folders; Binance markPriceKlines) to check liquidation on (a data folder's mark/ subfolder is read anyway)" } },
  from: { path: ["data", "from"], option: { type: "string", describe: "Use bars opening at or after this time: YYYY-MM-DD (00:00 UTC) or ISO-8601 with a zone" } },
  to: { path: ["data", "to"], option: { type: "string", describe: "Use bars opening before this time (exclusive), same forms as --from" } },
  timeframe: { path: ["data", "timeframe"], option: { type: "string", describe: "Resample the bars to this timeframe (1m … 1d, UTC-aligned); the loaded bars become intrabar detail" } },
  out: { path: ["output", "dir"], option: { type: "string", describe: "Output folder (default runs/backtest)" } },
  "equity-every": { path: ["output", "equityEvery"], option: { type: "number", describe: "Write every N-th equity row (the last one always)" } },
  "equity-resolution": {
    path: ["output", "equityResolution"],
    option: { type: "string", choices: ["auto", "bar", "1m", "5m", "15m", "30m", "1h", "4h", "1d"], describe: "equity.csv rows: every bar, or the last row of each interval; auto = every bar, hourly for runs of sub-hour bars over 50,000 rows" },
  },
  "equity-arrow": { path: ["output", "equityArrow"], option: { type: "boolean", describe: "Write equity.arrow, every equity row in Arrow IPC (default: when equity.csv leaves rows out)" } },
  signals: {
    path: ["signals"],
    option: { type: "string", describe: `Signal source: a built-in (${BUILTIN_SIGNAL_NAMES.join(", ")}), a predictions .csv (.csv.gz/.zip too), or a strategy module (.js, .mjs, .ts)` },
    toConfig: signalSourceOf,
  },
  param: {
    path: ["signals", "params"],
    option: { type: "string", array: true, describe: "Strategy module parameter as KEY=VALUE (repeatable; VALUE read as JSON when it parses, else as text); unknown names are an error" },
    toConfig: moduleParamsOf,
  },
  "symbol-map": {
    path: ["signals", "symbolMap"],
    option: { type: "string", describe: "Predictions: rename the file's symbols to the data's, as FILE=DATA pairs (btcusdt=BTCUSDT,ethusdt=ETHUSDT)" },
    toConfig: symbolMapOf,
  },
  "confidence-scale": {
    path: ["signals", "confidenceScale"],
    option: { type: "number", describe: "Predictions: 1 when confidences are 0..1 (default), 100 when they are 0..100" },
  },
  exit: {
    path: ["exits"], option: { type: "string", choices: [...EXIT_KINDS], describe: "Exit policy: static, ai (confidence tiers), lsf (leverage-sensitive), math (mathematician), harvest" },
    toConfig: (value) => ({ kind: String(value) }),
  },
  sl: { path: ["exits", "stopLossPct"], option: { type: "string", describe: "static/harvest: stop loss as a fraction of the entry fill (0.03 = 3 %), or off" }, toConfig: levelOrOff },
  tp: { path: ["exits", "takeProfitPct"], option: { type: "string", describe: "static: take profit as a fraction of the entry fill (0.05 = 5 %), or off" }, toConfig: levelOrOff },
  "max-holding-bars": { path: ["exits", "maxHoldingBars"], option: { type: "number", describe: "Close at the close of the N-th bar held (entry bar = 1)" } },
  sizing: {
    path: ["sizing"], option: { type: "string", choices: [...SIZING_KINDS, ...Object.keys(SIZING_ALIASES)], describe: "Sizing: fixed-fraction (alias fixed), fixed-notional (notional), fixed-quantity (quantity), math (Trading Mathematician, Kelly leverage), rl (Q-learning agent over the mathematician)" },
    toConfig: (value) => ({ kind: SIZING_ALIASES[String(value)] ?? String(value) }),
  },
  "rl-load": { path: ["sizing", "load"], option: { type: "string", describe: "rl: Q-table JSON to start from" } },
  "rl-save": { path: ["sizing", "save"], option: { type: "string", describe: "rl: write the Q-table here after the run (also written into the run folder)" } },
  "rl-mode": { path: ["sizing", "mode"], option: { type: "string", choices: ["train", "eval"], describe: "rl: train (ε-greedy, learns) or eval (greedy, no updates)" } },
  "cap-leverage-to-bracket": { path: ["risk", "capLeverageToBracket"], option: { type: "boolean", describe: "With --brackets: lower an entry's leverage to its bracket's maximum instead of refusing it" } },
  "cap-leverage-to-stop": { path: ["risk", "capLeverageToStop"], option: { type: "boolean", describe: "Lower leverage so every stop loss lies inside its liquidation distance" } },
  fraction: { path: ["sizing", "fraction"], option: { type: "number", describe: "fixed-fraction: margin as a fraction of equity" } },
  notional: { path: ["sizing", "notionalUsd"], option: { type: "number", describe: "fixed-notional: position notional in USDT" } },
  quantity: { path: ["sizing", "quantity"], option: { type: "number", describe: "fixed-quantity: base-asset quantity" } },
  leverage: { path: ["sizing", "leverage"], option: { type: "number", describe: "Leverage of baseline sizing (1 ≤ L < 1/mmr; capped by risk.maxLeverage)" } },
  "max-leverage": { path: ["risk", "maxLeverage"], option: { type: "number", describe: "Cap on any sizing's leverage (env RM_MAX_LEVERAGE)" } },
  "initial-balance": { path: ["initialBalance"], option: { type: "number", describe: "Starting balance in USDT (default 10000)" } },
  market: { path: ["exchange", "market"], option: { type: "string", choices: ["perp", "spot"], describe: "perp (isolated margin, funding, liquidation) or spot (leverage 1, long only)" } },
  intrabar: { path: ["intrabar"], option: { type: "string", choices: ["default", "pessimistic", "optimistic"], describe: "Intrabar path assumption" } },
  "taker-fee": { path: ["exchange", "takerFeeRate"], option: { type: "number", describe: "Taker fee rate (0.0005 = 0.05 %)" } },
  "maker-fee": { path: ["exchange", "makerFeeRate"], option: { type: "number", describe: "Maker fee rate for TP limit orders (0.0002 = 0.02 %)" } },
  "slippage-bps": { path: ["exchange", "slippageBps"], option: { type: "number", describe: "Slippage of market orders, basis points against the trader" } },
  "funding-rate": { path: ["exchange", "fundingRate"], option: { type: "number", describe: "Constant funding rate per 8 h where no funding file covers a time" } },
  brackets: { path: ["exchange", "brackets"], option: { type: "string", describe: "Leverage brackets (JSON of Binance's GET /fapi/v1/leverageBracket): tiered maintenance margin, Binance's liquidation formula, max leverage per tier" } },
  mmr: { path: ["exchange", "maintenanceMarginRate"], option: { type: "number", describe: "Maintenance margin rate for the liquidation price (0.005)" } },
  "lot-size": { path: ["exchange", "lotSize"], option: { type: "number", describe: "Quantity step (0 = none)" } },
  "tick-size": { path: ["exchange", "tickSize"], option: { type: "number", describe: "Price step (0 = none)" } },
  "min-notional": { path: ["exchange", "minNotional"], option: { type: "number", describe: "Minimum entry notional in USDT (0 = none)" } },
  "min-confidence": { path: ["gates", "minConfidence"], option: { type: "number", describe: "Drop signals below this confidence (env MIN_CONFIDENCE_THRESHOLD; default 0.45)" } },
  symbols: { path: ["gates", "symbols"], option: { type: "string", describe: "Comma-separated symbol allowlist (env TRADING_SYMBOLS)" }, toConfig: (value) => String(value).split(",").map((s) => s.trim()).filter(Boolean) },
  "max-open": { path: ["gates", "maxOpenPositions"], option: { type: "number", describe: "Maximum open positions" } },
  "on-opposite": { path: ["gates", "onOpposite"], option: { type: "string", choices: ["ignore", "close", "reverse"], describe: "What a signal against an open position does" } },
  seed: { path: ["seed"], option: { type: "number", describe: "Seed of every random choice" } },
  "fill-timing": { path: ["execution", "fillTiming"], option: { type: "string", choices: ["next-open", "signal-close"], describe: "Market orders fill at the next open (default) or at the signal bar's close (trade on close)" } },
  "sizing-reference": { path: ["execution", "sizingReference"], option: { type: "string", choices: ["signal", "fill"], describe: "Fraction-of-equity amounts taken at the decision (default) or at the fill" } },
  "trailing-reference": { path: ["execution", "trailingReference"], option: { type: "string", choices: ["intrabar-peak", "close"], describe: "Trailing stops follow the intrabar peak (default) or the best close" } },
  liquidation: { path: ["execution", "liquidation"], option: { type: "string", choices: ["on", "off"], describe: "off: perpetual positions are never liquidated (the summary says so)" } },
};

/** The flag patches a parsed argv sets, for `resolveConfig`. */
export function flagPatches(argv: Record<string, unknown>): ConfigLayers["flags"] {
  const out: { flag: string; path: readonly string[]; value: unknown }[] = [];
  for (const [flag, spec] of Object.entries(CONFIG_FLAGS)) {
    const value = argv[flag];
    if (value === undefined) continue;
    if (typeof value === "number" && Number.isNaN(value)) throw new ConfigError("expects a number", `--${flag}`);
    out.push({ flag: `--${flag}`, path: spec.path, value: spec.toConfig ? spec.toConfig(value, flag) : value });
  }
  return out;
}

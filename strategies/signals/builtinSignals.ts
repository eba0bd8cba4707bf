import { ConfigError, closestName, type BarSeries, type SignalColumns, type SignalSet, type SparseSignals } from "../../engine/index.js";
import { DEFAULT_CHANGE_24H_SETTINGS, emitChange24h, type Change24hSettings } from "./change24h.js";
import { DEFAULT_EMA_CROSS_SETTINGS, emitEmaCross, type EmaCrossSettings } from "./emaCross.js";
import { DEFAULT_MACD_CROSS_SETTINGS, emitMacdCross, type MacdCrossSettings } from "./macdCross.js";
import { DEFAULT_MOMENTUM_SETTINGS, emitMomentum, type MomentumSettings } from "./momentum.js";
import { DEFAULT_RSI_REVERSION_SETTINGS, emitRsiReversion, type RsiReversionSettings } from "./rsiReversion.js";
import { SparseSignalRows, denseSignals, type SignalTarget } from "./signalColumns.js";

/** The settings type of each built-in signal source, by its config name. */
export interface BuiltinSignalSettings {
  readonly "ema-cross": EmaCrossSettings;
  readonly "rsi-reversion": RsiReversionSettings;
  readonly momentum: MomentumSettings;
  readonly "macd-cross": MacdCrossSettings;
  readonly "change-24h": Change24hSettings;
}

export type BuiltinSignalName = keyof BuiltinSignalSettings;

/** One built-in source: a pure, causal function of one symbol's bars and its settings. */
export interface BuiltinSignal<Settings> {
  readonly name: string;
  /** One line for `exitlab` listings. */
  readonly summary: string;
  readonly defaults: Settings;
  /** Puts its signals over one symbol's bars into `target`, in bar order. */
  readonly emit: (series: BarSeries, settings: Settings, target: SignalTarget) => void;
  /** The same signals as columns of every bar. */
  readonly compute: (series: BarSeries, settings: Settings) => SignalColumns;
}

function builtin<Settings>(name: string, summary: string, defaults: Settings, emit: BuiltinSignal<Settings>["emit"]): BuiltinSignal<Settings> {
  return { name, summary, defaults, emit, compute: denseSignals(emit) };
}

type BuiltinRegistry = { readonly [Name in BuiltinSignalName]: BuiltinSignal<BuiltinSignalSettings[Name]> };

/** The name → source registry (STYLE: trading-signals' name → factory registry). */
export const BUILTIN_SIGNALS: BuiltinRegistry = {
  "ema-cross": builtin(
    "ema-cross", "fast EMA crossing the slow EMA; confidence from the EMA gap in ATRs",
    DEFAULT_EMA_CROSS_SETTINGS, emitEmaCross,
  ),
  "rsi-reversion": builtin(
    "rsi-reversion", "RSI crossing back through 30 (BUY) or 70 (SELL); confidence from the excursion's depth",
    DEFAULT_RSI_REVERSION_SETTINGS, emitRsiReversion,
  ),
  momentum: builtin(
    "momentum", "N-bar rate of change crossing ± k × ATR/close; confidence from |ROC| / (k × ATR/close)",
    DEFAULT_MOMENTUM_SETTINGS, emitMomentum,
  ),
  "macd-cross": builtin(
    "macd-cross", "MACD line crossing its signal line; confidence from the histogram in ATRs",
    DEFAULT_MACD_CROSS_SETTINGS, emitMacdCross,
  ),
  "change-24h": builtin(
    "change-24h", "the seed's fallback: 24 h change ≥ +x BUY, ≤ −x SELL; confidence min(1, 0.5 + |change| / 4x)",
    DEFAULT_CHANGE_24H_SETTINGS, emitChange24h,
  ),
};

/** Names in the order listings show them. */
export const BUILTIN_SIGNAL_NAMES: readonly BuiltinSignalName[] = ["ema-cross", "rsi-reversion", "momentum", "macd-cross", "change-24h"];

export function isBuiltinSignalName(name: string): name is BuiltinSignalName {
  return (BUILTIN_SIGNAL_NAMES as readonly string[]).includes(name);
}

/** The name, checked; a ConfigError with "did you mean" otherwise. */
export function requireBuiltinSignalName(name: string, where = "signals.kind"): BuiltinSignalName {
  if (isBuiltinSignalName(name)) return name;
  const closest = closestName(name, BUILTIN_SIGNAL_NAMES, { maxDistance: Math.max(3, Math.floor(name.length / 2)) });
  throw new ConfigError(
    `unknown built-in signal "${name}"`, where,
    `${closest === null ? "" : `did you mean "${closest}"? `}known: ${BUILTIN_SIGNAL_NAMES.join(", ")}`,
  );
}

/** Runs one built-in on one series; settings not given take the source's defaults. */
export function computeBuiltinSignals<Name extends BuiltinSignalName>(
  name: Name, series: BarSeries, settings: Partial<BuiltinSignalSettings[Name]> = {},
): SignalColumns {
  const source = BUILTIN_SIGNALS[name] as BuiltinSignal<BuiltinSignalSettings[Name]>;
  return source.compute(series, { ...source.defaults, ...settings });
}

/**
 * The same signals as `computeBuiltinSignals`, as the sparse rows `sparsifySignals` would make of
 * them, without columns of every bar (a run's replay takes signals in this form).
 */
export function computeBuiltinSparse<Name extends BuiltinSignalName>(
  name: Name, series: BarSeries, settings: Partial<BuiltinSignalSettings[Name]> = {},
): SparseSignals {
  const source = BUILTIN_SIGNALS[name] as BuiltinSignal<BuiltinSignalSettings[Name]>;
  const rows = new SparseSignalRows();
  source.emit(series, { ...source.defaults, ...settings }, rows);
  return rows.finish();
}

/** Runs one built-in over every symbol of a data set, before the replay. */
export function builtinSignalSet<Name extends BuiltinSignalName>(
  name: Name, bars: readonly BarSeries[], settings: Partial<BuiltinSignalSettings[Name]> = {},
): SignalSet {
  return {
    bySymbol: new Map(bars.map((series) => [series.symbol, computeBuiltinSignals(name, series, settings)])),
    stats: {},
  };
}

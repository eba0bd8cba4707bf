import { runBacktest, type ExchangeSettings, type MarketData, type RunInput, type RunResult, type SignalSet } from "../engine/index.js";
import type { RunConfig } from "./config.js";
import { staticPlan } from "./exits/staticPlan.js";
import { emaCrossSignals } from "./signals/emaCross.js";
import { predictionSignals, type PredictionRows } from "./signals/predictions.js";
import { sizeBaseline } from "./sizing/baselines.js";

const MINUTE_MS = 60_000;
const FUNDING_INTERVAL_MS = 8 * 60 * MINUTE_MS;

/**
 * Runs the configured signal source over every symbol once, before the replay. Built-in
 * indicator signals are causal (value i uses bars 0..i), so precomputing them is the same
 * as computing them bar by bar, only faster.
 */
export function buildSignals(config: RunConfig, data: MarketData, predictions: PredictionRows | null): SignalSet {
  const signals = config.signals;
  switch (signals.kind) {
    case "ema-cross":
      return {
        bySymbol: new Map(data.bars.map((series) => [series.symbol, emaCrossSignals(series, signals)])),
        stats: {},
      };
    case "predictions": {
      if (predictions === null) throw new Error("buildSignals: the predictions file was not loaded");
      const mapped = predictionSignals(predictions, data.bars);
      return { bySymbol: mapped.bySymbol, stats: { ...mapped.stats } };
    }
  }
}

export function exchangeSettingsOf(config: RunConfig): ExchangeSettings {
  return { ...config.exchange, fundingIntervalMs: FUNDING_INTERVAL_MS };
}

/** Turns a resolved configuration into the engine's input: settings plus pure sizing and exit functions. */
export function buildRunInput(config: RunConfig, data: MarketData, signals: SignalSet): RunInput {
  const exits = config.exits;
  return {
    data,
    signals,
    exchange: exchangeSettingsOf(config),
    gates: {
      minConfidence: config.gates.minConfidence,
      symbols: config.gates.symbols,
      duplicateTtlMs: config.gates.duplicateTtlMinutes * MINUTE_MS,
      cooldownMs: config.gates.cooldownMinutes * MINUTE_MS,
      maxOpenPositions: config.gates.maxOpenPositions,
      onOpposite: config.gates.onOpposite,
    },
    intrabarMode: config.intrabar,
    initialBalance: config.initialBalance,
    maxLeverage: config.risk.maxLeverage,
    sizeEntry: (context) => sizeBaseline(config.sizing, context),
    planExit: () => staticPlan(exits),
  };
}

/** The library entry: a resolved configuration and loaded data in, a run result out. */
export function runConfiguredBacktest(
  config: RunConfig, data: MarketData, predictions: PredictionRows | null = null,
): { result: RunResult; signals: SignalSet } {
  const signals = buildSignals(config, data, predictions);
  return { result: runBacktest(buildRunInput(config, data, signals)), signals };
}

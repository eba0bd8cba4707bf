import {
  ConfigError, StrategyError, runBacktest, type BarSeries, type SizingDecision, type DecisionContext, type ExchangeSettings, type MarketData, type RunInput, type RunResult, type SignalSet, type SparseSignals,
} from "../engine/index.js";
import { asSparseSignals } from "../engine/index.js";
import type { RunConfig } from "./config.js";
import type { LoadedMarketData } from "../data/loadMarketData.js";
import { loadBracketsSync } from "../data/loadBrackets.js";
import { createExitPlanner } from "./exits/createExitPlanner.js";
import { EXIT_KINDS, exitsSchema } from "./exits/exitConfig.js";
import { createOrderStrategy } from "./signals/orderStrategy.js";
import { marketInputsAt, marketInputsAtSignals, sharedMarketInputs, type MarketInputNeeds, type MarketInputsAtSignals } from "./marketInputsAtSignals.js";
import { builtinSignalSet, computeBuiltinSparse } from "./signals/builtinSignals.js";
import { predictionSignals, type PredictionRows } from "./signals/predictions.js";
import type { SignalsConfig } from "./signals/signalConfig.js";
import { assertFiniteMoney, checkSymbolAllowlist, leverageWarnings, liquidationWarnings, untrainedStateWarnings } from "./warnings/runChecks.js";
import { engineWarnings, type RunWarning } from "./warnings/runWarning.js";
import { checkModuleParams, predictionWarnings, zeroMultiplierWarnings, type WarnedSignalSet } from "./warnings/signalWarnings.js";
import { userModuleSignalSet, type LoadedSignalModule } from "./signals/userModule.js";
import type { PreparedModule } from "./signals/moduleRun.js";
import { sizeBaseline } from "./sizing/baselines.js";
import { DEFAULT_KELLY_SETTINGS } from "./sizing/kelly.js";
import {
  DEFAULT_MATHEMATICIAN_SETTINGS, accountSnapshotOf, sizeWithMathematician, type MarketConditions, type MathematicianSettings,
} from "./sizing/mathematician.js";
import { PerformanceTracker } from "./sizing/performance.js";
import { DEFAULT_RL_ACTION_SETTINGS } from "./sizing/rlActions.js";
import { DEFAULT_RL_AGENT_SETTINGS, RlSizingAgent, type RlAgentSettings } from "./sizing/rlAgent.js";
import { createMathematicianSizer, createRlSizer, type Sizer } from "./sizing/sizers.js";

const MINUTE_MS = 60_000;
const FUNDING_INTERVAL_MS = 8 * 60 * MINUTE_MS;

/**
 * Runs the configured signal source over every symbol once, before the replay. Built-in
 * indicator signals are causal (value i uses bars 0..i), so precomputing them is the same
 * as computing them bar by bar, only faster.
 */
export function buildSignals(config: RunConfig, data: MarketData, inputs: SignalInputs = {}): WarnedSignalSet {
  const signals = config.signals as SignalsConfig;
  if (signals.kind === "predictions") {
    if (inputs.predictions === undefined) throw new Error("buildSignals: the predictions file was not loaded");
    const mapped = predictionSignals(inputs.predictions, data.bars, signals.symbolMap);
    const { unknownSymbols: _names, ...counts } = mapped.stats;
    const warnings = predictionWarnings(mapped.stats, data.bars, signals.file);
    return { bySymbol: mapped.bySymbol, stats: counts, warnings } as WarnedSignalSet;
  }
  if (signals.kind === "module") {
    if (inputs.module === undefined) throw new Error("buildSignals: the strategy module was not loaded");
    if (inputs.module.kind === "orders") {
      // Not an empty signal set: a command that checks or exports signals would report nothing, wrongly.
      throw new StrategyError(
        "a version-2 strategy places orders during the replay and has no signal columns to export",
        inputs.module.file, "run it with exitlab backtest; exitlab lookahead checks its order stream",
      );
    }
    const warnings = checkModuleParams(inputs.module.defaultParams, signals.params, inputs.module.file);
    if (inputs.prepared?.signals) return { ...inputs.prepared.signals, warnings };
    return { ...userModuleSignalSet(inputs.module, data.bars, { ...inputs.module.defaultParams, ...signals.params }), warnings };
  }
  const { kind, ...settings } = signals;
  return builtinSignalSet(kind, data.bars, settings);
}

/**
 * The run's signals in the replay's sparse form, one symbol at a time, so the dense
 * columns of only one symbol exist at once (a 50-symbol minute-bar run stays small).
 */
export function buildSparseSignals(config: RunConfig, data: MarketData, inputs: SignalInputs = {}): WarnedSignalSet {
  if (inputs.precomputed !== undefined) return inputs.precomputed;
  const signals = config.signals as SignalsConfig;
  if (signals.kind === "module" && inputs.module?.kind === "orders") {
    return { bySymbol: new Map(), stats: {}, warnings: checkModuleParams(inputs.module.defaultParams, signals.params, inputs.module.file) };
  }
  if (signals.kind === "predictions" || signals.kind === "module") {
    const dense = buildSignals(config, data, inputs);
    const bySymbol = new Map([...dense.bySymbol].map(([symbol, columns]) => [symbol, asSparseSignals(columns)]));
    return { bySymbol, stats: dense.stats, warnings: [...(dense.warnings ?? []), ...zeroMultiplierWarnings({ bySymbol, stats: {} })] };
  }
  const { kind, ...settings } = signals;
  const bySymbol = new Map<string, SparseSignals>();
  for (const series of data.bars) bySymbol.set(series.symbol, computeBuiltinSparse(kind, series, settings));
  return { bySymbol, stats: {} };
}

/** Signal inputs the caller loads before the run (file and module loading are async). */
export interface SignalInputs {
  readonly predictions?: PredictionRows;
  readonly module?: LoadedSignalModule;
  /**
   * The signals already computed for this data and signal config (a sweep's cells share
   * them: signals depend only on the data and `signals`, never on exits or sizing).
   */
  readonly precomputed?: WarnedSignalSet;
  /** The module already run over this data (`userModuleSignalSetAsync`: prepare and async computeSignals awaited). */
  readonly prepared?: PreparedModule;
}

export function exchangeSettingsOf(config: RunConfig): ExchangeSettings {
  const { brackets, ...exchange } = config.exchange;
  if (brackets === undefined) return { ...exchange, fundingIntervalMs: FUNDING_INTERVAL_MS };
  return {
    ...exchange, fundingIntervalMs: FUNDING_INTERVAL_MS,
    brackets: loadBracketsSync(brackets), capLeverageToBracket: config.risk.capLeverageToBracket === true,
  };
}

/** The mathematician's settings: its config section plus the risk keys the seed's env vars set. */
export function mathematicianSettingsOf(config: RunConfig): MathematicianSettings {
  const sizing = config.sizing;
  const fromSizing = sizing.kind === "math" || sizing.kind === "rl"
    ? {
      mode: sizing.kind === "rl" ? sizing.mathematicianMode : sizing.mode,
      minPositionUsd: sizing.minPositionUsd,
      maxPositionUsd: sizing.maxPositionUsd,
    }
    : {};
  return {
    ...DEFAULT_MATHEMATICIAN_SETTINGS,
    ...fromSizing,
    riskPerTradePct: config.risk.riskPerTradePct,
    kelly: { ...DEFAULT_KELLY_SETTINGS, safetyCap: config.risk.maxLeverage },
  };
}

export function rlAgentSettingsOf(config: RunConfig): RlAgentSettings | null {
  const sizing = config.sizing;
  if (sizing.kind !== "rl") return null;
  return {
    ...DEFAULT_RL_AGENT_SETTINGS,
    mode: sizing.mode,
    explorationRate: sizing.explorationRate,
    learningRate: sizing.learningRate,
    reward: sizing.reward === "return-on-margin"
      ? { kind: "return-on-margin" }
      : { kind: "pnl-over-initial-balance", initialBalanceUsd: config.initialBalance },
    actions: {
      ...DEFAULT_RL_ACTION_SETTINGS,
      leverageSource: sizing.leverageActions ? "action" : "kelly",
      tpSlSource: sizing.styleActions ? "action" : "mathematician",
    },
  };
}

/** Which market inputs the run's exits and sizing read (the others are not computed). */
function marketInputNeedsOf(config: RunConfig): MarketInputNeeds {
  const mathematician = config.sizing.kind === "math" || config.sizing.kind === "rl" || config.exits.kind === "math";
  return {
    atr: mathematician || config.exits.kind === "ai" || config.exits.kind === "lsf",
    reference: config.exits.kind === "ai",
    trend: mathematician,
    daily: mathematician,
  };
}

/** Per-run state the caller may want after the run (the RL agent, to save its Q-table). */
export interface RunExtras {
  readonly agent: RlSizingAgent | null;
  readonly sizer: Sizer | null;
}

/** Turns a resolved configuration into the engine's input: settings plus pure sizing and exit functions. */
export function buildRunInput(
  config: RunConfig, data: MarketData, signals: SignalSet, agent: RlSizingAgent | null = null, module?: LoadedSignalModule,
  prepared?: { readonly states: ReadonlyMap<string, Record<string, unknown>>; readonly market: readonly BarSeries[] },
): { input: RunInput; extras: RunExtras } {
  const orders = module?.kind === "orders";
  if (orders && module?.module.prepare !== undefined && prepared === undefined) {
    throw new StrategyError("the strategy module exports prepare, which is awaited before the replay: run it through userModuleSignalSetAsync (every exitlab command does)", module.file);
  }
  if (!orders && config.execution?.sizingReference === "fill") {
    throw new ConfigError("sizingReference \"fill\" applies to the fraction-sized orders of a version-2 strategy module; signals are sized at the decision", "execution.sizingReference");
  }
  // A version-2 strategy may decide at any bar, so its market inputs exist at every bar.
  const needs = orders ? { atr: true, reference: true, trend: true, daily: true } : marketInputNeedsOf(config);
  const marketInputs = new Map<string, MarketInputsAtSignals>();
  if (needs.atr || needs.trend || needs.daily) {
    for (const series of data.bars) {
      if (orders) {
        marketInputs.set(series.symbol, marketInputsAtSignals(series, everyBar(series.length), needs));
        continue;
      }
      const given = signals.bySymbol.get(series.symbol);
      if (given !== undefined) marketInputs.set(series.symbol, sharedMarketInputs(signals, series, given, needs));
    }
  }
  const inputsAt = (symbol: string, barIndex: number) => marketInputsAt(marketInputs.get(symbol), barIndex);
  const marketAt = (context: DecisionContext): MarketConditions => {
    const at = inputsAt(context.symbol, context.barIndex);
    return { atrPct: at.atrPct, dailyVolatility: at.dailyVolatility, trendStrength: at.trendStrength, liquidityScore: 1 };
  };
  const mathSettings = mathematicianSettingsOf(config);
  const sizing = config.sizing;
  const scope = sizing.kind === "math" || sizing.kind === "rl" ? sizing.performanceScope : "symbol";
  let sizer: Sizer | null = null;
  let runAgent: RlSizingAgent | null = null;
  if (sizing.kind === "math") sizer = createMathematicianSizer(marketAt, mathSettings, scope);
  if (sizing.kind === "rl") {
    runAgent = agent ?? new RlSizingAgent(rlAgentSettingsOf(config) as RlAgentSettings, config.seed);
    sizer = createRlSizer(runAgent, marketAt, mathSettings, scope);
  }
  const tracker = new PerformanceTracker();
  const plannerInputs = {
    marketInputsAt: inputsAt,
    funding: data.funding,
    constantFundingRate: config.exchange.fundingRate,
    // Math exits with another sizing still take the mathematician's levels for the signal.
    mathematicianLevels: (context: DecisionContext) => sizeWithMathematician({
      account: accountSnapshotOf(context),
      market: marketAt(context),
      performance: tracker.performanceOf(context.closedTrades, scope === "symbol" ? context.symbol : null),
      confidence: context.confidence,
    }, mathSettings),
  };
  const planExit = createExitPlanner(config.exits, plannerInputs);
  const plannersByKind = new Map<string, ReturnType<typeof createExitPlanner>>();
  const planExitOfKind = (kind: string, context: DecisionContext, sized: SizingDecision) => {
    let planner = plannersByKind.get(kind);
    if (planner === undefined) {
      const parsed = exitsSchema.safeParse({ kind });
      if (!parsed.success) throw new StrategyError(`exits: { plan: ${JSON.stringify(kind)} } is not an exit plan`, context.symbol, `use one of ${EXIT_KINDS.join(", ")}`);
      planner = createExitPlanner(parsed.data, plannerInputs);
      plannersByKind.set(kind, planner);
    }
    return planner(context, sized);
  };
  const input: RunInput = {
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
    capLeverageToStop: config.risk.capLeverageToStop,
    sizeEntry: sizer !== null ? sizer.sizeEntry : (context) => (sizing.kind === "math" || sizing.kind === "rl" ? null : sizeBaseline(sizing, context)),
    planExit,
    ...(config.execution === undefined ? {} : { execution: config.execution }),
    ...(orders && module !== undefined ? {
      strategy: createOrderStrategy(module, data.bars, prepared?.states, prepared?.market),
      strategyParams: Object.freeze({ ...module.defaultParams, ...(config.signals.kind === "module" ? config.signals.params : {}) }),
      planExitOfKind,
    } : {}),
  };
  return { input, extras: { agent: runAgent, sizer } };
}

/** Times one step of a run (the CLI's `EXITLAB_TIMINGS`); the default just runs it. */
export type TimePhase = <T>(phase: string, work: () => T) => T;

const UNTIMED: TimePhase = (_phase, work) => work();

/** The library entry: a resolved configuration and loaded data in, a run result out. */
export function runConfiguredBacktest(
  config: RunConfig, data: LoadedMarketData, inputs: SignalInputs = {}, agent: RlSizingAgent | null = null,
  onProgress?: (done: number, total: number) => void, timePhase: TimePhase = UNTIMED, traceLevels = false,
): { result: RunResult; signals: SignalSet; extras: RunExtras; warnings: RunWarning[] } {
  const signals = timePhase("signals", () => buildSparseSignals(config, data, inputs));
  const symbolWarnings = checkSymbolAllowlist(config, data);
  const { input, extras } = timePhase("market inputs", () => buildRunInput(config, data, signals, agent, inputs.module, inputs.prepared));
  const result = timePhase("replay", () => runBacktest({ ...input, ...(onProgress === undefined ? {} : { onProgress }), traceLevels }));
  assertFiniteMoney(result);
  // The last trades' outcomes reach the RL agent before anyone saves its Q-table.
  extras.sizer?.recordClosedTrades(result.trades);
  const warnings = [
    ...(data.warnings ?? []), ...(signals.warnings ?? []), ...symbolWarnings, ...leverageWarnings(config, result), ...liquidationWarnings(config, data, result),
    ...untrainedStateWarnings(extras.agent?.choiceCounts), ...engineWarnings(result.warnings),
  ];
  return { result, signals, extras, warnings };
}

/** A sparse signal set with a signal at every bar: where a version-2 strategy's market inputs are computed. */
function everyBar(length: number): SparseSignals {
  return {
    sparse: true, length, index: Int32Array.from({ length }, (_, i) => i), action: new Int8Array(length).fill(1),
    confidence: new Float64Array(length).fill(NaN), score: new Float64Array(length).fill(NaN), sizeMultiplier: new Float64Array(length).fill(NaN),
  };
}

import { performance } from "node:perf_hooks";
import { generateSynthBars } from "../data/index.js";
import { ReplayBuffers, runBacktest, withReplayBuffers, type MarketData } from "../engine/index.js";
import { computeExitStats } from "../reports/exitStats.js";
import { computeStats } from "../reports/stats.js";
import { buildRunInput, buildSparseSignals } from "../strategies/buildRun.js";
import { configSchema } from "../strategies/config.js";

/** One scenario's figures, as printed and as written to results.json. */
export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  readonly bars: number;
  readonly phasesMs: Record<string, number>;
  readonly replayMs: number;
  readonly replayFastestMs: number;
  readonly replayColdMs: number;
  /** Median warm replay writing into column buffers reused from run to run, as a sweep thread's cells do. */
  readonly replayReusedMs?: number;
  readonly repeats: number;
  readonly trades: number;
  readonly fills: number;
  readonly reconciliationError: number;
  readonly peakRssMb: number;
}

const BARS = Number(process.env.EXITLAB_BENCH_BARS ?? 1_000_000);
const WARMUP = 3;
const REPEATS = 7;

export function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

/** Scenarios (a) and (b): one seeded synthetic symbol of 1h bars, a constant funding rate. */
export function runSingleSymbolScenario(name: string, overrides: Record<string, unknown>): ScenarioResult {
  const config = configSchema.parse({ exchange: { fundingRate: 0.0001 }, ...overrides });
  const synth = timed(() => generateSynthBars({ symbol: "SYNTHUSDT", bars: BARS, seed: 42 }));
  const data: MarketData = { bars: [synth.value], funding: new Map(), fingerprint: [] };
  const signals = timed(() => buildSparseSignals(config, data));
  // Building the input computes the market-input columns the plan and sizing need.
  const inputs = timed(() => buildRunInput(config, data, signals.value).input);
  // The first (cold) replay includes JIT compilation — what a one-off CLI run sees; the
  // headline is the median of the repeats after a few warm-up runs. Each repeat builds a
  // fresh input, so stateful sizing (performance trackers) starts from scratch.
  const cold = timed(() => runBacktest(inputs.value));
  for (let i = 1; i < WARMUP; i++) runBacktest(buildRunInput(config, data, signals.value).input);
  const times: number[] = [];
  let result = cold.value;
  for (let i = 0; i < REPEATS; i++) {
    const input = buildRunInput(config, data, signals.value).input;
    const replay = timed(() => runBacktest(input));
    times.push(replay.ms);
    result = replay.value;
  }
  times.sort((a, b) => a - b);
  // Then the same repeats into reused column buffers (engine/replayBuffers.ts), as a sweep
  // thread's cells run: the replay without the page faults of fresh equity columns.
  const buffers = new ReplayBuffers();
  const reused: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const input = buildRunInput(config, data, signals.value).input;
    reused.push(timed(() => withReplayBuffers(buffers, () => runBacktest(input))).ms);
  }
  reused.sort((a, b) => a - b);
  const reports = timed(() => {
    computeStats({
      trades: result.trades, equity: result.equity, timeframeMs: result.timeframeMs, initialBalance: config.initialBalance,
      account: result.account, counters: result.counters, fills: result.fills,
    });
    return computeExitStats(result.trades, result.fills);
  });
  return {
    name,
    description: `${BARS.toLocaleString("en-US")} bars, 1 symbol, ${config.signals.kind} signals, ${config.sizing.kind} sizing, ${config.exits.kind} exits, funding`,
    bars: BARS,
    phasesMs: { "load (synth)": synth.ms, indicators: signals.ms + inputs.ms, "replay (warm)": times[REPEATS >> 1], reports: reports.ms },
    replayMs: times[REPEATS >> 1],
    replayFastestMs: times[0],
    replayColdMs: cold.ms,
    replayReusedMs: reused[REPEATS >> 1],
    repeats: REPEATS,
    trades: result.trades.length,
    fills: result.fills.length,
    reconciliationError: result.account.reconciliationError,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

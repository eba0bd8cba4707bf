/**
 * `npm run bench`: replays 1,000,000 seeded synthetic bars of one symbol with EMA-cross
 * signals, fixed-fraction sizing and static exits, and prints bars/second per phase and
 * the peak resident memory. A measurement, not a test: nothing here fails on a slow machine.
 */
import { performance } from "node:perf_hooks";
import { generateSynthBars } from "../data/index.js";
import { runBacktest, type MarketData } from "../engine/index.js";
import { computeStats } from "../reports/stats.js";
import { buildRunInput, buildSignals } from "../strategies/buildRun.js";
import { configSchema } from "../strategies/config.js";

const BARS = Number(process.env.EXITLAB_BENCH_BARS ?? 1_000_000);
const WARMUP = 3;
const REPEATS = 7;

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const config = configSchema.parse({ exchange: { fundingRate: 0.0001 }, sizing: { kind: "fixed-fraction", fraction: 0.1, leverage: 3 } });
const synth = timed(() => generateSynthBars({ symbol: "SYNTHUSDT", bars: BARS, seed: 42 }));
const data: MarketData = { bars: [synth.value], funding: new Map(), fingerprint: [] };
const indicators = timed(() => buildSignals(config, data));
const { input } = buildRunInput(config, data, indicators.value);

// The first (cold) replay includes JIT compilation — what a one-off CLI run sees; the
// headline figure is the median of the repeats after a few warm-up runs.
const cold = timed(() => runBacktest(input));
for (let i = 1; i < WARMUP; i++) runBacktest(input);
const replayTimes: number[] = [];
let result = cold.value;
for (let i = 0; i < REPEATS; i++) {
  const replay = timed(() => runBacktest(input));
  replayTimes.push(replay.ms);
  result = replay.value;
}
replayTimes.sort((a, b) => a - b);
const replayMs = replayTimes[Math.floor(REPEATS / 2)];
const stats = timed(() => computeStats({
  trades: result.trades, equity: result.equity, timeframeMs: result.timeframeMs, initialBalance: config.initialBalance,
  account: result.account, counters: result.counters, fills: result.fills,
}));

const rate = (ms: number) => Math.round(BARS / (ms / 1000)).toLocaleString("en-US");
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write([
  `exitlab bench — ${BARS.toLocaleString("en-US")} bars, 1 symbol, EMA-cross signals, fixed fraction 3×, static exits (SL 3 %, TP 5 %), funding`,
  `  synth data    ${synth.ms.toFixed(1).padStart(8)} ms`,
  `  indicators    ${indicators.ms.toFixed(1).padStart(8)} ms`,
  `  replay        ${replayMs.toFixed(1).padStart(8)} ms   ${rate(replayMs)} bars/s (warm median of ${REPEATS}, fastest ${rate(replayTimes[0])})`,
  `  replay, cold  ${cold.ms.toFixed(1).padStart(8)} ms   ${rate(cold.ms)} bars/s (first run, JIT compiling)`,
  `  stats         ${stats.ms.toFixed(1).padStart(8)} ms`,
  `  trades ${result.trades.length}  fills ${result.fills.length}  reconciliation error ${result.account.reconciliationError.toExponential(2)}`,
  `  peak RSS      ${peakRssMb.toFixed(0)} MB`,
  "",
].join("\n"));

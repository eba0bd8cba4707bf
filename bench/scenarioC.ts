/**
 * Scenario (c): 50 symbols × one year of 1-minute bars (≈ 26 million bars), ai exits,
 * end to end from the columnar cache: load, indicators and signals, replay, reports.
 *
 * The data (seeded synthetic CSVs, ~2.6 GB) is written once into `.exitlab-bench/` and
 * parsed once into the cache; the measured run is a fresh process (`node
 * dist/bench/scenarioC.js --measure`), so its peak RSS is the run's own.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { generateSynthBars, loadMarketData, writeBarsCsv } from "../data/index.js";
import { computeExitStats } from "../reports/exitStats.js";
import { computeStats } from "../reports/stats.js";
import { runConfiguredBacktest } from "../strategies/buildRun.js";
import { configSchema } from "../strategies/config.js";
import type { ScenarioResult } from "./singleSymbol.js";

const SYMBOLS = 50;
const MINUTES_PER_YEAR = 525_600;
const DATA_DIR = join(".exitlab-bench", `minute-${SYMBOLS}`);
const CACHE_DIR = join(".exitlab-bench", "cache");

const config = configSchema.parse({
  data: { paths: [DATA_DIR] },
  signals: { kind: "ema-cross", fastPeriod: 60, slowPeriod: 240, atrPeriod: 14 },
  sizing: { kind: "fixed-fraction", fraction: 0.02, leverage: 3 },
  exits: { kind: "ai" },
  gates: { maxOpenPositions: 50 },
  exchange: { fundingRate: 0.0001 },
});

/** Writes the data set and fills the cache if either is missing; then measures in a fresh process. */
export async function runScenarioC(): Promise<ScenarioResult> {
  if (!existsSync(join(DATA_DIR, `S${SYMBOLS - 1}USDT.csv`))) {
    process.stdout.write(`(c) writing ${SYMBOLS} × ${MINUTES_PER_YEAR} one-minute bars to ${DATA_DIR} (once)…\n`);
    mkdirSync(DATA_DIR, { recursive: true });
    for (let s = 0; s < SYMBOLS; s++) {
      const series = generateSynthBars({ symbol: `S${s}USDT`, bars: MINUTES_PER_YEAR, seed: 1000 + s, timeframeMs: 60_000 });
      writeBarsCsv(series, join(DATA_DIR, `S${s}USDT.csv`));
    }
  }
  // Fills the cache (a no-op when it is already filled).
  await loadMarketData({ paths: [DATA_DIR], cache: { dir: CACHE_DIR } });
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [script, "--measure"], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`scenario (c) failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ScenarioResult;
}

async function measure(): Promise<ScenarioResult> {
  const started = performance.now();
  const data = await loadMarketData({ paths: config.data.paths, cache: { dir: CACHE_DIR } });
  const loaded = performance.now();
  let bars = 0;
  for (const series of data.bars) bars += series.length;
  // Signals, market inputs and the replay run inside runConfiguredBacktest; the replay's
  // own share is taken from its progress callback's first and last call.
  let replayStart = 0;
  const { result } = runConfiguredBacktest(config, data, {}, null, (done) => {
    if (replayStart === 0 && done > 0) replayStart = performance.now();
  });
  const replayed = performance.now();
  const stats = computeStats({
    trades: result.trades, equity: result.equity, timeframeMs: result.timeframeMs, initialBalance: config.initialBalance,
    account: result.account, counters: result.counters, fills: result.fills,
  });
  computeExitStats(result.trades, result.fills);
  const reported = performance.now();
  // The first progress call comes after 65 536 timestamps; scale that share back in.
  const timestamps = result.equity.length;
  const replayMs = replayStart === 0 ? replayed - loaded : (replayed - replayStart) * (timestamps / Math.max(1, timestamps - 0x10000));
  return {
    name: "c",
    description: `${SYMBOLS} symbols × ${MINUTES_PER_YEAR.toLocaleString("en-US")} 1m bars, ema-cross 60/240, fixed fraction 3×, ai exits, from the Arrow cache (fresh process)`,
    bars,
    phasesMs: {
      "load (cache)": loaded - started,
      "indicators+signals": replayed - loaded - replayMs,
      replay: replayMs,
      reports: reported - replayed,
      "end to end": reported - started,
    },
    replayMs,
    replayFastestMs: replayMs,
    replayColdMs: replayMs,
    repeats: 1,
    trades: stats.tradeCount,
    fills: result.fills.length,
    reconciliationError: result.account.reconciliationError,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

if (process.argv.includes("--measure")) process.stdout.write(JSON.stringify(await measure()));

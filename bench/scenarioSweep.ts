/**
 * Scenario (s): `exitlab sweep` on 1 worker thread and on 2 — the parallel speed-up, and
 * whether both give the same table. Grids of trailing distance × activation × stop loss ×
 * leverage over 2 seeded synthetic symbols × 1,000,000 1h bars, harvest exits (staged TP +
 * trailing stop), at two sizes: 16 cells (~7 s on one worker, where the ~0.6 s of start-up
 * and data loading no worker count can shorten weighs) and 64 cells (~25 s on one worker).
 *
 * Each sweep runs in a fresh process through the real CLI (`bin/exitlab.js`), from the
 * columnar cache, so the figure is what a user sees: pool start-up, shared data, cells,
 * table. The data is written once into `.exitlab-bench/sweep/`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generateSynthBars, writeBarsCsv } from "../data/index.js";

const SYMBOLS = 2;
const BARS = 1_000_000;
const ROOT = join(".exitlab-bench", "sweep");
const DATA_DIR = join(ROOT, "data");
const REPEATS = 3;

export interface SweepScenarioResult {
  readonly name: "s16" | "s64";
  readonly description: string;
  readonly cells: number;
  readonly barsPerCell: number;
  /** Median wall time over the repeats, per worker count. */
  readonly wallMs: Record<string, number>;
  readonly allWallMs: Record<string, number[]>;
  readonly speedup: number;
  readonly identicalTables: boolean;
}

const GRIDS = {
  s16: {
    "exits.trailing.distancePct": [0.01, 0.02],
    "exits.trailing.activationPct": [0.03, 0.05],
    "exits.stopLossPct": [0.02, 0.04],
    "sizing.leverage": [2, 5],
  },
  s64: {
    "exits.trailing.distancePct": [0.01, 0.015, 0.02, 0.025],
    "exits.trailing.activationPct": [0.03, 0.05],
    "exits.stopLossPct": [0.02, 0.03, 0.04, 0.05],
    "sizing.leverage": [2, 5],
  },
} as const;

const BASE_CONFIG = {
  data: { paths: [DATA_DIR] },
  signals: { kind: "ema-cross" },
  sizing: { kind: "fixed-fraction", fraction: 0.1, leverage: 3 },
  exits: { kind: "harvest" },
  exchange: { fundingRate: 0.0001 },
};

export function runSweepScenarios(): SweepScenarioResult[] {
  if (!existsSync(join(DATA_DIR, `S${SYMBOLS - 1}USDT.csv`))) {
    mkdirSync(DATA_DIR, { recursive: true });
    for (let s = 0; s < SYMBOLS; s++) {
      writeBarsCsv(generateSynthBars({ symbol: `S${s}USDT`, bars: BARS, seed: 500 + s }), join(DATA_DIR, `S${s}USDT.csv`));
    }
  }
  writeFileSync(join(ROOT, "config.json"), JSON.stringify(BASE_CONFIG));
  return (["s16", "s64"] as const).map(runGrid);
}

function runGrid(name: "s16" | "s64"): SweepScenarioResult {
  const gridFile = join(ROOT, `${name}.json`);
  writeFileSync(gridFile, JSON.stringify({ grid: GRIDS[name], metric: "sharpeRatio", direction: "max" }));
  const cells = Object.values(GRIDS[name]).reduce((count, values) => count * values.length, 1);
  const wall: Record<string, number[]> = { 1: [], 2: [] };
  const tables: Record<string, string> = {};
  // Warm the cache and the disk once, then alternate 1 and 2 workers so drift hits both.
  sweep(gridFile, 1, "warm");
  for (let r = 0; r < REPEATS; r++) {
    for (const workers of [1, 2]) {
      const out = `w${workers}`;
      wall[workers].push(sweep(gridFile, workers, out));
      tables[workers] = readFileSync(join(ROOT, out, "sweep.csv"), "utf8");
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const wallMs = { 1: median(wall[1]), 2: median(wall[2]) };
  return {
    name,
    description: `exitlab sweep, ${cells} cells × ${SYMBOLS} symbols × ${BARS.toLocaleString("en-US")} 1h bars (harvest: staged TP + trailing), 1 vs 2 worker threads, from the cache`,
    cells,
    barsPerCell: SYMBOLS * BARS,
    wallMs,
    allWallMs: wall,
    speedup: wallMs[1] / wallMs[2],
    identicalTables: tables[1] === tables[2],
  };
}

function sweep(gridFile: string, workers: number, out: string): number {
  const folder = join(ROOT, out);
  rmSync(folder, { recursive: true, force: true });
  const started = performance.now();
  const child = spawnSync(process.execPath, [
    "bin/exitlab.js", "sweep", "--grid", gridFile, "--config", join(ROOT, "config.json"),
    "--workers", String(workers), "--out", folder,
  ], { encoding: "utf8", maxBuffer: 1 << 24 });
  const elapsed = performance.now() - started;
  if (child.status !== 0) throw new Error(`sweep scenario failed (${workers} workers): ${child.stderr}`);
  return elapsed;
}

export function formatSweepResult(result: SweepScenarioResult): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `(${result.name}) ${result.description}`,
    `  1 worker   ${seconds(result.wallMs[1]).padStart(9)}  (runs: ${result.allWallMs[1].map(seconds).join(", ")})`,
    `  2 workers  ${seconds(result.wallMs[2]).padStart(9)}  (runs: ${result.allWallMs[2].map(seconds).join(", ")})`,
    `  speed-up   ${result.speedup.toFixed(2)}×   tables identical: ${result.identicalTables ? "yes" : "NO"}`,
    "",
  ].join("\n");
}

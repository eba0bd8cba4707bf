/**
 * End-to-end scenarios: what a user waits for. Each run is a fresh `node bin/exitlab.js …`
 * process (cold: Node's start, module loading, data load from the columnar cache, signals,
 * replay, statistics, every output file), timed from outside (wall) and split into phases
 * by the CLI itself (`EXITLAB_TIMINGS=json`, cli/timings.ts), which also reports the
 * process's peak RSS. One unmeasured run first fills the data cache; then `REPEATS` runs,
 * the scenarios interleaved so that a drift in the machine's load hits each alike. Figures
 * are medians with the range of the runs.
 *
 *   peer      the issue-19 peer workload: 200,000 1-minute bars, a user module computing the
 *             SMA(10)/SMA(30) cross, spot, fixed quantity 1, no fees, SL/TP off, close on the
 *             opposite signal (as backtesting.py runs it), into a new folder
 *   rerun     the same, into the folder of its previous run (what a user does all day: the
 *             earlier run's files are proven exitlab's before they are replaced)
 *   m1        1 symbol × 1,000,000 1-minute bars, EMA cross, static exits
 *   ai2m      2,000,000 1-minute bars, ai exits, math sizing
 *   compare   `exitlab compare` of static, ai and lsf (× 3 intrabar paths) on the peer data
 *   sweep64   `exitlab sweep` of 64 cells (harvest exits) on the peer data, 2 workers
 *
 * The data is written once with `exitlab data synth` into `.exitlab-bench/e2e/`.
 *
 * Each round also times a bare `node -e 0` (Node's own start and exit, the floor under every
 * cold command), interleaved with the scenarios: this VM's speed varies about twofold from day
 * to day (`node -e 0` 50–60 ms on quiet days, 90–130 ms on slow ones), and that figure says
 * which kind of day a table comes from.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = join(".exitlab-bench", "e2e");
const REPEATS = Number(process.env.EXITLAB_BENCH_E2E_REPEATS ?? 5);

export const END_TO_END_SCENARIOS = ["peer", "rerun", "m1", "ai2m", "compare", "sweep64"] as const;
export type EndToEndName = (typeof END_TO_END_SCENARIOS)[number];

interface Scenario {
  readonly name: EndToEndName;
  readonly description: string;
  readonly args: readonly string[];
  /** Run into the folder of the previous run instead of a new one. */
  readonly rerun?: boolean;
}

/** Wall time of a bare `node -e 0`, ms: median and range over the rounds. */
export interface NodeStartResult {
  readonly runs: number;
  readonly wallMs: { readonly median: number; readonly min: number; readonly max: number };
}

/** What `runEndToEndScenarios` measured: the machine's reference and each scenario. */
export interface EndToEndRun {
  readonly nodeStart: NodeStartResult;
  readonly scenarios: EndToEndResult[];
}

export interface EndToEndResult {
  readonly name: EndToEndName;
  readonly description: string;
  readonly runs: number;
  readonly wallMs: { readonly median: number; readonly min: number; readonly max: number };
  readonly peakRssMb: { readonly median: number; readonly max: number };
  /** Median of each phase over the runs, ms, in the CLI's order. */
  readonly phasesMs: Record<string, number>;
  /** Median time of each file the output thread wrote, alongside the phases. */
  readonly elsewhereMs: Record<string, number>;
  /** Median minor page faults of the process in each phase (cli/timings.ts). */
  readonly pageFaults: Record<string, number>;
}

const PEER_CONFIG = { gates: { cooldownMinutes: 0, duplicateTtlMinutes: 0, minConfidence: 0, onOpposite: "close" } };
const SWEEP_GRID = {
  grid: {
    "exits.trailing.distancePct": [0.01, 0.015, 0.02, 0.025],
    "exits.trailing.activationPct": [0.03, 0.05],
    "exits.stopLossPct": [0.02, 0.03, 0.04, 0.05],
    "sizing.leverage": [2, 5],
  },
  metric: "sharpeRatio",
  direction: "max",
};

function scenarios(): Scenario[] {
  const peerData = dataOf("peer", 200_000, 1);
  const peer = [
    "--data", peerData, "--config", join(ROOT, "peer.json"), "--signals", "strategies/signals/examples/smaCross.mjs",
    "--market", "spot", "--sizing", "quantity", "--quantity", "1", "--taker-fee", "0", "--maker-fee", "0", "--sl", "off", "--tp", "off",
  ];
  return [
    { name: "peer", description: "200,000 1m bars, SMA(10/30) cross module, spot, quantity 1, no fees, SL/TP off, close on the opposite signal", args: ["backtest", ...peer] },
    { name: "rerun", description: "the peer workload again into the folder of its previous run", args: ["backtest", ...peer], rerun: true },
    { name: "m1", description: "1 symbol × 1,000,000 1m bars, ema-cross, static exits", args: ["backtest", "--data", dataOf("m1", 1_000_000, 2)] },
    { name: "ai2m", description: "2,000,000 1m bars, ai exits, math sizing", args: ["backtest", "--data", dataOf("ai2m", 2_000_000, 3), "--exit", "ai", "--sizing", "math"] },
    { name: "compare", description: "compare static, ai, lsf × 3 intrabar paths (9 runs) on the 200,000-bar peer data", args: ["compare", "--data", peerData, "--plans", "static,ai,lsf"] },
    {
      name: "sweep64", description: "sweep of 64 cells (harvest exits, trailing × activation × SL × leverage) on the peer data, 2 workers",
      args: ["sweep", "--grid", join(ROOT, "sweep64.json"), "--data", peerData, "--exit", "harvest", "--workers", "2"],
    },
  ];
}

/** A folder with one synthetic symbol of 1-minute bars, written once through the CLI. */
function dataOf(name: string, bars: number, seed: number): string {
  const folder = join(ROOT, name);
  if (!existsSync(join(folder, "SYNTHUSDT.csv"))) {
    const made = spawnSync(process.execPath, ["bin/exitlab.js", "data", "synth", "--bars", String(bars), "--timeframe", "1m", "--symbols", "SYNTHUSDT", "--seed", String(seed), "--out", folder], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`exitlab data synth failed: ${made.stderr}`);
  }
  return folder;
}

interface OneRun {
  readonly wallMs: number;
  readonly phases: Record<string, number>;
  /** Work done on the output thread at the same time as the phases (EXITLAB_TIMINGS's "elsewhere"). */
  readonly elsewhere: Record<string, number>;
  readonly pageFaults: Record<string, number>;
  readonly peakRssMb: number;
}

function runOnce(scenario: Scenario, out: string): OneRun {
  if (scenario.rerun !== true) rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  const child = spawnSync(process.execPath, ["bin/exitlab.js", ...scenario.args, "--out", out, "--quiet"], {
    encoding: "utf8", env: { ...process.env, EXITLAB_TIMINGS: "json" }, maxBuffer: 1 << 26,
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`${scenario.name}: exit ${child.status}\n${child.stderr}`);
  const line = child.stderr.split("\n").find((text) => text.startsWith("exitlab timings "));
  if (line === undefined) throw new Error(`${scenario.name}: no timings on stderr\n${child.stderr}`);
  const report = JSON.parse(line.slice("exitlab timings ".length)) as {
    phases: Record<string, number>; elsewhere?: Record<string, number>; pageFaults: Record<string, number>; peakRssMb: number;
  };
  return { wallMs, phases: report.phases, elsewhere: report.elsewhere ?? {}, pageFaults: report.pageFaults, peakRssMb: report.peakRssMb };
}

/** A bare `node -e 0`, wall ms. */
function nodeStartOnce(): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, ["-e", "0"]);
  if (child.status !== 0) throw new Error(`node -e 0: exit ${child.status}`);
  return performance.now() - started;
}

export function runEndToEndScenarios(names: readonly EndToEndName[]): EndToEndRun {
  mkdirSync(ROOT, { recursive: true });
  writeFileSync(join(ROOT, "peer.json"), JSON.stringify(PEER_CONFIG));
  writeFileSync(join(ROOT, "sweep64.json"), JSON.stringify(SWEEP_GRID));
  const chosen = scenarios().filter((scenario) => names.includes(scenario.name));
  const runs = new Map<EndToEndName, OneRun[]>(chosen.map((scenario) => [scenario.name, []]));
  for (const scenario of chosen) runOnce(scenario, join(ROOT, "out", scenario.name)); // fills the data cache
  const nodeStarts: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    nodeStarts.push(nodeStartOnce());
    for (const scenario of chosen) runs.get(scenario.name)!.push(runOnce(scenario, join(ROOT, "out", scenario.name)));
  }
  return {
    nodeStart: { runs: nodeStarts.length, wallMs: { median: median(nodeStarts), min: Math.min(...nodeStarts), max: Math.max(...nodeStarts) } },
    scenarios: chosen.map((scenario) => summarise(scenario, runs.get(scenario.name)!)),
  };
}

/** The line that says what kind of day the end-to-end figures come from. */
export function formatNodeStart(result: NodeStartResult): string {
  const { median: middle, min, max } = result.wallMs;
  return `(node) a bare \`node -e 0\`, interleaved with the scenarios: ${middle.toFixed(0)} ms median of ${result.runs} (${min.toFixed(0)}–${max.toFixed(0)} ms)`
    + " — Node's own start and exit on this machine now; 50–60 ms on its quiet days\n";
}

/** The peer workload's `exitlab backtest` arguments (without `--out`), its data written if missing (bench/pageOpen.ts opens its page). */
export function peerBacktestArgs(): string[] {
  mkdirSync(ROOT, { recursive: true });
  writeFileSync(join(ROOT, "peer.json"), JSON.stringify(PEER_CONFIG));
  return [...scenarios().find((scenario) => scenario.name === "peer")!.args];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarise(scenario: Scenario, runs: readonly OneRun[]): EndToEndResult {
  const walls = runs.map((run) => run.wallMs);
  const medians = (of: (run: OneRun) => Record<string, number>): Record<string, number> => {
    const names = [...new Set(runs.flatMap((run) => Object.keys(of(run))))];
    return Object.fromEntries(names.map((name) => [name, median(runs.map((run) => of(run)[name] ?? 0))]));
  };
  const rss = runs.map((run) => run.peakRssMb);
  return {
    name: scenario.name, description: scenario.description, runs: runs.length,
    wallMs: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) },
    peakRssMb: { median: median(rss), max: Math.max(...rss) },
    phasesMs: medians((run) => run.phases),
    elsewhereMs: medians((run) => run.elsewhere),
    pageFaults: medians((run) => run.pageFaults),
  };
}

/** The printed block: wall time and RSS, then each phase with its share of the process and its page faults. */
export function formatEndToEndResult(result: EndToEndResult): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const lines = [
    `(${result.name}) ${result.description} — whole process, cold`,
    `  wall ${seconds(result.wallMs.median)} s median of ${result.runs} (${seconds(result.wallMs.min)}–${seconds(result.wallMs.max)} s); peak RSS ${result.peakRssMb.median} MB (max ${result.peakRssMb.max})`,
  ];
  const total = result.phasesMs.total ?? 0;
  const faults = (phase: string): string => (result.pageFaults[phase] === undefined ? "" : `${String(result.pageFaults[phase]).padStart(8)} page faults`);
  for (const [phase, ms] of Object.entries(result.phasesMs)) {
    if (phase === "total") continue;
    lines.push(`  ${phase.padEnd(20)} ${ms.toFixed(1).padStart(9)} ms ${total > 0 ? `${((100 * ms) / total).toFixed(1).padStart(5)} %` : "       "} ${faults(phase)}`.trimEnd());
  }
  lines.push(`  ${"total (in-process)".padEnd(20)} ${total.toFixed(1).padStart(9)} ms         ${faults("total")}`.trimEnd());
  for (const [file, ms] of Object.entries(result.elsewhereMs)) lines.push(`  ${`${file} (own thread)`.padEnd(20)} ${ms.toFixed(1).padStart(9)} ms, at the same time as the phases`);
  // One backtest: its phases before the replay are the wait for the first bar (compare's and a sweep's repeat per run).
  const firstBar = result.name === "compare" || result.name === "sweep64" ? null : firstBarMs(result.phasesMs);
  if (firstBar !== null) lines.push(`  ${"time to first bar".padEnd(20)} ${firstBar.toFixed(1).padStart(9)} ms (every phase before the replay)`);
  return `${lines.join("\n")}\n`;
}

/** Start-up, config, data load, signals and market inputs: the process's time before its replay starts (null without a replay phase). */
function firstBarMs(phases: Record<string, number>): number | null {
  const names = Object.keys(phases);
  const replay = names.indexOf("replay");
  if (replay < 0) return null;
  return names.slice(0, replay).reduce((sum, name) => sum + phases[name], 0);
}

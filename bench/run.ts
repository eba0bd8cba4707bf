/**
 * `npm run bench`: fixed, seeded scenarios printing bars/second, peak RSS and the time of
 * each phase (load, indicators, replay, reports). A measurement, not a test: nothing here
 * fails on a slow machine. Results are also written as JSON (`runs/bench/results.json`) so
 * they can be compared between commits.
 *
 *   (a) 1 symbol × 1,000,000 1h bars, EMA-cross signals, fixed fraction 3×, static exits
 *   (b) the same with the ai plan (trailing + staged TP) and math sizing
 *   (c) 50 symbols × one year of 1-minute bars (≈ 26 million), ai exits, end to end from
 *       the columnar cache in a fresh process — `npm run bench -- c` (writes ~2.6 GB of
 *       synthetic CSV into .exitlab-bench/ the first time)
 *   (s) `exitlab sweep` of 16 and of 64 cells over 2 × 1,000,000 bars on 1 and on 2 worker
 *       threads: the speed-up and whether the tables are identical — `npm run bench -- s`;
 *       then the machine's own two-thread ceiling (bench/twoThreadCeiling.ts) to read it against
 *   (i) data ingest alone (bench/ingest.ts): 1 M bars from a Binance kline CSV, a generic CSV,
 *       .gz, .zip and the columnar cache, each load in a fresh process — `npm run bench -- i`
 *   end to end (bench/endToEnd.ts): whole CLI processes split into phases — `peer` (the
 *       issue-19 workload), `rerun` (the same into its previous folder), `m1`, `ai2m`,
 *       `compare`, `sweep64`; `e` runs all six
 *
 *   page (bench/pageOpen.ts): how long report.html takes to open in chromium — the shipped
 *       sample's page and the peer workload's, interleaved
 *
 * `npm run bench -- a b c s e peer m1 page …` picks scenarios; the default is a, b and peer.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { runScenarioC } from "./scenarioC.js";
import { formatSweepResult, runSweepScenarios, type SweepScenarioResult } from "./scenarioSweep.js";
import { formatCeiling, measureTwoThreadCeiling, type CeilingResult } from "./twoThreadCeiling.js";
import { runSingleSymbolScenario, type ScenarioResult } from "./singleSymbol.js";
import { formatIngestResults, runIngestScenario, type IngestResult } from "./ingest.js";
import { END_TO_END_SCENARIOS, formatEndToEndResult, formatNodeStart, peerBacktestArgs, runEndToEndScenarios, type EndToEndName, type EndToEndRun } from "./endToEnd.js";
import { formatPageOpenResult, runPageOpenBench, type PageOpenResult } from "./pageOpen.js";

const isEndToEnd = (arg: string): arg is EndToEndName => (END_TO_END_SCENARIOS as readonly string[]).includes(arg);
const args = process.argv.slice(2);
const unknown = args.filter((arg) => !/^[abcsei]$/.test(arg) && arg !== "page" && !isEndToEnd(arg));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown scenario ${unknown.join(", ")} (a, b, c, s, i, e, page, ${END_TO_END_SCENARIOS.join(", ")})\n`);
  process.exit(2);
}
const requested = args.length > 0 ? args : ["a", "b", "peer"];
const scenarios = requested.filter((arg) => /^[abcs]$/.test(arg));
const endToEnd = requested.includes("e") ? [...END_TO_END_SCENARIOS] : requested.filter(isEndToEnd);
const results: ScenarioResult[] = [];
let endToEndRun: EndToEndRun | null = null;
const sweeps: SweepScenarioResult[] = [];
let ceiling: CeilingResult[] = [];
let ingest: IngestResult[] = [];
const started = performance.now();

for (const name of scenarios) {
  if (name === "a") results.push(runSingleSymbolScenario("a", { exits: { kind: "static" }, sizing: { kind: "fixed-fraction", fraction: 0.1, leverage: 3 } }));
  if (name === "b") results.push(runSingleSymbolScenario("b", { exits: { kind: "ai" }, sizing: { kind: "math" } }));
  if (name === "c") results.push(await runScenarioC());
  if (name === "s") {
    sweeps.push(...runSweepScenarios());
    ceiling = await measureTwoThreadCeiling();
  }
}

if (requested.includes("i")) ingest = await runIngestScenario();
if (endToEnd.length > 0) endToEndRun = runEndToEndScenarios(endToEnd);
const pages: PageOpenResult[] = requested.includes("page") ? await runPageOpenBench(peerBacktestArgs()) : [];

for (const result of results) process.stdout.write(formatResult(result));
for (const result of sweeps) process.stdout.write(formatSweepResult(result));
if (ceiling.length > 0) process.stdout.write(formatCeiling(ceiling));
if (ingest.length > 0) process.stdout.write(formatIngestResults(ingest));
if (endToEndRun !== null) process.stdout.write(formatNodeStart(endToEndRun.nodeStart));
for (const result of endToEndRun?.scenarios ?? []) process.stdout.write(formatEndToEndResult(result));
for (const result of pages) process.stdout.write(formatPageOpenResult(result));
mkdirSync("runs/bench", { recursive: true });
writeFileSync("runs/bench/results.json", `${JSON.stringify({ node: process.version, results, sweeps, ceiling, ingest, endToEnd: endToEndRun?.scenarios ?? [], nodeStart: endToEndRun?.nodeStart ?? null, pages }, null, 2)}\n`);
process.stdout.write(`peak RSS of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; total ${((performance.now() - started) / 1000).toFixed(1)} s; JSON in runs/bench/results.json\n`);

function formatResult(result: ScenarioResult): string {
  const rate = (ms: number) => Math.round(result.bars / (ms / 1000)).toLocaleString("en-US");
  const lines = [`(${result.name}) ${result.description}`];
  for (const [phase, ms] of Object.entries(result.phasesMs)) lines.push(`  ${phase.padEnd(18)} ${ms.toFixed(1).padStart(9)} ms`);
  lines.push(`  replay            ${rate(result.replayMs).padStart(12)} bars/s warm (median of ${result.repeats}; fastest ${rate(result.replayFastestMs)})`);
  if (result.replayReusedMs !== undefined) lines.push(`  replay, reused    ${rate(result.replayReusedMs).padStart(12)} bars/s warm, column buffers reused as in a sweep (median)`);
  lines.push(`  replay, cold      ${rate(result.replayColdMs).padStart(12)} bars/s (first run, JIT compiling)`);
  lines.push(`  trades ${result.trades}  fills ${result.fills}  reconciliation error ${result.reconciliationError.toExponential(2)}  peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  return `${lines.join("\n")}\n`;
}

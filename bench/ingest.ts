/**
 * Data ingest, isolated (`npm run bench -- i`): 1,000,000 1-minute bars loaded in a fresh
 * process each time (bench/ingestProbe.ts), the load alone timed from inside — wall time and
 * the process's CPU time, since on a shared machine the wall time also counts waiting for a
 * core. Inputs, written once into `.exitlab-bench/ingest/`:
 *
 *   kline     a Binance kline file as downloaded: no header, 12 columns, 2-decimal prices (97 MB)
 *   generic   `exitlab data synth`'s CSV: a header, 6 columns, 17-digit prices (106 MB)
 *   short     the kline's first 6 columns under a header: 2-decimal prices (~56 MB)
 *   gz, zip   the kline file gzipped and zipped (34 MB each)
 *   cache     the generic file's columnar cache entry (48 MB Arrow IPC + its CRC-32 sidecar)
 *
 * The inputs are interleaved run by run, so that a drift in the machine's load hits each
 * alike; figures are medians with the range. `EXITLAB_BENCH_BEFORE=<checkout>` also runs the
 * probe of another checkout (built, with bench/ingestProbe.ts copied in) interleaved with this
 * one, for before/after figures.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { zipSync } from "fflate";

const ROOT = join(".exitlab-bench", "ingest");
const ROWS = 1_000_000;
const REPEATS = Number(process.env.EXITLAB_BENCH_INGEST_REPEATS ?? 5);

interface Input {
  readonly name: string;
  readonly mode: "csv" | "cache";
  readonly file: string;
}

export interface IngestResult {
  readonly build: string;
  readonly input: string;
  readonly runs: number;
  /** Rows per second over the load's wall time: median, slowest, fastest. */
  readonly wallRowsPerS: { readonly median: number; readonly min: number; readonly max: number };
  /** Rows per second over the load's CPU time (user + system, all threads). */
  readonly cpuRowsPerS: { readonly median: number; readonly min: number; readonly max: number };
}

export async function runIngestScenario(): Promise<IngestResult[]> {
  const inputs = await prepareInputs();
  const builds: [string, string][] = [["this", "."]];
  const before = process.env.EXITLAB_BENCH_BEFORE;
  if (before !== undefined && before !== "") builds.unshift(["before", resolve(before)]);
  const cacheDir = join(ROOT, "cache");
  for (const [, root] of builds) probe(root, { name: "fill", mode: "cache", file: inputs[1].file }, cacheDir, true);

  const samples = new Map<string, { wall: number[]; cpu: number[] }>();
  for (let r = 0; r < REPEATS; r++) {
    for (const input of inputs) {
      for (const [build, root] of builds) {
        const { ms, cpuMs } = probe(root, input, cacheDir, false);
        const key = `${build}\t${input.name}`;
        if (!samples.has(key)) samples.set(key, { wall: [], cpu: [] });
        samples.get(key)!.wall.push(ROWS / (ms / 1000));
        samples.get(key)!.cpu.push(ROWS / (cpuMs / 1000));
      }
    }
  }
  return [...samples].map(([key, { wall, cpu }]) => {
    const [build, input] = key.split("\t");
    return { build, input, runs: wall.length, wallRowsPerS: spread(wall), cpuRowsPerS: spread(cpu) };
  });
}

export function formatIngestResults(results: readonly IngestResult[]): string {
  const millions = (value: number) => (value / 1e6).toFixed(2);
  const range = (figure: IngestResult["wallRowsPerS"]) => `${millions(figure.median)} (${millions(figure.min)}–${millions(figure.max)})`;
  const lines = [`(i) ingest of ${ROWS.toLocaleString("en-US")} 1m bars, fresh process each, M rows/s: median (range) of ${results[0]?.runs ?? 0}`];
  for (const result of results) {
    lines.push(`  ${result.build.padEnd(7)} ${result.input.padEnd(8)} wall ${range(result.wallRowsPerS).padEnd(20)} cpu ${range(result.cpuRowsPerS)}`);
  }
  return `${lines.join("\n")}\n`;
}

function probe(root: string, input: Input, cacheDir: string, fill: boolean): { ms: number; cpuMs: number } {
  const mode = fill ? "fill" : input.mode;
  const child = spawnSync(process.execPath, [join(root, "dist", "bench", "ingestProbe.js"), mode, resolve(input.file), resolve(cacheDir)], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`ingest probe (${root}, ${input.name}) failed: ${child.stderr}`);
  const report = JSON.parse(child.stdout) as { rows: number; ms: number; cpuMs: number };
  if (report.rows !== ROWS) throw new Error(`ingest probe (${input.name}) read ${report.rows} rows, not ${ROWS}`);
  return report;
}

async function prepareInputs(): Promise<Input[]> {
  mkdirSync(ROOT, { recursive: true });
  const generic = join(ROOT, "generic", "SYNTHUSDT.csv");
  if (!existsSync(generic)) {
    const made = spawnSync(process.execPath, ["bin/exitlab.js", "data", "synth", "--bars", String(ROWS), "--timeframe", "1m", "--seed", "4", "--out", join(ROOT, "generic")], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`exitlab data synth failed: ${made.stderr}`);
  }
  const kline = join(ROOT, "BTCUSDT-1m.csv");
  if (!existsSync(kline)) writeAtomically(kline, klineFrom(readFileSync(generic, "latin1")));
  const short = join(ROOT, "short", "BTCUSDT.csv");
  if (!existsSync(short)) {
    mkdirSync(join(ROOT, "short"), { recursive: true });
    const rows = readFileSync(kline, "latin1").split("\n").filter((line) => line !== "");
    writeAtomically(short, `timestamp,open,high,low,close,volume\n${rows.map((line) => `${line.split(",", 6).join(",")}\n`).join("")}`);
  }
  const gz = `${kline}.gz`;
  if (!existsSync(gz)) {
    await pipeline(createReadStream(kline), createGzip(), createWriteStream(`${gz}.tmp`));
    renameSync(`${gz}.tmp`, gz);
  }
  const zip = join(ROOT, "BTCUSDT-1m.zip");
  if (!existsSync(zip)) writeAtomically(zip, zipSync({ "BTCUSDT-1m.csv": readFileSync(kline) }, { level: 6 }));
  return [
    { name: "kline", mode: "csv", file: kline },
    { name: "generic", mode: "csv", file: generic },
    { name: "short", mode: "csv", file: short },
    { name: "gz", mode: "csv", file: gz },
    { name: "zip", mode: "csv", file: zip },
    { name: "cache", mode: "cache", file: generic },
  ];
}

/** The synthetic bars as Binance writes klines: 2-decimal prices (rounding keeps low ≤ open, close ≤ high). */
function klineFrom(csv: string): string {
  const out: string[] = [];
  const lines = csv.split("\n");
  for (let index = 1; index < lines.length; index++) {
    if (lines[index] === "") continue;
    const [time, open, high, low, close, volume] = lines[index].split(",").map(Number);
    const quote = volume * close;
    out.push(`${time},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${volume.toFixed(3)},${time + 59_999},${quote.toFixed(4)},${100 + (index % 50)},${(volume / 2).toFixed(3)},${(quote / 2).toFixed(4)},0\n`);
  }
  return out.join("");
}

function writeAtomically(path: string, content: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

function spread(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

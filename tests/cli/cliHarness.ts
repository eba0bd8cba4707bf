/**
 * Shared helpers for the CLI end-to-end tests: spawn the real `bin/exitlab.js` as a user
 * would, write small bar fixtures into fresh temporary folders, and check the CLI's error
 * contract (exit code, one `exitlab: <where>: <reason>` line on stderr, no stack, no
 * output folder and no temp sibling left behind).
 *
 * Most runs call `runCli` in-process with captured output — the same function the binary
 * runs, minus ~0.35 s of Node start-up and module loading per case. Runs that test the
 * binary itself (`--help`, a different working folder) spawn `bin/exitlab.js`, which runs
 * the `dist/` that `npm test` compiles before vitest starts.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, expect } from "vitest";
import { runCli } from "../../cli/runCli.js";

/** The project folder (the one holding package.json and bin/). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export const HOUR_MS = 3_600_000;
export const JAN_1_2024_MS = Date.UTC(2024, 0, 1);

/** The files every `backtest` run folder must hold (SPEC §7); later versions may add more (exit_stats.csv, report.html). */
export const RUN_FILES = ["equity.csv", "fills.csv", "positions.json", "summary.json", "trades.csv"] as const;

/** The seed's environment variables (SPEC §9); removed from the inherited environment so a developer's shell cannot leak into a test. */
const SEED_VARIABLES = ["RM_MAX_LEVERAGE", "RM_RISK_PER_TRADE_PCT", "MIN_CONFIDENCE_THRESHOLD", "TRADING_SYMBOLS"];

export interface CliRun {
  /** Exit code; null only if the process was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI with `args`: in-process through `runCli` (output captured), or as
 * `node bin/exitlab.js ...args` when `spawn` is set or a working folder `cwd` is given.
 */
export async function runExitlab(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; spawn?: boolean } = {},
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SEED_VARIABLES) delete env[name];
  Object.assign(env, options.env ?? {});
  if (options.spawn !== true && options.cwd === undefined) {
    let stdout = "";
    let stderr = "";
    const status = await runCli(args, env, { out: (text) => { stdout += text; }, err: (text) => { stderr += text; } });
    return { status, stdout, stderr };
  }
  const child = spawnSync(process.execPath, [join(PROJECT_ROOT, "bin", "exitlab.js"), ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env,
    encoding: "utf8",
    timeout: 30_000,
  });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const createdFolders: string[] = [];

afterEach(() => {
  while (createdFolders.length > 0) rmSync(createdFolders.pop()!, { recursive: true, force: true });
});

/** A new empty folder, removed after the test. */
export function makeTempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "exitlab-"));
  createdFolders.push(folder);
  return folder;
}

const suiteFolders: string[] = [];

afterAll(() => {
  while (suiteFolders.length > 0) rmSync(suiteFolders.pop()!, { recursive: true, force: true });
});

/** A new empty folder for a whole test file (fill it in beforeAll), removed after the file's tests. */
export function makeSuiteFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "exitlab-"));
  suiteFolders.push(folder);
  return folder;
}

/** Writes `lines` (each ended by "\n") at `relativePath` under `folder`; returns the full path. */
export function writeLines(folder: string, relativePath: string, lines: readonly string[]): string {
  return writeText(folder, relativePath, lines.map((line) => `${line}\n`).join(""));
}

export function writeText(folder: string, relativePath: string, text: string): string {
  const path = join(folder, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

export interface WaveOptions {
  readonly startMs?: number;
  readonly base?: number;
  readonly amplitude?: number;
  /** Bars per radian of the sine wave. */
  readonly period?: number;
  readonly phase?: number;
  /** Upward drift per bar, in price units. */
  readonly drift?: number;
  /** Distance of high above and low below the body. */
  readonly wick?: number;
}

/**
 * A generic bar CSV as lines (header first, so data row k is line k + 2): hourly bars on a
 * sine wave with a small drift, so the built-in EMA cross trades a few times. Each bar opens
 * at the previous close; every bar is valid.
 */
export function hourlyBarLines(count: number, options: WaveOptions = {}): string[] {
  const { startMs = JAN_1_2024_MS, base = 100, amplitude = 10, period = 8, phase = 0, drift = 0.05, wick = 0.5 } = options;
  const price = (i: number): number => base + amplitude * Math.sin(i / period + phase) + drift * i;
  const lines = ["timestamp,open,high,low,close,volume"];
  for (let i = 0; i < count; i++) {
    const open = price(i);
    const close = price(i + 1);
    const high = Math.max(open, close) + wick;
    const low = Math.min(open, close) - wick;
    lines.push(`${startMs + i * HOUR_MS},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${1000 + i}`);
  }
  return lines;
}

/** An ETH-like wave, out of phase with the default one, so both symbols trade at different times. */
export const ETH_WAVE: WaveOptions = { base: 2000, amplitude: 150, period: 7, phase: 1, drift: 0.5, wick: 3 };

/** Generic lines (from `hourlyBarLines`) as a Binance kline download: no header, 12 fields, open time in ms or µs. */
export function toKlineLines(genericLines: readonly string[], unit: "ms" | "us"): string[] {
  const scale = unit === "ms" ? 1 : 1000;
  return genericLines.slice(1).map((line) => {
    const [time, open, high, low, close, volume] = line.split(",");
    const openTime = Number(time);
    const closeTime = openTime + HOUR_MS - 1;
    return [openTime * scale, open, high, low, close, volume, closeTime * scale, "123456.78", 42, "500.5", "61728.39", 0].join(",");
  });
}

/** A copy of `lines` with field `column` (0-based) of 1-based line `lineNumber` set to `value`. */
export function withField(lines: readonly string[], lineNumber: number, column: number, value: string): string[] {
  const copy = [...lines];
  const fields = copy[lineNumber - 1].split(",");
  fields[column] = value;
  copy[lineNumber - 1] = fields.join(",");
  return copy;
}

/** Field `column` of 1-based line `lineNumber`. */
export function fieldOf(lines: readonly string[], lineNumber: number, column: number): string {
  return lines[lineNumber - 1].split(",")[column];
}

/**
 * The CLI's error contract: the exit code, stdout empty, and exactly one line on stderr
 * that starts with `exitlab: ` and holds every fragment, with no stack-trace lines.
 */
export function expectOneLineError(run: CliRun, exitCode: number, ...fragments: string[]): string {
  expect(run.stderr, "stderr must not hold a stack trace").not.toMatch(/^\s+at /m);
  const lines = run.stderr.split("\n").filter((line, index, all) => !(line === "" && index === all.length - 1));
  expect(lines, `stderr must be exactly one line:\n${run.stderr}`).toHaveLength(1);
  const line = lines[0];
  expect(line.startsWith("exitlab: "), line).toBe(true);
  for (const fragment of fragments) expect(line).toContain(fragment);
  expect(run.status, `exit code (stderr: ${line})`).toBe(exitCode);
  expect(run.stdout).toBe("");
  return line;
}

/** Neither `outDir` nor a temp or old sibling of it (`<outDir>.tmp-*`, `<outDir>.old-*`) exists. */
export function expectNoOutputFolder(outDir: string): void {
  expect(existsSync(outDir), `${outDir} must not exist`).toBe(false);
  expectNoSiblings(outDir);
}

/** No `<outDir>.tmp-*` or `<outDir>.old-*` folder is left next to `outDir`. */
export function expectNoSiblings(outDir: string): void {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return;
  const prefix = basename(outDir);
  const leftovers = readdirSync(parent).filter((name) => name.startsWith(`${prefix}.tmp-`) || name.startsWith(`${prefix}.old-`));
  expect(leftovers).toEqual([]);
}

/** `outDir` is a finished run folder: it holds every file of RUN_FILES, and no temp or old sibling is left. */
export function expectRunFolder(outDir: string): void {
  expect(entriesOf(outDir)).toEqual(expect.arrayContaining([...RUN_FILES]));
  expectNoSiblings(outDir);
}

/** Every file directly in `folder`, name → content (base64, so binary compares too). */
export function snapshotFolder(folder: string): Record<string, string> {
  return Object.fromEntries(entriesOf(folder).map((name) => [name, readFileSync(join(folder, name)).toString("base64")]));
}

/** The sorted entries of a folder. */
export function entriesOf(folder: string): string[] {
  return readdirSync(folder).sort();
}

// Loosely typed on purpose: the tests read a few fields and compare them.
export function readSummary(outDir: string): any {
  return JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8"));
}

/** The rows of a CSV the CLI wrote (no quoted fields in them), as objects keyed by the header. */
export function readCsvRows(path: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path, "utf8").split("\n").filter((line) => line !== "");
  const names = header.split(",");
  return rows.map((row) => {
    const fields = row.split(",");
    return Object.fromEntries(names.map((name, index) => [name, fields[index]]));
  });
}

/** The trades of a run folder. */
export function readTrades(outDir: string): Record<string, string>[] {
  return readCsvRows(join(outDir, "trades.csv"));
}

/**
 * Helpers for the sweep tests: run `sweep` / `worker` in-process or as a child process, write
 * seeded synthetic data and sweep files. Until runCli registers the sweep commands, the
 * in-process runs go through a small yargs parser over `registerSweepCommands` and child
 * processes through `sweepEntry.mjs`; once it does, both use the real CLI (`runCli`,
 * `bin/exitlab.js`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yargs from "yargs";
import { generateSynthBars, writeBarsCsv } from "../../data/index.js";
import { ExitlabError, exitCodeFor } from "../../engine/index.js";
import { runCli, usageMessage } from "../../cli/runCli.js";
import { registerSweepCommands } from "../../cli/sweep/index.js";
import { PROJECT_ROOT, type CliRun } from "../cli/cliHarness.js";

/** Whether cli/runCli.ts (the sources) and dist/cli/runCli.js (what bin/ runs) register the sweep commands. */
const SOURCE_WIRED = readFileSync(join(PROJECT_ROOT, "cli", "runCli.ts"), "utf8").includes("registerSweepCommands");
const DIST_WIRED = readFileSafe(join(PROJECT_ROOT, "dist", "cli", "runCli.js")).includes("registerSweepCommands");

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The seed's environment variables, kept out of the tests (as in cliHarness). */
const SEED_VARIABLES = ["RM_MAX_LEVERAGE", "RM_RISK_PER_TRADE_PCT", "MIN_CONFIDENCE_THRESHOLD", "TRADING_SYMBOLS"];

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of SEED_VARIABLES) delete env[name];
  return env;
}

/** `exitlab <args>` in-process, output captured. */
export async function runSweepCli(args: readonly string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io = { out: (text: string) => { stdout += text; }, err: (text: string) => { stderr += text; } };
  if (SOURCE_WIRED) return { status: await runCli(args, cleanEnv(), io), stdout, stderr };
  let status = 0;
  const parser = registerSweepCommands(yargs([...args]), cleanEnv(), io, (code) => { status = code; })
    .strict().exitProcess(false).version(false)
    .fail((message, error) => { throw error ?? new Error(usageMessage(message)); });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (!(error instanceof ExitlabError)) throw error;
    io.err(`exitlab: ${error.oneLine()}\n`);
    status = exitCodeFor(error);
  }
  return { status, stdout, stderr };
}

/** `exitlab <args>` as a child process (the compiled CLI), with its output collected as it comes. */
export interface SpawnedExitlab {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export function spawnExitlab(args: readonly string[], env: NodeJS.ProcessEnv = {}): SpawnedExitlab {
  const script = DIST_WIRED ? join(PROJECT_ROOT, "bin", "exitlab.js") : join(PROJECT_ROOT, "tests", "sweep", "sweepEntry.mjs");
  const child = spawn(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env: { ...cleanEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => { text += chunk.toString("utf8"); });
  child.stderr?.on("data", (chunk: Buffer) => { text += chunk.toString("utf8"); });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Resolves once `predicate(output)` holds; rejects after `timeoutMs`. */
export async function waitForOutput(run: SpawnedExitlab, predicate: (text: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(run.output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for output; got:\n${run.output()}`);
    if (run.child.exitCode !== null) throw new Error(`exited (${run.child.exitCode}) before the expected output:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Two seeded synthetic symbols of `bars` hourly bars in `folder` (data/synth.ts). */
export function writeSynthData(folder: string, bars: number): string {
  for (const [index, symbol] of ["AAAUSDT", "BBBUSDT"].entries()) {
    writeBarsCsv(generateSynthBars({ symbol, bars, seed: 7 + index, startPrice: 100 * (index + 1) }), join(folder, `${symbol}.csv`));
  }
  return folder;
}

export function writeSweepFile(folder: string, name: string, spec: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
}

/** The journal's cell lines as objects (header excluded). */
export function readCellLines(outDir: string): Array<{ cellId: string; ranBy: string; outcome: { status: string } }> {
  return readFileSync(join(outDir, "cells.jsonl"), "utf8").split("\n").filter((line) => line !== "").slice(1).map((line) => JSON.parse(line));
}

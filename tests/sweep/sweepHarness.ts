/**
 * Helpers for the sweep tests: run `sweep` / `worker` in-process or as a child process, write
 * seeded synthetic data and sweep files, through the real CLI (`runCli`, `bin/exitlab.js`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { generateSynthBars, writeBarsCsv } from "../../data/index.js";
import { runCli } from "../../cli/runCli.js";
import { PROJECT_ROOT, type CliRun } from "../cli/cliHarness.js";

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
  return { status: await runCli(args, cleanEnv(), io), stdout, stderr };
}

/** `exitlab <args>` as a child process (the compiled CLI), with its output collected as it comes. */
export interface SpawnedExitlab {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export function spawnExitlab(args: readonly string[], env: NodeJS.ProcessEnv = {}): SpawnedExitlab {
  const script = join(PROJECT_ROOT, "bin", "exitlab.js");
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

/** A free TCP port on the loopback interface (for a throw-away redis-server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the redis-server at `address` answers PING (5 s at most). */
export async function waitForRedis(address: string): Promise<void> {
  const port = new URL(address).port;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (spawnSync("redis-cli", ["-p", port, "ping"], { encoding: "utf8" }).stdout.trim() === "PONG") return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on ${address}`);
}

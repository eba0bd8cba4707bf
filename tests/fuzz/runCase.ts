/**
 * Runs one fuzz case: writes its files into a (reused) case folder, calls `runCli`
 * in-process with captured output under a time budget, and judges the outcome.
 */

import { execFileSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCli } from "../../cli/runCli.js";
import type { FuzzCase, QTables } from "./cases.js";
import { captureInputs, captureOutState, changedInputs, judge, type Outcome, type OutState } from "./oracle.js";
import { Rng } from "./prng.js";
import { genericCsvLines, randomBars, randomGenericOptions, HOUR_MS } from "./validInputs.js";

export function writeCaseFiles(c: FuzzCase, caseDir: string): void {
  rmSync(caseDir, { recursive: true, force: true });
  mkdirSync(caseDir, { recursive: true });
  for (const folder of c.folders) mkdirSync(join(caseDir, folder), { recursive: true });
  for (const file of c.files) {
    const path = join(caseDir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  for (const link of c.links) {
    mkdirSync(dirname(join(caseDir, link.path)), { recursive: true });
    symlinkSync(link.target, join(caseDir, link.path));
  }
  for (const fifo of c.fifos) {
    mkdirSync(dirname(join(caseDir, fifo)), { recursive: true });
    execFileSync("mkfifo", [join(caseDir, fifo)]);
  }
}

/** Calls runCli; a promise that neither resolves nor rejects within `budgetMs` is a timeout. */
export async function runCliTimed(args: readonly string[], env: Record<string, string>, budgetMs: number): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const io = { out: (text: string) => void (stdout += text), err: (text: string) => void (stderr += text) };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  // A hard ceiling well above the budget: a slow-but-finishing run is reported with its time.
  const ceilingMs = Math.max(budgetMs * 4, 20_000);
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ceilingMs);
  });
  try {
    const result = await Promise.race([runCli(args, { ...env }, io), timeout]);
    const elapsedMs = performance.now() - started;
    if (result === "timeout") return { kind: "timeout", status: null, stdout, stderr, elapsedMs };
    return { kind: "resolved", status: result, stdout, stderr, elapsedMs };
  } catch (error) {
    return { kind: "rejected", status: null, stdout, stderr, elapsedMs: performance.now() - started, error };
  } finally {
    clearTimeout(timer);
  }
}

export interface CaseResult {
  readonly outcome: Outcome;
  readonly before: OutState;
  readonly violations: string[];
}

export async function runCase(c: FuzzCase, caseDir: string, budgetMs: number): Promise<CaseResult> {
  writeCaseFiles(c, caseDir);
  const before = captureOutState(c.outDir);
  const inputs = captureInputs(c, caseDir);
  const outcome = await runCliTimed(c.args, c.env, budgetMs);
  return { outcome, before, violations: [...judge(c, outcome, before, budgetMs), ...changedInputs(c, caseDir, inputs)] };
}

/** Copies a failing case's folder out of the way and writes how to rerun it by hand. */
export function keepCase(c: FuzzCase, caseDir: string, keepRoot: string, violations: readonly string[]): string {
  const target = join(keepRoot, `seed-${c.seed}-case-${c.index}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(keepRoot, { recursive: true });
  cpSync(caseDir, target, { recursive: true, verbatimSymlinks: true, filter: (source) => !lstatSync(source).isFIFO() });
  const relocate = (text: string) => text.split(caseDir).join(target);
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const envText = Object.entries(c.env).map(([name, value]) => `${name}=${quote(value)}`).join(" ");
  const command = `${envText} node bin/exitlab.js ${c.args.map((arg) => quote(relocate(arg))).join(" ")}`.trim();
  writeFileSync(
    join(target, "CASE.txt"),
    [
      `seed ${c.seed} case ${c.index} kind ${c.kind}`,
      "",
      "violations:", ...violations.map((v) => `  ${v}`),
      "",
      "what was generated:", ...c.notes.map((note) => `  ${relocate(note)}`),
      "",
      "run from the project folder (files relocated here; config files may still name the old folder):",
      `  ${command}`,
      "",
      `or: EXITLAB_FUZZ_SEED=${c.seed} EXITLAB_FUZZ_CASE=${c.index} npx vitest run tests/fuzz/fuzz.test.ts`,
      "",
    ].join("\n"),
  );
  return target;
}

/**
 * Q-tables saved by the RL agent, one per action layout, for the qtable cases. Made by the CLI
 * itself from fixed bars, so they are the same on every run of the same code.
 */
export async function prepareQTables(folder: string): Promise<QTables> {
  mkdirSync(folder, { recursive: true });
  const rng = new Rng(0, 0);
  const set = randomBars(rng, "BTCUSDT", { startMs: Date.UTC(2024, 0, 1), timeframeMs: HOUR_MS, count: 80 });
  const bars = join(folder, "BTCUSDT.csv");
  writeFileSync(bars, genericCsvLines(set, { ...randomGenericOptions(rng), timeUnit: "ms", timeName: "timestamp", order: [0, 1, 2, 3, 4, 5], upperCase: false, extraColumns: 0 }).map((line) => `${line}\n`).join(""));
  const tables = new Map<string, string>();
  for (const leverage of [false, true]) {
    for (const style of [false, true]) {
      const name = `lev${Number(leverage)}-sty${Number(style)}`;
      const save = join(folder, `${name}.json`);
      const config = join(folder, `${name}.config.json`);
      writeFileSync(config, JSON.stringify({ sizing: { kind: "rl", leverageActions: leverage, styleActions: style, explorationRate: 0.5, save } }));
      const outcome = await runCliTimed(["backtest", "--data", bars, "--config", config, "--out", join(folder, `${name}.run`), "--quiet"], {}, 30_000);
      if (outcome.status !== 0) throw new Error(`could not prepare the Q-table ${name}: ${outcome.stderr}`);
      tables.set(name, readFileSync(save, "utf8"));
    }
  }
  return tables;
}

/**
 * Fuzzing the CLI's input boundary (SPEC §2, §9): thousands of seeded cases start from valid
 * bars, funding, predictions, config files, flags, environment variables and Q-tables, mutate
 * them, run `exitlab backtest` in-process and hold every outcome to the oracle in oracle.ts —
 * a complete, finite, reconciled run folder, or one `exitlab: …` line with exit 1/2 and
 * nothing written.
 *
 *   EXITLAB_FUZZ_CASES=20000   number of cases (default 2000)
 *   EXITLAB_FUZZ_SEED=7        campaign seed (default 1)
 *   EXITLAB_FUZZ_CASE=12,345   run only these case indexes (reproduce a failure)
 *   EXITLAB_FUZZ_SHARD=0/2     run only indexes i with i % 2 == 0 (parallel campaigns)
 *   EXITLAB_FUZZ_BUDGET_MS     time budget per case (default 5000)
 *   EXITLAB_FUZZ_KEEP_DIR      where failing cases are copied (default <tmp>/exitlab-fuzz-kept)
 *   EXITLAB_FUZZ_PROGRESS      a file rewritten with the case about to run (to find a case that hangs)
 *   EXITLAB_FUZZ_TMP           parent of the scratch folder (default /dev/shm if present, else the OS temp folder)
 *
 * Cases run with the working folder set to a scratch folder, so a relative path in a mutated
 * config can never write into the project.
 */

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCase, CASE_KINDS, kindOf, type CaseKind, type FuzzCase, type QTables } from "./cases.js";
import { explainedBy } from "./knownFindings.js";
import { captureOutState } from "./oracle.js";
import { keepCase, prepareQTables, runCase, runCliTimed } from "./runCase.js";

function envInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${text}`);
  return value;
}

const SEED = envInt("EXITLAB_FUZZ_SEED", 1);
const CASES = envInt("EXITLAB_FUZZ_CASES", 2000);
const BUDGET_MS = envInt("EXITLAB_FUZZ_BUDGET_MS", 5000);
const KEEP_DIR = process.env.EXITLAB_FUZZ_KEEP_DIR ?? join(tmpdir(), "exitlab-fuzz-kept");
const [SHARD, SHARDS] = (process.env.EXITLAB_FUZZ_SHARD ?? "0/1").split("/").map(Number);
const ONLY = process.env.EXITLAB_FUZZ_CASE?.split(",").filter((text) => text.trim() !== "").map(Number) ?? null;
/** Case folders go to a RAM disk where there is one (5× faster to write and delete than /tmp on disk). */
const SCRATCH_PARENT = process.env.EXITLAB_FUZZ_TMP ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
/** Every n-th successful case is run twice and its folders compared byte for byte (SPEC §8: deterministic). */
const DETERMINISM_EVERY = 10;

const indexes = ONLY ?? Array.from({ length: CASES }, (_, index) => index).filter((index) => index % SHARDS === SHARD);
const byKind = new Map<CaseKind, number[]>(CASE_KINDS.map((kind) => [kind, []]));
for (const index of indexes) byKind.get(kindOf(SEED, index))!.push(index);

let root = "";
let sandbox = "";
let qTables: QTables = new Map();
let previousCwd = "";
const known = new Map<string, number[]>();
const timings: { kind: CaseKind; index: number; ms: number; status: number | null; errorLength: number }[] = [];
const PROGRESS_FILE = process.env.EXITLAB_FUZZ_PROGRESS ?? null;

beforeAll(async () => {
  root = mkdtempSync(join(SCRATCH_PARENT, "exitlab-fuzz-"));
  sandbox = join(root, "cwd");
  mkdirSync(sandbox);
  previousCwd = process.cwd();
  process.chdir(sandbox);
  qTables = await prepareQTables(join(root, "qtables"));
}, 60_000);

afterAll(() => {
  if (previousCwd !== "") process.chdir(previousCwd);
  if (root !== "") rmSync(root, { recursive: true, force: true });
  const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const total = timings.reduce((sum, t) => sum + t.ms, 0);
  const longest = [...timings].sort((a, b) => b.errorLength - a.errorLength)[0];
  const perKind = CASE_KINDS.map((kind) => {
    const own = timings.filter((t) => t.kind === kind);
    const codes = [0, 1, 2].map((code) => own.filter((t) => t.status === code).length).join("/");
    return `${kind} ${own.length} (exit 0/1/2: ${codes}) ${Math.round(own.reduce((sum, t) => sum + t.ms, 0))} ms`;
  });
  const statuses = new Map<string, number>();
  for (const t of timings) statuses.set(String(t.status), (statuses.get(String(t.status)) ?? 0) + 1);
  console.log(
    `fuzz seed ${SEED}: ${timings.length} cases, ${Math.round(total)} ms in runCli; exit codes ${JSON.stringify(Object.fromEntries(statuses))}; ` +
      `\nper kind: ${perKind.join(", ")}\nslowest ${slowest.map((t) => `${t.kind}#${t.index} ${Math.round(t.ms)} ms`).join(", ")}` +
      `\nlongest error line ${longest === undefined ? 0 : `${longest.errorLength} chars (${longest.kind}#${longest.index})`}` +
      (known.size > 0 ? `\nknown findings hit: ${[...known].map(([id, cases]) => `${id} ×${cases.length} (e.g. case ${cases.slice(0, 5).join(", ")})`).join("; ")}` : ""),
  );
});

function describeFailure(c: FuzzCase, violations: readonly string[], kept: string): string {
  return [
    `seed ${c.seed} case ${c.index} (${c.kind}):`,
    ...violations.map((v) => `  ✗ ${v}`),
    ...c.notes.map((note) => `  · ${note.slice(0, 300)}`),
    `  args: ${JSON.stringify(c.args).slice(0, 600)}`,
    Object.keys(c.env).length > 0 ? `  env: ${JSON.stringify(c.env).slice(0, 300)}` : "",
    `  kept: ${kept}`,
    `  reproduce: EXITLAB_FUZZ_SEED=${c.seed} EXITLAB_FUZZ_CASE=${c.index} npx vitest run tests/fuzz/fuzz.test.ts`,
  ].filter(Boolean).join("\n");
}

async function runKind(kind: CaseKind): Promise<void> {
  const caseDir = join(root, "case");
  const failures: string[] = [];
  let successes = 0;
  for (const index of byKind.get(kind)!) {
    if (PROGRESS_FILE !== null) writeFileSync(PROGRESS_FILE, `seed ${SEED} case ${index} (${kind})\n`);
    let c: FuzzCase;
    try {
      c = buildCase(SEED, index, caseDir, qTables);
    } catch (error) {
      // A bug in the fuzzer itself: report it with the case number, and go on with the others.
      failures.push(`seed ${SEED} case ${index} (${kind}): the generator threw: ${(error as Error).stack?.split("\n").slice(0, 3).join(" | ")}`);
      continue;
    }
    const { outcome, before, violations } = await runCase(c, caseDir, BUDGET_MS);
    timings.push({ kind, index, ms: outcome.elapsedMs, status: outcome.status, errorLength: outcome.status === 0 ? 0 : outcome.stderr.length });
    if (violations.length === 0 && outcome.status === 0 && before === null && successes++ % DETERMINISM_EVERY === 0) {
      violations.push(...(await checkDeterminism(c)));
    }
    const unexplained = violations.filter((violation) => {
      const finding = explainedBy(violation, c);
      if (finding === null) return true;
      const cases = known.get(finding.id) ?? [];
      if (cases[cases.length - 1] !== index) cases.push(index);
      known.set(finding.id, cases);
      return false;
    });
    if (unexplained.length > 0) failures.push(describeFailure(c, violations, keepCase(c, caseDir, KEEP_DIR, violations)));
  }
  expect(failures.length, `${failures.length} failing case(s); first ones:\n\n${failures.slice(0, 10).join("\n\n")}`).toBe(0);
}

/** Runs a successful case again into the same (removed) output folder and compares every file. */
async function checkDeterminism(c: FuzzCase): Promise<string[]> {
  const first = captureOutState(c.outDir);
  rmSync(c.outDir, { recursive: true, force: true });
  const again = await runCliTimed(c.args, c.env, BUDGET_MS);
  if (again.status !== 0) return [`second identical run exited ${again.status}: ${again.stderr.slice(0, 200)}`];
  const second = captureOutState(c.outDir);
  const differing = Object.keys({ ...first?.entries, ...second?.entries }).filter((name) => first?.entries[name] !== second?.entries[name]);
  return differing.length === 0 ? [] : [`not deterministic: ${differing.join(", ")} differ between two identical runs`];
}

describe(`fuzz: exitlab backtest holds its error contract (seed ${SEED}, ${indexes.length} cases)`, () => {
  const timeoutMs = Math.max(120_000, indexes.length * 200);
  for (const kind of CASE_KINDS) {
    const count = byKind.get(kind)!.length;
    if (count === 0) continue;
    it(`${kind}: ${count} cases`, () => runKind(kind), timeoutMs);
  }

});

/**
 * Fuzzing the data cache: a cache built from the shipped perp sample is damaged in seeded ways
 * — bits flipped, the file cut, a byte range overwritten with random bytes or zeros, garbage
 * appended — and the backtest is run again. Every case must give trades and equity byte-identical
 * to a clean run: with a `cache-entry-rebuilt` warning on stderr and in summary.json when the
 * damage was caught, or without one when it hit bytes nothing reads (Arrow padding). A different
 * result (a silent change) or a crash fails the case; the counts are printed and asserted.
 *
 *   EXITLAB_FUZZ_SEED=7              campaign seed (default 1)
 *   EXITLAB_FUZZ_CACHE_CASES=200     number of cases (default 40)
 *   EXITLAB_FUZZ_PROGRESS=file       a file rewritten with the case about to run (to find a case that hangs)
 */

import { copyFileSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, makeTempFolder, readSummary, runExitlab } from "../cli/cliHarness.js";
import { Rng } from "./prng.js";

const SEED = Number(process.env.EXITLAB_FUZZ_SEED ?? 1);
const CASES = Number(process.env.EXITLAB_FUZZ_CACHE_CASES ?? 40);
const PROGRESS_FILE = process.env.EXITLAB_FUZZ_PROGRESS;
const SAMPLE = join(PROJECT_ROOT, "data", "samples", "binance-perp-1h");
const COMPARED = ["trades.csv", "equity.csv", "fills.csv"] as const;
const DAMAGES = ["flip-bits", "truncate", "overwrite-random", "overwrite-zeros", "append-garbage"] as const;
type Damage = (typeof DAMAGES)[number];

/** Damages `bytes` in place or returns a new buffer; the result always differs from the input. */
function damage(kind: Damage, bytes: Buffer, rng: Rng): Buffer {
  const at = rng.int(0, bytes.length - 1);
  switch (kind) {
    case "flip-bits": {
      const flips = rng.int(1, 8);
      for (let i = 0; i < flips; i++) bytes[rng.int(0, bytes.length - 1)] ^= 1 << rng.int(0, 7);
      return bytes;
    }
    case "truncate":
      return bytes.subarray(0, at);
    case "overwrite-random":
    case "overwrite-zeros": {
      const end = Math.min(bytes.length, at + rng.int(1, 4096));
      for (let i = at; i < end; i++) bytes[i] = kind === "overwrite-zeros" ? 0 : rng.int(0, 255);
      return bytes;
    }
    case "append-garbage":
      return Buffer.concat([bytes, Buffer.from(Array.from({ length: rng.int(1, 512) }, () => rng.int(0, 255)))]);
  }
}

function readRun(out: string): string {
  return COMPARED.map((name) => readFileSync(join(out, name), "utf8")).join("\u0000");
}

describe(`fuzz: a damaged data cache never changes a result (seed ${SEED}, ${CASES} cases)`, () => {
  it("rebuilds every damaged entry it can detect, and no damage ever changes the trades", async () => {
    const folder = makeTempFolder();
    const cacheDir = join(folder, "cache");
    const backtest = (out: string) => runExitlab(["backtest", "--data", SAMPLE, "--out", join(folder, out), "--cache-dir", cacheDir, "--quiet"]);

    const clean = await backtest("clean");
    expect(clean.status, clean.stderr).toBe(0);
    const entries = readdirSync(cacheDir).filter((name) => name.endsWith(".arrow")).sort();
    expect(entries.length).toBeGreaterThanOrEqual(2); // bars of two symbols, and their funding
    const cleanEntries = new Map(entries.map((name) => [name, readFileSync(join(cacheDir, name))]));
    const cleanResult = readRun(join(folder, "clean"));

    const counts = { cases: 0, rebuilt: 0, unchangedUndetected: 0, crashes: 0, silentChanges: 0, otherFailures: 0 };
    const failures: string[] = [];
    for (let index = 0; index < CASES; index++) {
      const rng = new Rng(SEED, index);
      for (const [name, bytes] of cleanEntries) writeFileSync(join(cacheDir, name), bytes);
      const entry = rng.pick(entries);
      const kind = rng.pick(DAMAGES);
      const damaged = damage(kind, Buffer.from(cleanEntries.get(entry)!), rng);
      if (damaged.equals(cleanEntries.get(entry)!)) continue; // a bit flipped twice: nothing to test
      writeFileSync(join(cacheDir, entry), damaged);
      counts.cases++;
      const label = `seed ${SEED} case ${index}: ${kind} of ${entry}`;
      if (PROGRESS_FILE !== undefined) writeFileSync(PROGRESS_FILE, `${label}\n`);
      const out = `case-${index}`;
      let run;
      try {
        run = await backtest(out);
      } catch (error) {
        counts.crashes++;
        failures.push(`${label}: runCli threw ${(error as Error).message}`);
        continue;
      }
      if (run.status !== 0 || /internal error|^\s+at /m.test(run.stderr)) {
        counts.crashes++;
        failures.push(`${label}: exit ${run.status}: ${run.stderr.slice(0, 300)}`);
        continue;
      }
      if (readRun(join(folder, out)) !== cleanResult) {
        counts.silentChanges++;
        failures.push(`${label}: the run's trades, equity or fills differ from a clean run's`);
        continue;
      }
      const warned = /damaged data cache entr/.test(run.stderr);
      const summaryWarnings = (readSummary(join(folder, out)).warnings as { code: string; count: number }[]).filter((w) => w.code === "cache-entry-rebuilt");
      if (warned !== summaryWarnings.length > 0) {
        counts.otherFailures++;
        failures.push(`${label}: stderr ${warned ? "warns" : "is silent"} but summary.json counts ${summaryWarnings.length} cache-entry-rebuilt warnings`);
      } else if (warned) counts.rebuilt++;
      else counts.unchangedUndetected++;
      rmSync(join(folder, out), { recursive: true, force: true });
    }
    console.log(`cache-corruption fuzz seed ${SEED}: ${JSON.stringify(counts)}`);
    expect(failures, failures.join("\n")).toEqual([]);
    expect(counts.crashes).toBe(0);
    expect(counts.silentChanges).toBe(0);
    expect(counts.rebuilt + counts.unchangedUndetected).toBe(counts.cases);
    // Most damage reaches checksummed bytes; an undetected case is one that hit padding only.
    expect(counts.rebuilt).toBeGreaterThan(counts.cases / 2);
  }, Math.max(180_000, CASES * 2_000));
});

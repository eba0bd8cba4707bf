/**
 * Fuzzing the streamed CSV inputs with files that have no line break — NUL bytes or one endless
 * line of text — of growing size (1, 4, 16, 64 MB), as bars, funding, detail and predictions,
 * plain and gzipped. Each case runs the real binary (`node bin/exitlab.js`, its computing worker
 * thread included) with a 64 MB old-space heap limit under `/usr/bin/time`, and must end with
 * one error line naming the file, exit 1, no output folder, no stack trace and a bounded peak
 * memory. Files are made sparse or streamed in 1 MiB chunks: the test never holds one whole.
 *
 *   EXITLAB_FUZZ_SEED=7   which content and compression each (size, input) pair gets (default 1)
 */

import { spawn } from "node:child_process";
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, expectNoOutputFolder, expectOneLineError, hourlyBarLines, writeLines } from "../cli/cliHarness.js";
import { Rng } from "./prng.js";

const SEED = Number(process.env.EXITLAB_FUZZ_SEED ?? 1);
const SIZES_MB = [1, 4, 16, 64] as const;
const INPUTS = ["bars", "funding", "detail", "predictions"] as const;
type Input = (typeof INPUTS)[number];
const HEAP_MB = 64;
/** Peak resident memory allowed for the whole process (main thread, worker, buffers). */
const MAX_RSS_MB = 250;
const CHUNK = 1 << 20;

interface HugeCase {
  readonly sizeMb: number;
  readonly input: Input;
  readonly content: "nul" | "text";
  readonly gzip: boolean;
}

/** Every (size, input) pair once; the content and the compression come from the seed, but every combination of them occurs at each size. */
function buildCases(seed: number): HugeCase[] {
  const cases: HugeCase[] = [];
  for (const [sizeIndex, sizeMb] of SIZES_MB.entries()) {
    const rng = new Rng(seed, sizeIndex);
    const shift = rng.int(0, 3);
    for (const [inputIndex, input] of INPUTS.entries()) {
      const variant = (inputIndex + shift) % 4;
      cases.push({ sizeMb, input, content: variant & 1 ? "text" : "nul", gzip: (variant & 2) !== 0 });
    }
  }
  return cases;
}

/** One 1 MiB chunk of the file's content: zeros, or digits and commas without a line break. */
function chunkOf(content: HugeCase["content"]): Buffer {
  if (content === "nul") return Buffer.alloc(CHUNK);
  const chunk = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i++) chunk[i] = i % 11 === 10 ? 0x2c : 0x30 + (i % 10);
  return chunk;
}

/** Writes `bytes` of content at `path`: sparse for plain NUL bytes, streamed in chunks otherwise, through gzip for `.gz`. */
async function writeHugeFile(path: string, c: HugeCase): Promise<void> {
  const bytes = c.sizeMb * 1_000_000;
  if (!c.gzip) {
    const fd = openSync(path, "w");
    if (c.content === "nul") ftruncateSync(fd, bytes);
    else {
      const chunk = chunkOf(c.content);
      for (let written = 0; written < bytes; written += CHUNK) writeSync(fd, chunk, 0, Math.min(CHUNK, bytes - written));
    }
    closeSync(fd);
    return;
  }
  const fd = openSync(path, "w");
  const gzip = createGzip();
  gzip.on("data", (data: Buffer) => writeSync(fd, data));
  const done = new Promise<void>((resolve, reject) => { gzip.on("end", resolve); gzip.on("error", reject); });
  const chunk = chunkOf(c.content);
  for (let written = 0; written < bytes; written += CHUNK) {
    if (!gzip.write(chunk.subarray(0, Math.min(CHUNK, bytes - written)))) await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end();
  await done;
  closeSync(fd);
}

/** Lays the case out in `folder`; returns the huge file and the CLI arguments. */
async function layOut(folder: string, c: HugeCase): Promise<{ file: string; args: string[] }> {
  const ext = c.gzip ? ".csv.gz" : ".csv";
  const data = join(folder, "data");
  const out = join(folder, "out");
  const common = ["--out", out, "--no-cache", "--quiet"];
  if (c.input === "bars") {
    const file = join(folder, `BTCUSDT${ext}`);
    await writeHugeFile(file, c);
    return { file, args: ["backtest", "--data", file, ...common] };
  }
  writeLines(data, "BTCUSDT.csv", hourlyBarLines(60));
  if (c.input === "predictions") {
    const file = join(folder, `predictions${ext}`);
    await writeHugeFile(file, c);
    return { file, args: ["backtest", "--data", data, "--signals", file, ...common] };
  }
  mkdirSync(join(data, c.input));
  const file = join(data, c.input, `BTCUSDT${ext}`);
  await writeHugeFile(file, c);
  return { file, args: ["backtest", "--data", data, ...common] };
}

interface Outcome { status: number | null; stdout: string; stderr: string; maxRssMb: number }

/** `node --max-old-space-size=64 bin/exitlab.js …` under `/usr/bin/time -f %M`, whose last stderr line is the peak RSS in KiB. */
function runBounded(args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%M", process.execPath, `--max-old-space-size=${HEAP_MB}`, join(PROJECT_ROOT, "bin", "exitlab.js"), ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => { stdout += data; });
    child.stderr.on("data", (data) => { stderr += data; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      // time(1) adds "Command exited with non-zero status N" and, last, the peak RSS.
      const lines = stderr.trimEnd().split("\n").filter((line) => !line.startsWith("Command exited with non-zero status"));
      const rssKb = Number(lines.pop());
      resolve({ status, stdout, stderr: lines.length > 0 ? `${lines.join("\n")}\n` : "", maxRssMb: rssKb / 1024 });
    });
  });
}

const roots: string[] = [];
afterAll(() => { for (const root of roots) rmSync(root, { recursive: true, force: true }); });

const cases = buildCases(SEED);

describe(`fuzz: files without line breaks, growing to 64 MB, fail in bounded memory (seed ${SEED})`, () => {
  it.skipIf(!existsSync("/usr/bin/time") && process.env.CI !== "true")(`${cases.length} cases: one error line naming the file, exit 1, no output, peak RSS < ${MAX_RSS_MB} MB`, async () => {
    const failures: string[] = [];
    const peaks: number[] = [];
    // Two cases at a time: the machine has two cores, and each case is mostly process start-up.
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
        const root = mkdtempSync(join(tmpdir(), "exitlab-huge-"));
        roots.push(root);
        const label = `${c.sizeMb} MB ${c.content} ${c.input}${c.gzip ? " .gz" : ""}`;
        try {
          const { file, args } = await layOut(root, c);
          const run = await runBounded(args, root);
          peaks.push(run.maxRssMb);
          expectOneLineError(run, 1, file);
          expect(run.stderr).not.toMatch(/internal error|heap|allocation/i);
          expectNoOutputFolder(join(root, "out"));
          expect(run.maxRssMb, "peak RSS (MB)").toBeLessThan(MAX_RSS_MB);
        } catch (error) {
          failures.push(`${label}: ${(error as Error).message.split("\n").slice(0, 4).join(" | ")}`);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(`huge-file fuzz seed ${SEED}: ${cases.length} cases, ${failures.length} failing; peak RSS ${Math.round(Math.min(...peaks))}–${Math.round(Math.max(...peaks))} MB`);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 180_000);
});

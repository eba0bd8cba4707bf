/**
 * Stop when told (README "Safety"): SIGINT and SIGTERM end a run within 2 s with exit 130 /
 * 143 — during start-up, the replay, the output writing, or a strategy stuck in an endless
 * loop — leaving no output folder, no work folder, a previous run untouched and no process.
 * Every case runs the real binary; a strategy or preload says when it is at the moment to hit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, expectNoOutputFolder, makeTempFolder, runExitlab, snapshotFolder, writeText } from "./cliHarness.js";

const BIN = join(PROJECT_ROOT, "bin", "exitlab.js");
const FIXTURES = join(PROJECT_ROOT, "tests", "fixtures", "interrupt");
const HANGING_ORDERS = join(FIXTURES, "hangingOrders.mjs");

interface Started {
  readonly child: ChildProcess;
  readonly ready: string;
  stderr(): string;
  /** Resolves with the exit code once the process has closed. */
  readonly closed: Promise<number | null>;
}

function start(args: readonly string[], env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Started {
  const ready = join(makeTempFolder(), "ready");
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd: PROJECT_ROOT, env: { ...process.env, ...env, EXITLAB_TEST_READY: ready },
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => { stderr += String(chunk); });
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, ready, stderr: () => stderr, closed };
}

/** Waits until the run wrote its ready file; returns the pid in it. */
async function whenReady(ready: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(ready) || readFileSync(ready, "utf8") === "") {
    if (Date.now() > deadline) throw new Error("the run never became ready");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number(readFileSync(ready, "utf8"));
}

/** True while a process with this id runs (a zombie waiting to be reaped counts as gone). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Sends `signal` and returns the exit code and how long the process took to end. */
async function interrupt(run: Started, signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
  const sent = Date.now();
  run.child.kill(signal);
  const code = await run.closed;
  return { code, ms: Date.now() - sent };
}

function runArgs(out: string, ...more: string[]): string[] {
  return ["backtest", "--signals", HANGING_ORDERS, "--out", out, "--no-cache", ...more];
}

describe("a signal during a run", { timeout: 15_000 }, () => {
  it("stops the replay at once on SIGINT: exit 130, the bar it was at, no output, no process", async () => {
    const out = join(makeTempFolder(), "run");
    const run = start(runArgs(out), { EXITLAB_TEST_HANG_IN: "slow" });
    const pid = await whenReady(run.ready);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { code, ms } = await interrupt(run, "SIGINT");
    expect(code).toBe(130);
    expect(ms).toBeLessThan(2000);
    // Between two calls of onBar no strategy code runs, so the bar is named only when the signal lands inside one.
    expect(run.stderr()).toMatch(/^exitlab: interrupted by SIGINT( in the strategy's onBar at (BTC|ETH)USDT bar \d+ \(\d{4}-[\d-]+T[\d:.]+Z\))?; no output was written\n$/);
    expectNoOutputFolder(out);
    expect(isRunning(pid)).toBe(false);
  });

  it("stops a strategy stuck in an endless loop in onBar on SIGTERM, naming the symbol and bar", async () => {
    const out = join(makeTempFolder(), "run");
    const run = start(runArgs(out));
    const pid = await whenReady(run.ready);
    const { code, ms } = await interrupt(run, "SIGTERM");
    expect(code).toBe(143);
    expect(ms).toBeLessThan(2000);
    expect(run.stderr()).toBe("exitlab: interrupted by SIGTERM in the strategy's onBar at BTCUSDT bar 100 (2026-01-16T20:00:00.000Z); no output was written\n");
    expectNoOutputFolder(out);
    expect(isRunning(pid)).toBe(false);
  });

  it.each([
    ["prepare", HANGING_ORDERS, { EXITLAB_TEST_HANG_IN: "prepare" }],
    ["computeSignals", join(FIXTURES, "hangingSignals.mjs"), {}],
  ] as const)("stops a strategy stuck in %s on SIGINT, naming the symbol", async (name, module, env) => {
    const out = join(makeTempFolder(), "run");
    const run = start(["compare", "--signals", module, "--out", out, "--no-cache"], env);
    const pid = await whenReady(run.ready);
    const { code, ms } = await interrupt(run, "SIGINT");
    expect(code).toBe(130);
    expect(ms).toBeLessThan(2000);
    expect(run.stderr()).toBe(`exitlab: interrupted by SIGINT in the strategy's ${name} for BTCUSDT; no output was written\n`);
    expectNoOutputFolder(out);
    expect(isRunning(pid)).toBe(false);
  });

  it("stops while the output is written, removing the work folder and leaving the previous run as it was", async () => {
    const out = join(makeTempFolder(), "run");
    const args = ["backtest", "--out", out, "--no-cache"];
    expect((await runExitlab([...args, "--quiet"])).status).toBe(0);
    writeText(out, "notebook.ipynb", "{}\n");
    const before = snapshotFolder(out);
    const run = start(args, {}, ["--require", join(FIXTURES, "slowWrites.cjs")]);
    const pid = await whenReady(run.ready);
    expect(readdirSync(dirname(out)).some((name) => name.startsWith("run.tmp-"))).toBe(true);
    const { code, ms } = await interrupt(run, "SIGINT");
    expect(code).toBe(130);
    expect(ms).toBeLessThan(2000);
    expect(run.stderr()).toBe("exitlab: interrupted by SIGINT; no output was written\n");
    expect(snapshotFolder(out)).toEqual(before);
    expect(readdirSync(dirname(out)).sort()).toEqual(["run"]);
    expect(isRunning(pid)).toBe(false);
  });

  it("leaves no process behind when SIGTERM goes to the process group of an npx-like parent", async () => {
    const root = makeTempFolder();
    const out = join(root, "run");
    const ready = join(root, "ready");
    // Like `npx exitlab …`: a parent that starts the binary and exits on SIGTERM at once.
    const parentScript = `const { spawn } = require("node:child_process");
      spawn(process.execPath, ${JSON.stringify([BIN, ...runArgs(out)])}, { stdio: "inherit" });
      process.on("SIGTERM", () => process.exit(143));`;
    const parent = spawn(process.execPath, ["-e", parentScript], {
      cwd: PROJECT_ROOT, detached: true, stdio: "ignore", env: { ...process.env, EXITLAB_TEST_READY: ready },
    });
    const parentClosed = new Promise((resolve) => parent.on("close", resolve));
    const pid = await whenReady(ready);
    const sent = Date.now();
    process.kill(-parent.pid!, "SIGTERM");
    await parentClosed;
    while (isRunning(pid) && Date.now() - sent < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).sort()).toEqual(["ready"]);
  });

  it("leaves no output folder and says so on one line when SIGINT arrives while a module loads", async () => {
    const out = join(makeTempFolder(), "run");
    // A strategy module that takes five seconds to load keeps the run busy, deterministically.
    const run = start(["backtest", "--signals", join(PROJECT_ROOT, "tests", "fixtures", "signals", "slowToLoad.mjs"), "--out", out]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { code } = await interrupt(run, "SIGINT");
    expect(code).toBe(130);
    expect(run.stderr()).toBe("exitlab: interrupted by SIGINT; no output was written\n");
    expectNoOutputFolder(out);
  });
});

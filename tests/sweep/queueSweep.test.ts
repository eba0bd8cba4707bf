import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSuiteFolder } from "../cli/cliHarness.js";
import { freePort, readCellLines, runSweepCli, spawnExitlab, waitForOutput, waitForRedis, writeSweepFile, writeSynthData, type SpawnedExitlab } from "./sweepHarness.js";

/**
 * A distributed sweep against a real Redis: a throw-away `redis-server` on a free loopback
 * port (no persistence), two `exitlab worker` processes and one `exitlab sweep --queue`. One
 * worker is SIGKILLed in the middle of its first cell; BullMQ's stalled-job check (short lock
 * and interval here) hands that cell to the other worker, and the table must equal the local
 * sweep's, every cell done exactly once. Skipped only when redis-server is not installed and
 * CI is not set; under CI a missing redis-server fails the suite.
 */

const HAS_REDIS = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).status === 0;
const MUST_RUN = HAS_REDIS || process.env.CI !== undefined;
if (!MUST_RUN) console.warn("tests/sweep/queueSweep.test.ts skipped: redis-server is not installed (apt-get install redis-server); under CI it must run");

const GRID = { grid: { "exits.stopLossPct": [0.01, 0.02, 0.03, 0.04], "sizing.leverage": [1, 3] }, metric: "totalReturnPct", direction: "max" };
/** Short lock and stall check, so a dead worker's cell is retried within about two seconds. */
const FAST_STALL = ["--lock-duration", "1500", "--stalled-interval", "500"];

let folder = "";
let data = "";
let sweepFile = "";
let localOut = "";
let url = "";
let redis: ChildProcess | null = null;
const workers: SpawnedExitlab[] = [];
const read = (out: string, name: string): string => readFileSync(join(out, name), "utf8");

describe.skipIf(!MUST_RUN)("exitlab sweep --queue with exitlab worker", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    if (!HAS_REDIS) throw new Error("redis-server is required under CI: apt-get install redis-server");
    folder = makeSuiteFolder();
    data = writeSynthData(join(folder, "data"), 20_000);
    sweepFile = writeSweepFile(folder, "sweep.json", GRID);
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await waitForRedis(url);
    localOut = join(folder, "local");
    const local = await runSweepCli(["sweep", "--grid", sweepFile, "--data", data, "--out", localOut, "--workers", "2"]);
    expect(local.status, local.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
    redis?.kill("SIGKILL");
  });

  it("retries the cell of a worker killed mid-job on another worker and collects every cell exactly once", async () => {
    const queueArgs = ["--queue", url, "--sweep-id", "kill-test", "--workers", "1", ...FAST_STALL];
    const doomed = spawnExitlab(["worker", ...queueArgs]);
    const survivor = spawnExitlab(["worker", ...queueArgs]);
    workers.push(doomed, survivor);
    await waitForOutput(doomed, (text) => text.includes("on queue exitlab-sweep-kill-test"), 30_000);
    await waitForOutput(survivor, (text) => text.includes("on queue exitlab-sweep-kill-test"), 30_000);

    const out = join(folder, "queued");
    const sweep = runSweepCli(["sweep", "--grid", sweepFile, "--data", data, "--out", out, "--queue", url, "--sweep-id", "kill-test"]);
    await waitForOutput(doomed, (text) => /cell [0-9a-f]{16} started/.test(text), 30_000);
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const killedCell = /cell ([0-9a-f]{16}) started/.exec(doomed.output())![1];
    expect(doomed.output(), "the killed worker must not have finished its cell").not.toContain(`cell ${killedCell} done`);

    const run = await sweep;
    expect(run.status, run.stderr).toBe(0);
    expect(read(out, "sweep.csv")).toBe(read(localOut, "sweep.csv"));
    expect(read(out, "sweep.json")).toBe(read(localOut, "sweep.json"));
    const cells = readCellLines(out);
    expect(cells).toHaveLength(8);
    expect(new Set(cells.map((cell) => cell.cellId)).size).toBe(8);
    expect(cells.find((cell) => cell.cellId === killedCell)!.ranBy).toMatch(new RegExp(`:${survivor.child.pid}$`));

    const queue = new Queue("exitlab-sweep-kill-test", { connection: { host: "127.0.0.1", port: Number(new URL(url).port) } });
    try {
      const job = await queue.getJob(killedCell);
      expect(await job!.getState()).toBe("completed");
      expect(job!.attemptsStarted).toBeGreaterThanOrEqual(2);
      expect(await queue.getJobCounts("completed", "failed")).toEqual({ completed: 8, failed: 0 });
    } finally {
      await queue.close();
    }
  });

  it("finds the finished cells in Redis when the sweep is started again, and a worker can stop when the queue is drained", async () => {
    const out = join(folder, "queued-again");
    const run = await runSweepCli(["sweep", "--grid", sweepFile, "--data", data, "--out", out, "--queue", url, "--sweep-id", "kill-test"]);
    expect(run.status, run.stderr).toBe(0);
    expect(read(out, "sweep.csv")).toBe(read(localOut, "sweep.csv"));
    const late = spawnExitlab(["worker", "--queue", url, "--sweep-id", "kill-test", "--workers", "1", "--exit-when-drained"]);
    workers.push(late);
    expect(await late.exited).toBe(0);
    expect(late.output()).toContain("stopped after 0 cells");
  });

  it("gives a TPE search the same cells and table through the queue as on this machine", async () => {
    const search = ["--search", "tpe", "--trials", "14", "--seed", "5", "--min-trades", "0"];
    const space = writeSweepFile(folder, "space.json", { grid: { "exits.stopLossPct": { min: 0.005, max: 0.05, log: true }, "sizing.leverage": [1, 2, 3] }, metric: "totalReturnPct" });
    const local = await runSweepCli(["sweep", "--grid", space, "--data", data, "--out", join(folder, "tpe-local"), "--workers", "2", ...search]);
    expect(local.status, local.stderr).toBe(0);
    const worker = spawnExitlab(["worker", "--queue", url, "--sweep-id", "tpe", "--workers", "2"]);
    workers.push(worker);
    const run = await runSweepCli(["sweep", "--grid", space, "--data", data, "--out", join(folder, "tpe-queued"), "--queue", url, "--sweep-id", "tpe", ...search]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("tpe search round 2: 4 cells");
    expect(read(join(folder, "tpe-queued"), "sweep.csv")).toBe(read(join(folder, "tpe-local"), "sweep.csv"));
    expect(read(join(folder, "tpe-queued"), "sweep.json")).toBe(read(join(folder, "tpe-local"), "sweep.json"));
    worker.child.kill("SIGKILL");
  });

  it("refuses a queue holding another sweep's jobs unless --force", async () => {
    const other = writeSweepFile(folder, "other.json", { grid: { "sizing.leverage": [1, 2] } });
    const run = await runSweepCli(["sweep", "--grid", other, "--data", data, "--out", join(folder, "other"), "--queue", url, "--sweep-id", "kill-test"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("exitlab: --sweep-id: the queue exitlab-sweep-kill-test holds jobs of another sweep");
  });

  it("says in one line when nothing listens at the queue's address", async () => {
    const run = await runSweepCli(["sweep", "--grid", sweepFile, "--data", data, "--out", join(folder, "nowhere"), "--queue", `redis://127.0.0.1:${await freePort()}`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^exitlab: --queue: cannot reach Redis at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSuiteFolder, runExitlab, snapshotFolder, writeText } from "../cli/cliHarness.js";
import { freePort, spawnExitlab, waitForOutput, waitForRedis, type SpawnedExitlab } from "../sweep/sweepHarness.js";

/**
 * `exitlab walkforward --queue`: the in-sample cells of every window as BullMQ jobs run by an
 * `exitlab worker`, against a throw-away `redis-server` on a free loopback port. The folder must
 * be byte-identical to the local walk-forward's. Skipped only when redis-server is not installed
 * and CI is not set; under CI a missing redis-server fails the suite.
 */

const HAS_REDIS = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).status === 0;
const MUST_RUN = HAS_REDIS || process.env.CI !== undefined;
if (!MUST_RUN) console.warn("tests/walkforward/walkforwardQueue.test.ts skipped: redis-server is not installed (apt-get install redis-server); under CI it must run");

const GRID = { grid: { "exits.stopLossPct": [0.02, 0.04], "exits.takeProfitPct": [0.04, 0.08] }, metric: "sharpeRatio" };
const WINDOWS = ["--train", "35d", "--test", "6d", "--min-trades", "10", "--no-cache", "--quiet"];

let folder = "";
let grid = "";
let url = "";
let redis: ChildProcess | null = null;
let worker: SpawnedExitlab | null = null;

describe.skipIf(!MUST_RUN)("exitlab walkforward --queue with exitlab worker", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    if (!HAS_REDIS) throw new Error("redis-server is required under CI: apt-get install redis-server");
    folder = makeSuiteFolder();
    grid = writeText(folder, "grid.json", JSON.stringify(GRID));
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await waitForRedis(url);
    worker = spawnExitlab(["worker", "--queue", url, "--sweep-id", "wf-test", "--workers", "2"]);
    await waitForOutput(worker, (text) => text.includes("on queue exitlab-sweep-wf-test"), 30_000);
  }, 120_000);

  afterAll(() => {
    if (worker !== null && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    redis?.kill("SIGKILL");
  });

  it("runs every window's in-sample cells on the worker and writes the local walk-forward's folder byte for byte", async () => {
    const target = join(folder, "wf");
    const queued = await runExitlab(["walkforward", "--grid", grid, ...WINDOWS, "--queue", url, "--sweep-id", "wf-test", "--out", target]);
    expect(queued.status, queued.stderr).toBe(0);
    const fromQueue = snapshotFolder(target);
    // 5 windows × 4 cells, each done on the worker.
    expect(worker!.output().match(/walk-forward cell [0-9a-f]{16} \(window \d \(train\)\) done/g)).toHaveLength(20);
    rmSync(target, { recursive: true });
    const local = await runExitlab(["walkforward", "--grid", grid, ...WINDOWS, "--workers", "2", "--out", target]);
    expect(local.status, local.stderr).toBe(0);
    expect(fromQueue).toEqual(snapshotFolder(target));
  });

  it("finds the cells finished earlier in Redis when started again: the worker runs none of them twice", async () => {
    const before = worker!.output().match(/ done in /g)?.length ?? 0;
    const run = await runExitlab(["walkforward", "--grid", grid, ...WINDOWS, "--queue", url, "--sweep-id", "wf-test", "--out", join(folder, "again")]);
    expect(run.status, run.stderr).toBe(0);
    expect(worker!.output().match(/ done in /g)?.length ?? 0).toBe(before);
  });

  it("says in one line when nothing listens at the queue's address", async () => {
    const run = await runExitlab(["walkforward", "--grid", grid, ...WINDOWS, "--queue", `redis://127.0.0.1:${await freePort()}`, "--out", join(folder, "nowhere")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^exitlab: --queue: cannot reach Redis at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});

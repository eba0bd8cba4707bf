/**
 * Inputs read whole (config, sweep grid, Q-table, regress baseline) are bounded: a file above its limit,
 * or a FIFO where a file is expected, is one error line naming the file — no stack trace,
 * no hang, no output.
 */

import { execFileSync } from "node:child_process";
import { closeSync, openSync, ftruncateSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { INPUT_FILE_LIMITS } from "../../workflows/readInputFile.js";
import { expectNoOutputFolder, expectOneLineError, makeTempFolder, runExitlab } from "./cliHarness.js";

/** A sparse file of `bytes` bytes (zeros), made without writing them. */
function sparseFile(path: string, bytes: number): string {
  const fd = openSync(path, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

describe("inputs exitlab reads whole", () => {
  it("refuses a config file one byte above its 1 MiB limit", async () => {
    const folder = makeTempFolder();
    const config = sparseFile(join(folder, "big.json"), INPUT_FILE_LIMITS.config + 1);
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["backtest", "--config", config, "--out", out]), 2, config, "larger than the 1 MiB limit");
    expectNoOutputFolder(out);
  });

  it("refuses a FIFO given as the config file at once instead of waiting for a writer", async () => {
    const folder = makeTempFolder();
    const fifo = join(folder, "config.json");
    execFileSync("mkfifo", [fifo]);
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["backtest", "--config", fifo, "--out", out]), 2, fifo, "not a regular file");
    expectNoOutputFolder(out);
  });

  it("refuses a sweep grid file one byte above the config's 1 MiB limit", async () => {
    const folder = makeTempFolder();
    const grid = sparseFile(join(folder, "grid.json"), INPUT_FILE_LIMITS.config + 1);
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["sweep", "--grid", grid, "--out", out]), 2, grid, "larger than the 1 MiB limit");
    expectNoOutputFolder(out);
  });

  it("refuses a FIFO given as the sweep grid file at once", async () => {
    const folder = makeTempFolder();
    const fifo = join(folder, "grid.json");
    execFileSync("mkfifo", [fifo]);
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["sweep", "--grid", fifo, "--out", out]), 2, fifo, "not a regular file");
    expectNoOutputFolder(out);
  });

  it("refuses a Q-table above its 16 MiB limit", async () => {
    const folder = makeTempFolder();
    const table = sparseFile(join(folder, "q.json"), INPUT_FILE_LIMITS.qTable + 1);
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["backtest", "--sizing", "rl", "--rl-load", table, "--out", out]), 2, table, "Q-table is larger than the 16 MiB limit");
    expectNoOutputFolder(out);
  });

  it("refuses a regress baseline above its 16 MiB limit", async () => {
    const folder = makeTempFolder();
    const baseline = sparseFile(join(folder, "baseline.json"), INPUT_FILE_LIMITS.baseline + 1);
    expectOneLineError(await runExitlab(["regress", "--baseline", baseline]), 2, baseline, "baseline is larger than the 16 MiB limit");
  });
});

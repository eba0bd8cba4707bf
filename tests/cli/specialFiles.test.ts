/**
 * Data folders holding what is not a plain file (broken or looping symbolic links, FIFOs):
 * every case is one error line naming the path, exit 1, and no output — never a stack
 * trace, never a silently skipped input. A link that resolves is read like its target.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { expectNoOutputFolder, expectOneLineError, expectRunFolder, hourlyBarLines, makeTempFolder, runExitlab, writeLines } from "./cliHarness.js";

const bars = hourlyBarLines(60);

/** A data folder with one good symbol; returns its path. */
function dataFolder(root: string): string {
  const folder = join(root, "data");
  writeLines(folder, "BTCUSDT.csv", bars);
  return folder;
}

function backtest(data: string, out: string) {
  return runExitlab(["backtest", "--data", data, "--out", out, "--quiet", "--no-cache"]);
}

describe("exitlab backtest on a data folder with links and special files", () => {
  const places: [string, (folder: string) => string][] = [
    ["a symbol file", (folder) => join(folder, "ETHUSDT.csv")],
    ["a file in a symbol folder", (folder) => (mkdirSync(join(folder, "ETHUSDT")), join(folder, "ETHUSDT", "2024-01.csv"))],
    ["a file in funding/", (folder) => (mkdirSync(join(folder, "funding")), join(folder, "funding", "BTCUSDT.csv"))],
    ["a file in detail/", (folder) => (mkdirSync(join(folder, "detail")), join(folder, "detail", "BTCUSDT.csv"))],
    ["a symbol folder", (folder) => join(folder, "SOLUSDT")],
  ];
  for (const [place, pathIn] of places) {
    it(`exits 1 naming a broken symbolic link in place of ${place}`, async () => {
      const root = makeTempFolder();
      const link = pathIn(dataFolder(root));
      symlinkSync(join(root, "missing-target"), link);
      const out = join(root, "out");
      expectOneLineError(await backtest(join(root, "data"), out), 1, link, "broken symbolic link");
      expectNoOutputFolder(out);
    });
  }

  it("exits 1 naming a symbolic link that points to itself", async () => {
    const root = makeTempFolder();
    const link = join(dataFolder(root), "LOOPUSDT.csv");
    symlinkSync(link, link);
    const out = join(root, "out");
    expectOneLineError(await backtest(join(root, "data"), out), 1, link, "symbolic link loop");
    expectNoOutputFolder(out);
  });

  it("exits 1 naming a FIFO that stands where a CSV file is expected", async () => {
    const root = makeTempFolder();
    const fifo = join(dataFolder(root), "ETHUSDT.csv");
    execFileSync("mkfifo", [fifo]);
    const out = join(root, "out");
    expectOneLineError(await backtest(join(root, "data"), out), 1, fifo, "not a regular file");
    expectNoOutputFolder(out);
  });

  it("exits 1 naming a FIFO given as --data", async () => {
    const root = makeTempFolder();
    const fifo = join(root, "BTCUSDT.csv");
    execFileSync("mkfifo", [fifo]);
    const out = join(root, "out");
    expectOneLineError(await backtest(fifo, out), 1, fifo, "not a regular file");
    expectNoOutputFolder(out);
  });

  it("exits 1 naming a FIFO given as the predictions file, instead of waiting for a writer", async () => {
    const root = makeTempFolder();
    const fifo = join(root, "preds.csv");
    execFileSync("mkfifo", [fifo]);
    const out = join(root, "out");
    const run = await runExitlab(["backtest", "--data", dataFolder(root), "--signals", fifo, "--out", out, "--quiet", "--no-cache"]);
    expectOneLineError(run, 1, fifo, "not a regular file (a FIFO)");
    expectNoOutputFolder(out);
  });

  it("reads a symbolic link to a good file like the file itself", async () => {
    const root = makeTempFolder();
    const folder = dataFolder(root);
    writeLines(root, "elsewhere/eth.csv", bars);
    symlinkSync(join(root, "elsewhere", "eth.csv"), join(folder, "ETHUSDT.csv"));
    const out = join(root, "out");
    const run = await backtest(folder, out);
    if (run.status !== 0) throw new Error(run.stderr);
    expectRunFolder(out);
  });
});

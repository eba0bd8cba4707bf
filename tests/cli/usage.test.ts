/** `exitlab --help`, `exitlab backtest --help`, and what happens without a command. */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError, makeTempFolder, runExitlab } from "./cliHarness.js";

describe("exitlab usage", () => {
  it("prints the commands on stdout and exits 0 for --help", async () => {
    const run = await runExitlab(["--help"], { spawn: true });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("exitlab backtest");
    expect(run.stdout).toContain("exitlab data");
  });

  it("lists the backtest flags for backtest --help and runs nothing", async () => {
    const outDir = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", "--help", "--out", outDir], { spawn: true });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const flag of ["--config", "--data", "--out", "--force", "--sl", "--intrabar", "--min-confidence", "--leverage"]) {
      expect(run.stdout).toContain(flag);
    }
    expect(existsSync(outDir)).toBe(false);
  });

  it("exits 2 naming the commands when none is given", async () => {
    expectOneLineError(await runExitlab([], { spawn: true }), 2, "exitlab: ", "backtest");
  });

  it("exits 2 asking for a data command when none is given", async () => {
    expectOneLineError(await runExitlab(["data"]), 2, "exitlab: ", "synth");
  });
});

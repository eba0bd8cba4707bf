import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempFolder, runExitlab } from "./cliHarness.js";

describe("exitlab montecarlo", { timeout: 60_000 }, () => {
  it("reshuffles the shipped sample run's trades: the actual path reconciles with the run, the same seed writes the same bytes", async () => {
    const run = join(makeTempFolder(), "bt");
    expect((await runExitlab(["backtest", "--out", run, "--quiet"])).status).toBe(0);
    const first = await runExitlab(["montecarlo", "--run", run, "--method", "bootstrap", "--n", "2000", "--seed", "4"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("montecarlo: 2000 bootstrap paths of");
    const bytes = readFileSync(join(run, "montecarlo.json"), "utf8");
    const result = JSON.parse(bytes);
    const summary = JSON.parse(readFileSync(join(run, "summary.json"), "utf8"));
    expect(Math.abs(result.actual.finalEquity - summary.account.finalEquity)).toBeLessThan(1e-9);
    expect(result.quantiles.finalEquity.p5).toBeLessThan(result.quantiles.finalEquity.p95);
    expect((await runExitlab(["montecarlo", "--run", run, "--method", "bootstrap", "--n", "2000", "--seed", "4", "--quiet"])).status).toBe(0);
    expect(readFileSync(join(run, "montecarlo.json"), "utf8")).toBe(bytes);
  });

  it("refuses a folder that is not a run, and a bad --ruin, in one line", async () => {
    const folder = makeTempFolder();
    const notRun = await runExitlab(["montecarlo", "--run", folder]);
    expect(notRun.status).toBe(2);
    expect(notRun.stderr).toMatch(/^exitlab: .*is not an exitlab run folder/);
    const ruin = await runExitlab(["montecarlo", "--run", folder, "--ruin", "2"]);
    expect(ruin.status).toBe(2);
    expect(ruin.stderr).toContain("--ruin: \"2\" is not a fraction in (0, 1]");
  });
});

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
    const page = readFileSync(join(run, "montecarlo.html"), "utf8");
    expect(page).toContain('data-chart="fan"');
    expect(page).toContain('data-chart="histogram-final-equity"');
    const result = JSON.parse(bytes);
    expect(result.fan.actual[result.fan.actual.length - 1]).toBe(result.actual.finalEquity);
    const summary = JSON.parse(readFileSync(join(run, "summary.json"), "utf8"));
    expect(Math.abs(result.actual.finalEquity - summary.account.finalEquity)).toBeLessThan(1e-9);
    expect(result.quantiles.finalEquity.p5).toBeLessThan(result.quantiles.finalEquity.p95);
    expect((await runExitlab(["montecarlo", "--run", run, "--method", "bootstrap", "--n", "2000", "--seed", "4", "--quiet"])).status).toBe(0);
    expect(readFileSync(join(run, "montecarlo.json"), "utf8")).toBe(bytes);
    expect(readFileSync(join(run, "montecarlo.html"), "utf8")).toBe(page);
  });

  it("block-bootstraps the run's daily returns: the actual path ends at the run's final equity, seeded", async () => {
    const run = join(makeTempFolder(), "bt");
    expect((await runExitlab(["backtest", "--out", run, "--quiet"])).status).toBe(0);
    const first = await runExitlab(["montecarlo", "--run", run, "--method", "block", "--n", "1000", "--seed", "2"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("montecarlo: 1000 block paths of 67 days in blocks of 5");
    expect(first.stdout).toContain("longest drawdown (days)");
    const bytes = readFileSync(join(run, "montecarlo.json"), "utf8");
    const result = JSON.parse(bytes);
    const summary = JSON.parse(readFileSync(join(run, "summary.json"), "utf8"));
    expect(Math.abs(result.actual.finalEquity - summary.account.finalEquity)).toBeLessThan(1e-8 * summary.account.finalEquity);
    expect(result).toMatchObject({ method: "block", unit: "days", steps: 67, blockLength: 5 });
    expect((await runExitlab(["montecarlo", "--run", run, "--method", "block", "--n", "1000", "--seed", "2", "--quiet"])).status).toBe(0);
    expect(readFileSync(join(run, "montecarlo.json"), "utf8")).toBe(bytes);
    const three = await runExitlab(["montecarlo", "--run", run, "--method", "block", "--block-length", "3", "--n", "100", "--quiet"]);
    expect(three.status, three.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(run, "montecarlo.json"), "utf8")).blockLength).toBe(3);
    const misplaced = await runExitlab(["montecarlo", "--run", run, "--block-length", "3"]);
    expect(misplaced.status).toBe(2);
    expect(misplaced.stderr).toBe("exitlab: --block-length: applies to --method block only (this is shuffle)\n");
    const tooLong = await runExitlab(["montecarlo", "--run", run, "--method", "block", "--block-length", "500"]);
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain("--block-length");
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

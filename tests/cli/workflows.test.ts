import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, makeSuiteFolder, runExitlab } from "./cliHarness.js";

const folder = makeSuiteFolder();

describe("exitlab compare", () => {
  it("compares static, ai and lsf on the shipped sample in one command, with paired intervals and path sensitivity", async () => {
    const out = join(folder, "compare");
    const run = await runExitlab(["compare", "--out", out, "--resamples", "2000"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("exitlab compare: static vs ai vs lsf");
    expect(run.stdout).toMatch(/ai\s+\d+\s+\d+\s+\d+\s+[-+]?\d/);
    expect(run.stdout).toContain("Path sensitivity");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.compare.plans).toEqual(["static", "ai", "lsf"]);
    expect(summary.compare.pathSensitivity).toHaveLength(3);
    expect(readFileSync(join(out, "compare.md"), "utf8")).toContain("| ");
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain('data-chart="equity"');
  });
});

describe("exitlab tiers", () => {
  it("tabulates the sample predictions by confidence tier with a calibration verdict", async () => {
    const out = join(folder, "tiers");
    const run = await runExitlab(["tiers", "--signals", "data/samples/predictions/binance-perp-1h-macd-cross.csv", "--exit", "ai", "--min-confidence", "0", "--out", out]);
    expect(run.status).toBe(0);
    for (const tier of ["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW", "ALL"]) expect(run.stdout).toContain(tier);
    expect(run.stdout).toMatch(/Calibration \(tiers with at least 10 trades\): /);
    expect(readFileSync(join(out, "tiers.csv"), "utf8").split("\n")[0]).toContain("tier");
  });
});

describe("exitlab regress", () => {
  const committed = join(PROJECT_ROOT, ".ci", "baselines", "perp-static.json");

  it("passes the shipped sample against the committed baseline", async () => {
    const run = await runExitlab(["regress", "--baseline", committed]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("PASS");
  });

  it("catches a plan change: non-zero exit, the metric named in the diff, a JUnit failure", async () => {
    const junit = join(folder, "regress.xml");
    // The committed baseline records its config: a changed plan is CONFIG DIFFERS unless compared anyway.
    const refused = await runExitlab(["regress", "--baseline", committed, "--sl", "0.02"]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("exits.stopLossPct 0.03 → 0.02");
    const run = await runExitlab(["regress", "--baseline", committed, "--sl", "0.02", "--check-anyway", "--junit", junit]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("FAIL");
    expect(run.stdout).toMatch(/winRatePct .* REGRESSED/);
    expect(readFileSync(junit, "utf8")).toMatch(/<testcase[^>]*name="winRatePct"[^>]*>\s*<failure/);
  });

  it("--update rewrites a baseline that then passes", async () => {
    const baseline = join(folder, "baseline.json");
    copyFileSync(committed, baseline);
    expect((await runExitlab(["regress", "--baseline", baseline, "--sl", "0.02", "--update"])).status).toBe(0);
    expect((await runExitlab(["regress", "--baseline", baseline, "--sl", "0.02"])).status).toBe(0);
  });
});

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, expectOneLineError, makeSuiteFolder, runExitlab } from "./cliHarness.js";

const folder = makeSuiteFolder();
const LEAKY = join(PROJECT_ROOT, "tests", "fixtures", "signals", "leaksNextClose.mjs");
const LEAKY_V2 = join(PROJECT_ROOT, "tests", "fixtures", "signals", "ordersLeakThroughCtx.mjs");
const ETH = join(PROJECT_ROOT, "data", "samples", "binance-perp-1h", "ETHUSDT.csv");

describe("exitlab lookahead", () => {
  it("passes a built-in signal source with exit code 0", async () => {
    const run = await runExitlab(["lookahead", "--signals", "macd-cross", "--cuts", "10"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("BTCUSDT: 10 of 1586 bars checked as cut points, no look-ahead found");
  });

  it("catches a strategy module that reads the next bar, with exit code 1 and the bars named", async () => {
    const run = await runExitlab(["lookahead", "--signals", LEAKY, "--cuts", "10"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/BTCUSDT: 10 of 1586 bars checked as cut points, \d+ signal values changed/);
    expect(run.stdout).toMatch(/bar \d+ \(\d{4}-\d\d-\d\dT[^)]*\) action: 1 with all bars, 0 with bars up to \d+/);
    expect(run.stdout).toContain("verdict: LOOK-AHEAD");
  });

  it("stops a version-2 strategy that reaches through ctx for the bars (the former hole) with a one-line STRATEGY error", async () => {
    const run = await runExitlab(["lookahead", "--signals", LEAKY_V2, "--data", ETH, "--cuts", "10"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^exitlab: .*ordersLeakThroughCtx\.mjs: onBar threw at ETHUSDT bar 0 \([^)]*\): Cannot read properties of undefined \(reading 'find'\)/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toContain("verdict");
  });

  it("passes the shipped version-2 examples", async () => {
    for (const example of ["smaCrossAllIn.ts", "atrTrailingStop.ts"]) {
      const run = await runExitlab(["lookahead", "--signals", join(PROJECT_ROOT, "strategies", "examples", example), "--data", ETH, "--cuts", "10"]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("ETHUSDT: 10 of 1586 bars checked as cut points, no look-ahead found");
      expect(run.stdout).toContain("verdict: no order, stop change or fill changed when future bars were added");
    }
  });

  it("checks a version-2 module's params against its defaultParams, in backtest and lookahead", async () => {
    const config = join(folder, "v2-params.json");
    writeFileSync(config, JSON.stringify({ signals: { kind: "module", module: join(PROJECT_ROOT, "strategies", "examples", "smaCrossAllIn.ts"), params: { fsat: 5 } } }));
    for (const command of [["backtest", "--out", join(folder, "v2-params")], ["lookahead", "--cuts", "2"]]) {
      const run = await runExitlab([command[0], "--config", config, "--data", ETH, ...command.slice(1)]);
      expectOneLineError(run, 2, "signals.params.fsat", 'did you mean "fast"?');
    }
  });
});

describe("signal sources from the CLI", () => {
  it("replays exported predictions into exactly the trades of the source that produced them", async () => {
    const file = join(folder, "macd.csv");
    expect((await runExitlab(["data", "predictions", "--signals", "macd-cross", "--out", file])).status).toBe(0);
    const direct = await runExitlab(["backtest", "--signals", "macd-cross", "--exit", "ai", "--out", join(folder, "direct"), "--quiet"]);
    const replayed = await runExitlab(["backtest", "--signals", file, "--exit", "ai", "--out", join(folder, "replayed"), "--quiet"]);
    expect(direct.status).toBe(0);
    expect(replayed.status).toBe(0);
    const trades = (name: string) => readFileSync(join(folder, name, "trades.csv"), "utf8");
    expect(trades("replayed")).toBe(trades("direct"));
  });

  it("runs the shipped sample predictions with math and rl sizing", async () => {
    const predictions = "data/samples/predictions/binance-perp-1h-macd-cross.csv";
    for (const sizing of ["math", "rl"]) {
      const run = await runExitlab(["backtest", "--signals", predictions, "--sizing", sizing, "--out", join(folder, `pred-${sizing}`), "--quiet"]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const summary = JSON.parse(readFileSync(join(folder, `pred-${sizing}`, "summary.json"), "utf8"));
      expect(summary.signalSource).toEqual({ predictions: 243, matched: 243, unmatched: 0, superseded: 0, unknownSymbolRows: 0 });
    }
  });

  it("runs an example strategy module and reports a module that throws with its symbol and bar", async () => {
    const example = await runExitlab(["backtest", "--signals", "strategies/signals/examples/breakout.mjs", "--out", join(folder, "breakout"), "--quiet"]);
    expect(example.status).toBe(0);
    const throwing = join(folder, "throws.mjs");
    writeModule(throwing, "export function onBar(view) { if (view.index === 100) throw new Error('boom'); return null; }\n");
    const run = await runExitlab(["backtest", "--signals", throwing, "--out", join(folder, "throws")]);
    expectOneLineError(run, 1, throwing, "boom", "BTCUSDT", "100");
  });
});

function writeModule(path: string, text: string): void {
  // Kept local: the harness writes relative to a folder, this needs an absolute path.
  writeFileSync(path, text);
}

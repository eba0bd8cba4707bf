/**
 * `exitlab backtest` configuration (SPEC §9): bad config files, flags and environment
 * variables exit 2 with one line naming where the bad value came from; the layers resolve
 * as CLI > config file > environment > defaults, and the result is in summary.json.
 */

import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ETH_WAVE,
  expectNoOutputFolder,
  expectOneLineError,
  expectRunFolder,
  hourlyBarLines,
  makeSuiteFolder,
  makeTempFolder,
  readSummary,
  readTrades,
  runExitlab,
  writeLines,
  writeText,
} from "./cliHarness.js";

const bars = hourlyBarLines(80);

/** A temp folder with a small bar file; `args` are the backtest flags after --data and --out. */
async function runWith(args: readonly string[], options: { configText?: string; env?: Record<string, string> } = {}) {
  const folder = makeTempFolder();
  const data = writeLines(folder, "BTCUSDT.csv", bars);
  const config = options.configText === undefined ? null : writeText(folder, "exitlab.json", options.configText);
  const outDir = join(folder, "run");
  const run = await runExitlab(
    ["backtest", "--data", data, "--out", outDir, ...(config === null ? [] : ["--config", config]), ...args],
    { env: options.env },
  );
  return { run, outDir, config: config ?? "" };
}

describe("exitlab backtest with a bad configuration", () => {
  it("exits 2 naming file:line:column for invalid JSON in the config file", async () => {
    const text = ["{", '  "gates": {', '    "minConfidence": 0.6,', "  }", "}", ""].join("\n");
    const { run, outDir, config } = await runWith([], { configText: text });
    // The trailing comma makes the "}" on line 4, column 3 unexpected.
    expectOneLineError(run, 2, `exitlab: ${config}:4:3: `, "invalid JSON");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming the key path and suggesting stopLossPct for an unknown key stopLoss", async () => {
    const { run, outDir, config } = await runWith([], { configText: '{ "exits": { "stopLoss": 0.02 } }' });
    expectOneLineError(run, 2, `exitlab: ${config}`, "exits", 'unknown key "stopLoss"', 'did you mean "stopLossPct"');
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming the key and the expected type for a string where a number belongs", async () => {
    const { run, outDir, config } = await runWith([], { configText: '{ "initialBalance": "lots" }' });
    expectOneLineError(run, 2, `exitlab: ${config}`, "initialBalance", "expected number");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 when sizing.leverage 250 is not below 1 / mmr = 200 with the default mmr", async () => {
    const { run, outDir, config } = await runWith([], { configText: '{ "sizing": { "leverage": 250 } }' });
    expectOneLineError(run, 2, `exitlab: ${config}`, "sizing.leverage", "200");
    expectNoOutputFolder(outDir);
  });

  it("names the flag when --leverage 250 breaks the same rule", async () => {
    const { run, outDir } = await runWith(["--leverage", "250"]);
    expectOneLineError(run, 2, "exitlab: --leverage", "sizing.leverage", "200");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming --sl and its config key when the stop loss 2 is out of range", async () => {
    const { run, outDir } = await runWith(["--sl", "2"]);
    expectOneLineError(run, 2, "exitlab: --sl", "exits.stopLossPct");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming --sl when its value is neither a number nor off", async () => {
    const { run, outDir } = await runWith(["--sl", "tight"]);
    expectOneLineError(run, 2, "exitlab: --sl: ", '"tight"');
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming --min-confidence when its value is not a number", async () => {
    const { run, outDir } = await runWith(["--min-confidence", "abc"]);
    expectOneLineError(run, 2, "exitlab: --min-confidence: ", "number");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming the argument, the value and the choices for an unknown --intrabar choice", async () => {
    const { run, outDir } = await runWith(["--intrabar", "sideways"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.startsWith("exitlab: ")).toBe(true);
    expect(run.stderr).toContain("intrabar");
    expect(run.stderr).toContain('"sideways"');
    expect(run.stderr).toContain("pessimistic");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expectNoOutputFolder(outDir);
  });

  // yargs' own choices message spans lines; the CLI folds it into `--flag: value is not one of …`.
  it("prints an unknown --intrabar choice on exactly one line", async () => {
    const { run } = await runWith(["--intrabar", "sideways"]);
    expectOneLineError(run, 2, "--intrabar", '"sideways"', "is not one of default, pessimistic, optimistic");
  });

  it("exits 2 naming an unknown flag", async () => {
    const { run, outDir } = await runWith(["--bogus", "1"]);
    expectOneLineError(run, 2, "exitlab: --bogus: unknown option");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming the path of a config file that does not exist", async () => {
    const folder = makeTempFolder();
    const data = writeLines(folder, "BTCUSDT.csv", bars);
    const missing = join(folder, "missing.json");
    const outDir = join(folder, "run");
    const run = await runExitlab(["backtest", "--data", data, "--config", missing, "--out", outDir]);
    expectOneLineError(run, 2, `exitlab: ${missing}: `, "cannot read the config file");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 when the config file holds a JSON array instead of an object", async () => {
    const { run, outDir, config } = await runWith([], { configText: "[1, 2]" });
    expectOneLineError(run, 2, `exitlab: ${config}: `, "one JSON object");
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming the variable when MIN_CONFIDENCE_THRESHOLD is not a number", async () => {
    const { run, outDir } = await runWith([], { env: { MIN_CONFIDENCE_THRESHOLD: "abc" } });
    expectOneLineError(run, 2, "exitlab: environment MIN_CONFIDENCE_THRESHOLD: ", '"abc"');
    expectNoOutputFolder(outDir);
  });

  it("exits 2 naming the variable and the key when RM_MAX_LEVERAGE is below 1", async () => {
    const { run, outDir } = await runWith([], { env: { RM_MAX_LEVERAGE: "0.5" } });
    expectOneLineError(run, 2, "exitlab: environment RM_MAX_LEVERAGE", "risk.maxLeverage");
    expectNoOutputFolder(outDir);
  });
});

describe("exitlab backtest configuration precedence", () => {
  /** Two symbols, so the symbol allowlist has something to drop. */
  let dataFolder: string;
  let configFile: string;

  beforeAll(() => {
    dataFolder = makeSuiteFolder();
    writeLines(dataFolder, "bars/BTCUSDT.csv", hourlyBarLines(120));
    writeLines(dataFolder, "bars/ETHUSDT.csv", hourlyBarLines(120, ETH_WAVE));
    configFile = writeText(dataFolder, "exitlab.json", JSON.stringify({ gates: { minConfidence: 0.6 } }));
  });

  async function backtest(args: readonly string[], env: Record<string, string>, stderr = "") {
    const outDir = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", "--data", join(dataFolder, "bars"), "--out", outDir, "--quiet", ...args], { env });
    expect(run.stderr).toEqual(stderr);
    expect(run.status).toBe(0);
    expectRunFolder(outDir);
    return outDir;
  }

  it("takes gates.minConfidence from the flag over the file over MIN_CONFIDENCE_THRESHOLD", async () => {
    const env = { MIN_CONFIDENCE_THRESHOLD: "0.9" };
    const all = await backtest(["--config", configFile, "--min-confidence", "0.7"], env);
    const fileAndEnv = await backtest(["--config", configFile], env);
    const envOnly = await backtest([], env);
    const none = await backtest([], {});

    expect(readSummary(all).config.gates.minConfidence).toBe(0.7);
    expect(readSummary(fileAndEnv).config.gates.minConfidence).toBe(0.6);
    expect(readSummary(envOnly).config.gates.minConfidence).toBe(0.9);
    expect(readSummary(none).config.gates.minConfidence).toBe(0.45);
  }, 30_000);

  it("restricts trades to TRADING_SYMBOLS=ETHUSDT and records the list in summary.json", async () => {
    const outDir = await backtest([], { TRADING_SYMBOLS: "ETHUSDT" });

    expect(readSummary(outDir).config.gates.symbols).toEqual(["ETHUSDT"]);
    const symbols = readTrades(outDir).map((trade) => trade.symbol);
    expect(symbols.length).toBeGreaterThan(0);
    expect(symbols.every((symbol) => symbol === "ETHUSDT")).toBe(true);
  });

  it("caps --leverage 5 at RM_MAX_LEVERAGE=2 in every trade, BTCUSDT and ETHUSDT alike, and says so on stderr and in summary.json", async () => {
    const outDir = await backtest(["--leverage", "5"], { RM_MAX_LEVERAGE: "2" }, expect.stringMatching(
      /^exitlab: warning: sizing\.leverage 5 is above risk\.maxLeverage 2: the run's \d+ entries used 2× \(raise --max-leverage to use 5×\)\n$/,
    ) as unknown as string);

    const summary = readSummary(outDir);
    expect(summary.config.risk.maxLeverage).toBe(2);
    expect(summary.config.sizing.leverage).toBe(5);
    const trades = readTrades(outDir);
    // Both symbols trade on this fixture, so the allowlist test above really dropped BTCUSDT.
    expect(new Set(trades.map((trade) => trade.symbol))).toEqual(new Set(["BTCUSDT", "ETHUSDT"]));
    expect(trades.map((trade) => trade.leverage)).toEqual(trades.map(() => "2"));
    expect(summary.warnings).toEqual([expect.objectContaining({ code: "leverage-capped", count: summary.counters.intents })]);
  });

  it("takes --max-leverage over RM_MAX_LEVERAGE", async () => {
    const outDir = await backtest(["--leverage", "5", "--max-leverage", "3"], { RM_MAX_LEVERAGE: "2" }, expect.stringContaining("above risk.maxLeverage 3") as unknown as string);

    expect(readSummary(outDir).config.risk.maxLeverage).toBe(3);
    const trades = readTrades(outDir);
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.every((trade) => trade.leverage === "3")).toBe(true);
  });
});

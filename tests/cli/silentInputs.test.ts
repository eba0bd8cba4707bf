/**
 * Issue 21, "nothing silent": every input exitlab ignores or changes is an error (the run
 * could not mean what was asked) or a warning on stderr that summary.json also records with
 * a count (README: "What exitlab refuses, what it warns about").
 */

import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  ETH_WAVE, HOUR_MS, JAN_1_2024_MS, PROJECT_ROOT, expectOneLineError, hourlyBarLines, makeSuiteFolder, makeTempFolder, readSummary,
  runExitlab, withField, writeLines, writeText,
} from "./cliHarness.js";

const SAMPLE_PREDICTIONS = join(PROJECT_ROOT, "data", "samples", "predictions", "binance-perp-1h-macd-cross.csv");
const suite = makeSuiteFolder();
const BARS = join(suite, "bars");
writeLines(BARS, "BTCUSDT.csv", hourlyBarLines(300));
writeLines(BARS, "ETHUSDT.csv", hourlyBarLines(300, ETH_WAVE));

/** A predictions file: a BUY every 10th bar for each symbol, with the given confidence and size multiplier. */
function predictionsFile(folder: string, options: { symbols?: readonly string[]; confidence?: string; size?: string } = {}): string {
  const lines = ["timestamp,symbol,action,confidence,score,size_multiplier"];
  for (let bar = 20; bar < 280; bar += 10) {
    for (const symbol of options.symbols ?? ["BTCUSDT", "ETHUSDT"]) {
      lines.push(`${JAN_1_2024_MS + bar * HOUR_MS},${symbol},${bar % 20 === 0 ? "BUY" : "SELL"},${options.confidence ?? "0.8"},0.5,${options.size ?? ""}`);
    }
  }
  return writeLines(folder, "predictions.csv", lines);
}

async function backtest(args: readonly string[]) {
  const out = join(makeTempFolder(), "run");
  const run = await runExitlab(["backtest", "--data", BARS, "--no-cache", "--out", out, "--quiet", ...args]);
  return { run, out };
}

describe("predictions that match the data only in part, or not at all", () => {
  it("refuses a predictions file none of whose symbols is in the data, and suggests the symbol map", async () => {
    const { run } = await backtest(["--signals", predictionsFile(makeTempFolder(), { symbols: ["btcusdt", "ethusdt"] })]);
    expectOneLineError(run, 1, "no prediction names a symbol of the data", "--symbol-map btcusdt=BTCUSDT,ethusdt=ETHUSDT");
  });

  it("warns, with a count in summary.json, when only some predictions name a symbol of the data", async () => {
    const { run, out } = await backtest(["--signals", predictionsFile(makeTempFolder(), { symbols: ["btcusdt", "ETHUSDT"] })]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("exitlab: warning: 26 of 52 predictions name a symbol the data does not have (btcusdt) and were ignored; --symbol-map btcusdt=BTCUSDT would use them\n");
    expect(readSummary(out).warnings).toEqual([expect.objectContaining({ code: "predictions-unknown-symbol", count: 26 })]);
  });

  it("uses every prediction once --symbol-map names the data's symbols, with no warning", async () => {
    const { run, out } = await backtest(["--signals", predictionsFile(makeTempFolder(), { symbols: ["btcusdt", "ETHUSDT"] }), "--symbol-map", "btcusdt=BTCUSDT"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readSummary(out).signalSource).toMatchObject({ predictions: 52, matched: 52, unmatched: 0 });
    expect(readSummary(out).warnings).toEqual([]);
  });

  it("warns about predictions outside every bar of their symbol", async () => {
    const folder = makeTempFolder();
    const file = predictionsFile(folder);
    writeFileSync(file, `${readFileSync(file, "utf8")}${JAN_1_2024_MS + 5000 * HOUR_MS},BTCUSDT,BUY,0.8,0.5,\n`);
    const { run, out } = await backtest(["--signals", file]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("1 of 53 predictions fall outside every bar of their symbol");
    expect(readSummary(out).warnings).toEqual([expect.objectContaining({ code: "predictions-outside-bars", count: 1 })]);
  });
});

describe("confidence scale and size multipliers of predictions", () => {
  it("refuses confidences on a 0–100 scale, naming the line and the --confidence-scale option", async () => {
    const { run } = await backtest(["--signals", predictionsFile(makeTempFolder(), { confidence: "80" })]);
    expectOneLineError(run, 1, "predictions.csv:2: confidence 80 is outside 0..1", "--confidence-scale 100");
  });

  it("reads 0–100 confidences with --confidence-scale 100 as the same run as 0–1 confidences", async () => {
    const hundred = await backtest(["--signals", predictionsFile(makeTempFolder(), { confidence: "80" }), "--confidence-scale", "100", "--exit", "ai"]);
    const one = await backtest(["--signals", predictionsFile(makeTempFolder(), { confidence: "0.8" }), "--exit", "ai"]);
    expect(hundred.run.stderr).toBe("");
    expect(readFileSync(join(hundred.out, "trades.csv"), "utf8")).toBe(readFileSync(join(one.out, "trades.csv"), "utf8"));
  });

  it("refuses --confidence-scale 100 on a file whose confidences are all 0..1", async () => {
    const { run } = await backtest(["--signals", predictionsFile(makeTempFolder()), "--confidence-scale", "100"]);
    expectOneLineError(run, 1, "--confidence-scale 100 is set but every confidence is at most 0.8");
  });

  it("refuses a negative size_multiplier in a predictions file, as a strategy module does", async () => {
    const { run } = await backtest(["--signals", predictionsFile(makeTempFolder(), { size: "-1" })]);
    expectOneLineError(run, 1, "predictions.csv:2: size multiplier -1 is negative");
  });

  it("refuses an absurd size_multiplier (above 10)", async () => {
    const { run } = await backtest(["--signals", predictionsFile(makeTempFolder(), { size: "1000" })]);
    expectOneLineError(run, 1, "predictions.csv:2: size multiplier 1000 is above 10");
  });

  it("warns that signals with size multiplier 0 open no position", async () => {
    const { run, out } = await backtest(["--signals", predictionsFile(makeTempFolder(), { size: "0" })]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("exitlab: warning: 52 BUY/SELL signals carry size multiplier 0 and open no position\n");
    expect(readSummary(out).warnings).toEqual([{ code: "signals-zero-size", count: 52, message: expect.any(String) }]);
  });
});

describe("strategy modules", () => {
  const moduleFolder = makeSuiteFolder();
  const withDefaults = writeText(moduleFolder, "withDefaults.mjs", [
    "export const defaultParams = { every: 20 };",
    "export function onBar(view, params) { return view.length % params.every === 0 ? { action: 'BUY', confidence: 0.9 } : null; }",
  ].join("\n"));

  it("refuses a misspelled module parameter, suggesting the declared one", async () => {
    const config = writeText(makeTempFolder(), "config.json", JSON.stringify({ signals: { kind: "module", module: withDefaults, params: { evry: 10 } } }));
    const { run } = await backtest(["--config", config]);
    expectOneLineError(run, 2, "signals.params.evry", 'did you mean "every"?');
  });

  it("refuses a negative sizeMultiplier from a module, as from a predictions file", async () => {
    const negative = writeText(makeTempFolder(), "negative.mjs", "export function onBar() { return { action: 'BUY', sizeMultiplier: -1 }; }");
    const { run } = await backtest(["--signals", negative]);
    expectOneLineError(run, 1, "sizeMultiplier must be in [0, 10]");
  });

  it("loads a .ts module whose default export holds onBar, outside a type=module package", async () => {
    const file = writeText(makeTempFolder(), "defaultExport.ts", [
      "export default {",
      "  onBar(view: { length: number }) { return view.length % 25 === 0 ? { action: 'BUY' as const, confidence: 0.9 } : null; },",
      "};",
    ].join("\n"));
    const { run } = await backtest(["--signals", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});

describe("flags and config values changed or unused", () => {
  it("refuses --symbols naming no symbol of the data", async () => {
    const { run } = await backtest(["--symbols", "XRPUSDT"]);
    expectOneLineError(run, 2, "none of the allowed symbols (XRPUSDT) is in the data (BTCUSDT, ETHUSDT)");
  });

  it("warns when --symbols names some symbols the data does not have", async () => {
    const { run, out } = await backtest(["--symbols", "BTCUSDT,XRPUSDT"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("exitlab: warning: 1 of the allowed symbols are not in the data and do nothing: XRPUSDT\n");
    expect(readSummary(out).warnings).toEqual([expect.objectContaining({ code: "symbols-not-in-data", count: 1 })]);
  });

  it("warns even with --quiet that --leverage 50 was capped by the maximum leverage", async () => {
    const { run, out } = await backtest(["--leverage", "50"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^exitlab: warning: sizing\.leverage 50 is above risk\.maxLeverage 25: the run's \d+ entries used 25×/);
    expect(readSummary(out).warnings[0]).toMatchObject({ code: "leverage-capped" });
  });

  it("refuses a lot size of 5e-324, which used to end the run with equity NaN", async () => {
    const { run } = await backtest(["--lot-size", "5e-324"]);
    expectOneLineError(run, 2, "--lot-size exchange.lotSize: must be 0 (none) or at least 1e-12");
  });

  it("refuses a constant funding rate beyond the bound funding files have too", async () => {
    const { run } = await backtest(["--funding-rate", "0.5"]);
    expectOneLineError(run, 2, "--funding-rate exchange.fundingRate");
  });
});

describe("data that would be ignored or is not a market", () => {
  it("refuses a funding file rate of 1 per 8 h (the bound is 5 %, as for the config's rate)", async () => {
    const folder = makeTempFolder();
    const funding = writeLines(folder, "funding/BTCUSDT.csv", ["timestamp,funding_rate", `${JAN_1_2024_MS},1`]);
    const { run } = await backtest(["--funding", funding]);
    expectOneLineError(run, 1, "BTCUSDT.csv:2: funding rate 1 is outside −0.05..0.05");
  });

  it("refuses a bar whose high is 1e308", async () => {
    const folder = makeTempFolder();
    const file = writeLines(folder, "BTCUSDT.csv", withField(hourlyBarLines(50), 10, 2, "1e308"));
    const run = await runExitlab(["backtest", "--data", file, "--no-cache", "--out", join(folder, "run")]);
    expectOneLineError(run, 1, "BTCUSDT.csv:10: high 1e+308 is above 1000000000000, not a market price");
  });

  it("refuses detail bars that lie inside no main bar", async () => {
    const folder = makeTempFolder();
    const detail = writeLines(folder, "detail/BTCUSDT.csv", hourlyBarLines(10, { startMs: JAN_1_2024_MS + 1000 * HOUR_MS }).map((line, k) =>
      k === 0 ? line : line.replace(/^(\d+)/, (ms) => String(JAN_1_2024_MS + 1000 * HOUR_MS + (Number(ms) - JAN_1_2024_MS - 1000 * HOUR_MS) / 60))));
    const { run } = await backtest(["--detail-data", detail]);
    expectOneLineError(run, 1, "detail bars for BTCUSDT", "lie inside no main bar");
  });

  it.each([
    ["a ZIP archive", (csv: Buffer) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), csv]), "the file is a ZIP archive, not a CSV"],
    ["a gzip file", (csv: Buffer) => gzipSync(csv), "the file is gzip-compressed, not a CSV"],
    ["a ;-delimited file", (csv: Buffer) => Buffer.from(csv.toString().replace(/,/g, ";")), "separated by semicolons, not commas"],
  ])("says that %s is not a comma-separated CSV instead of asking to rename the time column", async (_name, transform, message) => {
    const folder = makeTempFolder();
    const file = join(folder, "BTCUSDT.csv");
    writeFileSync(file, transform(Buffer.from(hourlyBarLines(20).join("\n"))));
    const run = await runExitlab(["backtest", "--data", file, "--no-cache", "--out", join(folder, "run")]);
    const line = expectOneLineError(run, 1, message);
    expect(line).not.toContain("rename the time column");
  });
});

describe("commands", () => {
  it("calls a mistyped command an unknown command and suggests the right one", async () => {
    const run = await runExitlab(["backtset"]);
    expectOneLineError(run, 2, "backtset: unknown command (did you mean backtest?)");
  });

  it("lists every command when none is given, the same commands --help lists", async () => {
    const run = await runExitlab([]);
    const help = await runExitlab(["--help"], { spawn: true });
    const listed = [...help.stdout.matchAll(/^ {2}exitlab (\w+)/gm)].map((match) => match[1]);
    expect(listed.length).toBeGreaterThan(5);
    expectOneLineError(run, 2, `name a command: ${listed.join(", ")}`);
  });
});

describe("sweep grids", () => {
  it("refuses a grid whose misspelled key makes every cell invalid, suggesting the key", async () => {
    const folder = makeTempFolder();
    const grid = writeText(folder, "grid.json", JSON.stringify({ grid: { "exits.stopLosPct": [0.01, 0.02] } }));
    const run = await runExitlab(["sweep", "--grid", grid, "--data", BARS, "--out", join(folder, "sweep"), "--workers", "1", "--quiet"]);
    expectOneLineError(run, 2, "none of the 2 cells is a valid config", '"stopLosPct" is not a key for kind "static" (did you mean "stopLossPct"?)');
  }, 30_000);
});

describe("exitlab lookahead", () => {
  it("says a predictions file cannot be checked by cutting bars, and reports its timing instead", async () => {
    const run = await runExitlab(["lookahead", "--signals", SAMPLE_PREDICTIONS]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("is a predictions file: its rows are fixed, so cutting bars cannot show look-ahead");
    expect(run.stdout).toContain("243 of 243 predictions act on a bar");
    expect(run.stdout).toContain("timestamp to the close it acts at: min 1.00 h, median 1.00 h, max 1.00 h");
    expect(run.stdout).toContain("verdict: NOT CHECKED for look-ahead");
    expect(run.stdout).not.toContain("no look-ahead found");
  });

  it("by default checks every bar and catches a next-bar leak planted on a single bar", async () => {
    const folder = makeTempFolder();
    const leak = writeText(folder, "leakOnce.mjs", [
      "export function computeSignals(series) {",
      "  const action = new Int8Array(series.length);",
      "  // Bar 137 reads bar 138's close: a leak on one single bar.",
      "  if (series.length > 138 && series.close[138] > 0) action[137] = 1;",
      "  return { action };",
      "}",
    ].join("\n"));
    const run = await runExitlab(["lookahead", "--signals", leak, "--data", join(BARS, "BTCUSDT.csv")]);
    expect(run.stdout).toContain("BTCUSDT: 299 of 299 bars checked as cut points");
    expect(run.stdout).toContain("bar 137");
    expect(run.status).toBe(1);
  });

  it("caps --cuts at the number of bars and says so", async () => {
    const run = await runExitlab(["lookahead", "--data", join(BARS, "BTCUSDT.csv"), "--cuts", "100000"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("BTCUSDT: 299 of 299 bars checked as cut points (--cuts 100000 capped at the 299 bars that can be cut)");
  });
});

describe("exitlab regress and the baseline's config", () => {
  it("stores config and data fingerprint, reports a different config as such, and compares anyway on request", async () => {
    const folder = makeTempFolder();
    const baseline = join(folder, "baseline.json");
    const common = ["regress", "--baseline", baseline, "--data", BARS, "--no-cache", "--out", join(folder, "run")];
    expect((await runExitlab([...common, "--update"])).status).toBe(0);
    const stored = JSON.parse(readFileSync(baseline, "utf8"));
    expect(stored.config.exits.kind).toBe("static");
    expect(stored.data.map((source: { kind: string; symbol: string }) => `${source.kind}:${source.symbol}`)).toEqual(["bars:BTCUSDT", "bars:ETHUSDT"]);
    expect((await runExitlab(common)).status).toBe(0);

    const other = await runExitlab([...common, "--sl", "0.01"]);
    expect(other.status).toBe(1);
    expect(other.stdout).toContain("CONFIG DIFFERS from the baseline's run");
    expect(other.stdout).toContain("exits.stopLossPct 0.03 → 0.01");
    expect(other.stdout).not.toContain("REGRESSED");

    const anyway = await runExitlab([...common, "--sl", "0.01", "--check-anyway"]);
    expect(anyway.stderr).toContain("compared anyway (--check-anyway)");
    expect(anyway.stdout).toContain("exitlab regress against");
  }, 30_000);

  it("checks a baseline written before config and data were stored as before, with a note", async () => {
    const folder = makeTempFolder();
    const baseline = join(folder, "perp-static.json");
    // An older exitlab wrote the same file without its config and data fingerprint.
    const { config: _config, data: _data, ...older } = JSON.parse(readFileSync(join(PROJECT_ROOT, ".ci", "baselines", "perp-static.json"), "utf8"));
    writeFileSync(baseline, `${JSON.stringify(older, null, 2)}\n`);
    const run = await runExitlab(["regress", "--baseline", baseline, "--out", join(folder, "run")]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("records no config or data fingerprint (written by an older exitlab); checked as before");
    expect(run.stdout).toContain("PASS");
  }, 30_000);
});

describe("the RL agent on states its Q-table never trained", () => {
  it("uses the mathematician's sizing there and reports how many decisions did, on stderr and in summary.json", async () => {
    const folder = makeTempFolder();
    const table = join(folder, "q.json");
    // A Q-table saved from a run too short to close a trade: every state untrained.
    const shortBars = writeLines(folder, "short/BTCUSDT.csv", hourlyBarLines(5));
    expect((await runExitlab(["backtest", "--data", shortBars, "--no-cache", "--sizing", "rl", "--rl-save", table, "--out", join(folder, "train"), "--quiet"])).status).toBe(0);
    const evaluated = await backtest(["--sizing", "rl", "--rl-mode", "eval", "--rl-load", table]);
    const math = await backtest(["--sizing", "math"]);
    expect(evaluated.run.status).toBe(0);
    const warning = readSummary(evaluated.out).warnings.find((w: { code: string }) => w.code === "rl-untrained-states");
    expect(warning.count).toBeGreaterThan(0);
    expect(warning.message).toMatch(/^(\d+) of \1 RL decisions \(100\.0 %\) fell in states the Q-table never trained; those used the mathematician's own sizing; above 25 %/);
    expect(evaluated.run.stderr).toContain("exitlab: warning: ");
    expect(evaluated.run.stderr).toContain("fell in states the Q-table never trained");
    // Every decision untrained: the same trades as the mathematician alone.
    expect(readFileSync(join(evaluated.out, "trades.csv"), "utf8")).toBe(readFileSync(join(math.out, "trades.csv"), "utf8"));
  }, 30_000);
});

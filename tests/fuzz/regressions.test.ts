/**
 * Minimal reproductions of the bugs the fuzzer found (see README.md). Each test states the
 * behaviour SPEC §2/§9 and the README's error contract require.
 *
 * - `it`: the bug is fixed; the test guards against its return.
 * - `it.fails`: the bug is still open (it also has an entry in knownFindings.ts, so the fuzz run
 *   stays green). The test passes as long as the product still fails the expectation and turns
 *   red once the bug is fixed: then change it to `it` and delete the entry in knownFindings.ts.
 *
 * The comments name the code that was (or is) at fault.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  expectNoOutputFolder,
  expectOneLineError,
  hourlyBarLines,
  makeTempFolder,
  readCsvRows,
  readSummary,
  runExitlab,
  writeLines,
  writeText,
} from "../cli/cliHarness.js";

// Every run passes --no-cache: the tests must see today's validation, not an entry an older
// version cached (see the report's F13), and must not write a cache into the project folder.

/** A cheap coin (about 0.5 USDT) on the harness's sine wave: the EMA cross goes long, then short. */
function cheapCoin(folder: string): string {
  return writeLines(folder, "XRPUSDT.csv", hourlyBarLines(80, { base: 0.5, amplitude: 0.05, drift: 0.0005, wick: 0.005 }));
}

function barsFile(folder: string): string {
  return writeLines(folder, "BTCUSDT.csv", hourlyBarLines(60));
}

/** No C0 control character (tab aside) in the error line: a CR or an escape breaks it on a terminal too. */
function expectPrintable(line: string): void {
  expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
}

describe("fuzz findings", () => {
  it("F1: a tick size above the price never fills at 0 or writes NaN into the account", async () => {
    // engine/paperExchange.ts openPosition: price = roundAgainstTrader(...) rounds a short's 0.5 down to 0;
    // marginBudget / 0 = Infinity quantity; notional 0 × Infinity = NaN passes every refusal check.
    const folder = makeTempFolder();
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", cheapCoin(folder), "--tick-size", "1", "--out", out, "--quiet"]);
    if (run.status !== 0) {
      expectOneLineError(run, run.status ?? -1);
      return;
    }
    const summary = readSummary(out);
    expect(summary.account.finalEquity).toEqual(expect.any(Number));
    expect(summary.account.reconciliationError).toBeLessThanOrEqual(1e-9);
    for (const fill of readCsvRows(join(out, "fills.csv"))) expect(Number(fill.price)).toBeGreaterThan(0);
  });

  it("F1b: rl sizing with a zero-price fill ends in a one-line error or a finite run, not an internal error", async () => {
    // strategies/sizing/rlAgent.ts recordOutcome throws a RangeError on the NaN reward F1 produces.
    const folder = makeTempFolder();
    const run = await runExitlab(["backtest", "--no-cache", "--data", cheapCoin(folder), "--tick-size", "1", "--sizing", "rl", "--out", join(folder, "run"), "--quiet"]);
    expect(run.stderr).not.toContain("internal error");
    expect(run.status).toBe(0);
  });

  it("F8: an exit fee cannot take the balance below zero (fee rates were accepted up to 100 %)", async () => {
    // strategies/config.ts exchangeSchema: takerFeeRate/makerFeeRate are `fraction` (0..1); 0.5 at 100× leverage
    // costs 50× the margin on the TP exit. Either the schema refuses such rates or the run must not end below zero.
    const folder = makeTempFolder();
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--leverage", "100", "--max-leverage", "150", "--maker-fee", "0.5", "--out", out, "--quiet"]);
    if (run.status !== 0) {
      expectOneLineError(run, 2, "--maker-fee");
      return;
    }
    expect(readSummary(out).account.finalEquity).toBeGreaterThanOrEqual(0);
  });

  it("F9: a funding rate of 1e308 in a funding file is refused or stays finite", async () => {
    // data/loadFunding.ts checked only that the rate was finite; engine funding then overflowed to Infinity/NaN.
    const folder = makeTempFolder();
    const data = barsFile(folder);
    const hours = Array.from({ length: 60 }, (_, k) => `${Date.UTC(2024, 0, 1) + k * 3_600_000},1e308`); // hourly, so an open position pays
    const funding = writeLines(folder, "funding/BTCUSDT.csv", ["timestamp,funding_rate", ...hours]);
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", data, "--funding", funding, "--out", out, "--quiet"]);
    if (run.status !== 0) {
      expectOneLineError(run, 1, "BTCUSDT.csv");
      return;
    }
    const account = readSummary(out).account;
    expect(account.finalEquity).toEqual(expect.any(Number));
    expect(account.fundingUsd).toEqual(expect.any(Number));
  });

  it("F10: funding cannot take a position beyond its isolated margin or the account below zero", async () => {
    // Daily bars, 80 % of the balance as margin at 10× (math sizing) and 2 % funding per 8 h: the first
    // trade's funding exceeds its margin. Funding is settled in the isolated wallet (README "Margin and
    // liquidation"): the liquidation price moves with it and the position is liquidated before the
    // wallet is empty, so no trade pays more funding than its margin and the account stays ≥ 0.
    const folder = makeTempFolder();
    const daily = hourlyBarLines(80).map((line, index) => {
      if (index === 0) return line;
      const [time, ...rest] = line.split(",");
      return [Date.UTC(2024, 0, 1) + (Number(time) - Date.UTC(2024, 0, 1)) * 24, ...rest].join(",");
    });
    const data = writeLines(folder, "BTCUSDT.csv", daily);
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", data, "--sizing", "math", "--funding-rate", "0.02", "--out", out, "--quiet"]);
    expect(run.status).toBe(0);
    expect(readSummary(out).account.finalEquity).toBeGreaterThanOrEqual(0);
    for (const trade of readCsvRows(join(out, "trades.csv"))) expect(-Number(trade.funding_usd)).toBeLessThanOrEqual(Number(trade.margin_usd));
  });

  it("F11a: a Q-table save that fails leaves no run folder behind (the error contract)", async () => {
    // workflows/backtest.ts runBacktestCommand writes the run folder first, then writeTextAtomically(sizing.save):
    // a save that fails exits 1 with the run folder already in place.
    const folder = makeTempFolder();
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--sizing", "rl", "--rl-save", folder, "--out", out, "--quiet"]);
    expectOneLineError(run, 1);
    expectNoOutputFolder(out);
  });

  it("F11b: a Q-table save under a file is a one-line error, not an internal error", async () => {
    // workflows/backtest.ts writeTextAtomically: the cleanup rmSync(temporary, { force: true }) throws ENOTDIR
    // (force only ignores ENOENT), so the raw error escapes the OutputError wrapping.
    const folder = makeTempFolder();
    const blocker = writeText(folder, "blocker", "a file\n");
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--sizing", "rl", "--rl-save", join(blocker, "q.json"), "--out", join(folder, "run"), "--quiet"]);
    expect(run.stderr).not.toContain("internal error");
    expectOneLineError(run, 1);
  });

  it("F2: an unknown key in a predictions `signals` section is a config error naming the key", async () => {
    // workflows/resolveConfig.ts knownKeys: configSchema.parse({ signals: { kind: "predictions" } }) throws a ZodError
    // (predictions needs `file`) while building the "did you mean" list.
    const folder = makeTempFolder();
    const predictions = writeLines(folder, "preds.csv", ["timestamp,symbol,action,confidence", "1704067200000,BTCUSDT,BUY,0.9"]);
    const config = writeText(folder, "config.json", JSON.stringify({ signals: { kind: "predictions", file: predictions, path: predictions } }));
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--config", config, "--out", out]);
    expectOneLineError(run, 2, 'unknown key "path"');
    expectNoOutputFolder(out);
  });

  it("F3: a config file nested 5000 brackets deep is a config error, not a stack overflow", async () => {
    // workflows/resolveConfig.ts fileLayer: jsonc-parser's recursive parse overflows the stack (RangeError → internal error).
    const folder = makeTempFolder();
    const config = writeText(folder, "config.json", `{"x": ${"[".repeat(5000)}${"]".repeat(5000)}}`);
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--config", config, "--out", out]);
    expectOneLineError(run, 2);
    expectNoOutputFolder(out);
  });

  it("F4: arguments after `--` are refused, not silently dropped (the run would write runs/backtest instead of --out)", async () => {
    // cli/runCli.ts: yargs puts everything after "--" into argv["--"], which .strict() does not check.
    const folder = makeTempFolder();
    const data = barsFile(folder);
    const out = join(folder, "wanted");
    const run = await runExitlab(["backtest", "--no-cache", "--data", data, "--", "--out", out], { cwd: folder });
    expect(existsSync(join(folder, "runs")), "a run folder appeared at the default place").toBe(false);
    expectOneLineError(run, 2);
  });

  it("F5a: an environment variable holding a line break gives a one-line error", async () => {
    // workflows/resolveConfig.ts environmentLayer: `"${text}" is not a number` quotes the raw value.
    const folder = makeTempFolder();
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--out", join(folder, "run")], { env: { RM_MAX_LEVERAGE: "1\n2" } });
    expectOneLineError(run, 2, "RM_MAX_LEVERAGE");
  });

  it("F5b: a quoted CSV field holding a line break gives a one-line error", async () => {
    // data/validateBars.ts describeBadNumber quotes the raw field (also csvHeader.ts requireColumn's header list,
    // and fields with CR or NUL bytes).
    const folder = makeTempFolder();
    const lines = hourlyBarLines(60);
    const fields = lines[10].split(",");
    fields[4] = `"${fields[4]}\n9"`;
    lines[10] = fields.join(",");
    const data = writeLines(folder, "BTCUSDT.csv", lines);
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--no-cache", "--data", data, "--out", out]);
    expectOneLineError(run, 1, "BTCUSDT.csv:11");
    expectNoOutputFolder(out);
  });

  it("F5c: a Q-table that is not JSON gives a one-line error", async () => {
    // strategies/sizing/rlQTable.ts parseQTable quotes V8's JSON.parse message, which holds the text around the error.
    const folder = makeTempFolder();
    const table = writeText(folder, "q.json", '{\n  "format": "exitlab/rl-q-table",\n  "version": x\n}\n');
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--sizing", "rl", "--rl-load", table, "--out", join(folder, "run")]);
    expectOneLineError(run, 2, "Q-table");
  });

  it("F5d: a strategy module's multi-line error message gives a one-line error", async () => {
    // strategies/signals/userModule.ts userCodeFailed / loadUserSignalModule quote messageOf(error) as is.
    const folder = makeTempFolder();
    const module = writeText(folder, "strategy.mjs", 'export function computeSignals() { throw new Error("line one\\nline two"); }\n');
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--signals", module, "--out", join(folder, "run")]);
    expectOneLineError(run, 1, "strategy.mjs");
  });

  it("F5e: a flag value holding a carriage return gives a printable one-line error", async () => {
    // cli/runCli.ts usageMessage and cli/backtestFlags.ts levelOrOff quote the raw value.
    const folder = makeTempFolder();
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--sl", "0.0\r5", "--out", join(folder, "run")]);
    const line = expectOneLineError(run, 2, "--sl");
    expectPrintable(line);
  });

  it("F5f: a path holding a NUL character gives a printable one-line error", async () => {
    // data/resolveDataPaths.ts statOrNull: `cannot read (ERR_INVALID_ARG_VALUE)` with the raw path as `where`.
    const folder = makeTempFolder();
    const run = await runExitlab(["backtest", "--no-cache", "--data", `${barsFile(folder)}\u0000x`, "--out", join(folder, "run")]);
    const line = expectOneLineError(run, 1);
    expectPrintable(line);
  });

  it("F12: a DEL character (U+007F) in echoed input is escaped like the other control characters", async () => {
    // cli/runCli.ts oneLine: DEL, C1 controls and U+2028/9 are written as \uXXXX (JSON.stringify leaves them raw).
    const folder = makeTempFolder();
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--out", join(folder, "run")], { env: { RM_MAX_LEVERAGE: "1\u007f2" } });
    const line = expectOneLineError(run, 2, "RM_MAX_LEVERAGE");
    expectPrintable(line);
  });

  it("F6: a signal whose `action` getter throws is a strategy error, not an internal error", async () => {
    // strategies/signals/userSignals.ts writeSignalLike reads signal.action outside runOnBar's try (userModule.ts).
    const folder = makeTempFolder();
    const module = writeText(folder, "getter.mjs", 'export function onBar(view) { return view.index === 3 ? { get action() { throw new Error("getter failed"); } } : null; }\n');
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--signals", module, "--out", join(folder, "run")]);
    expectOneLineError(run, 1, "getter.mjs");
  });

  it("F7: a strategy module that throws an object without a prototype is a strategy error, not an internal error", async () => {
    // strategies/signals/userModule.ts messageOf: String(Object.create(null)) throws a TypeError.
    const folder = makeTempFolder();
    const module = writeText(folder, "odd.mjs", "export function onBar(view) { if (view.index === 3) throw Object.create(null); return null; }\n");
    const run = await runExitlab(["backtest", "--no-cache", "--data", barsFile(folder), "--signals", module, "--out", join(folder, "run")]);
    expectOneLineError(run, 1, "odd.mjs");
  });

});

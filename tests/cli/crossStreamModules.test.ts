import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleParamsOf } from "../../cli/backtestFlags.js";
import { expectOneLineError, makeSuiteFolder, readSummary, runExitlab, writeText } from "./cliHarness.js";

const folder = makeSuiteFolder();
const ETH = "data/samples/binance-perp-1h/ETHUSDT.csv";
const BTC = "data/samples/binance-perp-1h/BTCUSDT.csv";
const HTF = "strategies/examples/htfTrendFilter.ts";

describe("--param KEY=VALUE", () => {
  it("reads values as JSON when they parse and as text otherwise, and refuses a pair without a name", () => {
    expect(moduleParamsOf(["fast=12", "timeframe=1d", "on=true", 'name="x"', "list=[1,2]"], "param")).toEqual({ fast: 12, timeframe: "1d", on: true, name: "x", list: [1, 2] });
    expect(() => moduleParamsOf(["=3"], "param")).toThrow(/is not KEY=VALUE/);
    expect(() => moduleParamsOf(["a=1", "a=2"], "param")).toThrow(/given twice/);
  });

  it("changes the module's behaviour from the command line and lands in the run's config", async () => {
    const base = await runExitlab(["backtest", "--signals", HTF, "--data", ETH, "--out", join(folder, "base"), "--quiet"]);
    const daily = await runExitlab(["backtest", "--signals", HTF, "--data", ETH, "--param", "timeframe=1d", "--param", "trendBars=5", "--out", join(folder, "daily"), "--quiet"]);
    expect(base.status).toBe(0);
    expect(daily.status).toBe(0);
    expect(readSummary(join(folder, "daily")).config.signals.params).toEqual({ timeframe: "1d", trendBars: 5 });
    expect(readSummary(join(folder, "daily")).counters).not.toEqual(readSummary(join(folder, "base")).counters);
  });

  it("refuses an unknown parameter name with a suggestion, on backtest and on lookahead", async () => {
    const run = await runExitlab(["backtest", "--signals", HTF, "--data", ETH, "--param", "trendbar=5", "--out", join(folder, "typo")]);
    expectOneLineError(run, 2, '"trendbar" is not a parameter of the strategy module (did you mean "trendBars"?)');
    const check = await runExitlab(["lookahead", "--signals", HTF, "--data", ETH, "--param", "trendBar=5", "--cuts", "2"]);
    expectOneLineError(check, 2, 'did you mean "trendBars"?');
  });
});

describe("exitlab lookahead over other symbols", () => {
  it("passes the BTC-regime example and catches a module that reads the BTC bar not yet closed", async () => {
    const honest = await runExitlab(["lookahead", "--signals", "strategies/examples/btcRegimeFilter.ts", "--data", ETH, "--data", BTC, "--cuts", "10"]);
    expect(honest.status).toBe(0);
    const leak = writeText(folder, "leakBtc.mjs", `
      export function computeSignals(series, params, context) {
        const btc = context.other("BTCUSDT");
        return Array.from(series.close, (close, i) => {
          const next = btc.series.close[btc.closedIndex[i] + 1];
          return next === undefined ? null : { action: next > btc.series.close[btc.closedIndex[i]] ? "BUY" : "SELL" };
        });
      }`);
    const run = await runExitlab(["lookahead", "--signals", leak, "--data", ETH, "--data", BTC, "--cuts", "10"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/ETHUSDT: 10 of 1586 bars checked as cut points, \d+ signal values changed/);
  });
});

describe("--informative bars of another timeframe", () => {
  const SPOT = "data/samples/binance-spot-1h";

  it("lets a module on 1m ETH bars filter by the supplied 1h BTC bars, and passes the look-ahead check", async () => {
    const args = ["--signals", "strategies/examples/btcRegimeFilter.ts", "--data", `${SPOT}/detail/ETHUSDT.csv`, "--informative", `${SPOT}/BTCUSDT.csv`];
    const run = await runExitlab(["backtest", ...args, "--market", "spot", "--out", join(folder, "informative"), "--quiet"]);
    expect(run.status).toBe(0);
    expect(readSummary(join(folder, "informative")).counters.intents).toBeGreaterThan(0);
    const check = await runExitlab(["lookahead", ...args, "--cuts", "5"]);
    expect(check.status).toBe(0);
  });

  it("is refused for a signal source that is not a module, and for a symbol and timeframe the run has already", async () => {
    expectOneLineError(await runExitlab(["backtest", "--informative", `${SPOT}/BTCUSDT.csv`, "--out", join(folder, "no")]), 2, "informative bars are read by strategy modules only");
    const twice = await runExitlab(["backtest", "--signals", HTF, "--data", ETH, "--informative", ETH, "--out", join(folder, "twice")]);
    expectOneLineError(twice, 2, "ETHUSDT at 60-minute bars is given twice");
  });
});

describe("exitlab lookahead on a version-2 module reading another symbol", () => {
  const source = (prepare: string, rule: string) => `
      export const strategyVersion = 2;
      ${prepare}
      export function onBar(view, ctx) {
        if (view.symbol !== "ETHUSDT") return;
        const btc = view.other("BTCUSDT");
        if (btc.index >= 1 && ctx.position === null && ${rule}) {
          ctx.submit({ side: "buy", size: { kind: "fraction", fraction: 0.1 }, exits: { stopLoss: { pct: 0.01, anchor: "fill" }, takeProfit: { pct: 0.01, anchor: "fill" } } });
        }
      }`;
  const lookahead = (file: string) => runExitlab(["lookahead", "--signals", file, "--data", ETH, "--data", BTC, "--cuts", "4"]);

  it("replays it with every symbol cut at the same close", async () => {
    const run = await lookahead(writeText(folder, "v2other.mjs", source("", "btc.close() > btc.close(btc.index - 1)")));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("ETHUSDT: 4 of 1586 bars checked as cut points, no look-ahead found");
  });

  it("runs its async prepare again on every cut: a causal prepare passes", async () => {
    // prepare marks, for every ETH bar, whether its close rose: bar i's mark reads closes i−1 and i only.
    const clean = source(
      "export async function prepare(series, params, context) { await Promise.resolve(); context.state.rose = Array.from(series.close, (close, i) => i > 0 && close > series.close[i - 1]); }",
      "(view.state.rose[view.index] ?? false) && btc.close() > btc.close(btc.index - 1)",
    );
    const run = await lookahead(writeText(folder, "v2prepareClean.mjs", clean));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("ETHUSDT: 4 of 1586 bars checked as cut points, no look-ahead found");
  });

  it("catches a prepare that reads the module's own last bar, or another symbol's", async () => {
    const ownLeak = source("export async function prepare(series, params, context) { context.state.last = series.close[series.length - 1]; }", "view.close() < view.state.last");
    const own = await lookahead(writeText(folder, "v2prepareLeak.mjs", ownLeak));
    expect(own.status).toBe(1);
    expect(own.stdout).toMatch(/ETHUSDT: 4 of 1586 bars checked as cut points, the order stream changed at [1-4] cut points? when later bars were added/);
    const btcLeak = source(
      'export async function prepare(series, params, context) { const btc = context.other("BTCUSDT").series; context.state.btcLast = btc.close[btc.length - 1]; }',
      "btc.close() < view.state.btcLast",
    );
    const other = await lookahead(writeText(folder, "v2prepareLeakBtc.mjs", btcLeak));
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/ETHUSDT: 4 of 1586 bars checked as cut points, the order stream changed at [1-4] cut points? when later bars were added/);
  });
});

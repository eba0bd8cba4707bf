import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { writeBarsCsv } from "../../data/index.js";
import {
  backtest, compare, ConfigError, DataError, generateSynthBars, loadData, marketDataFromColumns, parseConfig, regress, baselineJson,
} from "../../index.js";
import { toDataFrames } from "../../reports/dataFrames.js";
import { PROJECT_ROOT } from "../cli/cliHarness.js";

const folder = mkdtempSync(join(tmpdir(), "exitlab-library-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const HOUR_MS = 3_600_000;
const series = generateSynthBars({ symbol: "SYNTHUSDT", bars: 3000, seed: 7, startTimeMs: Date.UTC(2024, 0, 1), timeframeMs: HOUR_MS, startPrice: 100 });
const columns = { symbol: series.symbol, time: series.time, open: series.open, high: series.high, low: series.low, close: series.close, volume: series.volume };

describe("the library entry", () => {
  it("is shown in README by examples/library.ts, word for word (the packed-package test compiles and runs that file)", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Use it as a library"));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(join(PROJECT_ROOT, "examples", "library.ts"), "utf8"));
  });

  it("throws a config mistake as a ConfigError with its stable code, naming the key as the config file would", () => {
    expect(() => parseConfig({ exits: { kind: "static", stopLossPct: "3%" } })).toThrow(ConfigError);
    try {
      parseConfig({ exitz: {} });
    } catch (error) {
      expect((error as ConfigError).code).toBe("CONFIG_INVALID");
      expect((error as ConfigError).oneLine()).toBe('config: unknown key "exitz" (did you mean "exits"?)');
    }
    expect.assertions(3);
  });

  it("backtests in-memory columns to the same trades and statistics as the same bars read from a CSV file", async () => {
    const file = join(folder, "SYNTHUSDT.csv");
    writeBarsCsv(series, file);
    const fromFile = await backtest({}, { data: await loadData({ paths: [file] }) });
    const fromColumns = await backtest({}, { data: marketDataFromColumns([columns]) });
    expect(fromFile.trades.length).toBeGreaterThan(10);
    expect(fromColumns.stats).toEqual(fromFile.stats);
    expect(fromColumns.trades).toEqual(fromFile.trades);
    expect(fromColumns.account.finalEquity).toBe(fromFile.account.finalEquity);
  });

  it("rejects inconsistent columns with a DataError naming the symbol and row", () => {
    const high = Float64Array.from(series.high);
    high[5] = series.low[5] / 2;
    expect(() => marketDataFromColumns([{ ...columns, high }])).toThrow(DataError);
    expect(() => marketDataFromColumns([{ ...columns, high }])).toThrow(/is below low/);
    try {
      marketDataFromColumns([{ ...columns, time: Float64Array.from(series.time).reverse() }]);
    } catch (error) {
      expect((error as DataError).where).toBe("columns SYNTHUSDT[1]");
    }
    expect(() => marketDataFromColumns([{ ...columns, close: series.close.subarray(1) }])).toThrow(/close has 2999 values, time has 3000/);
  });

  it("prints nothing and exits nothing while it backtests, compares and regresses", async () => {
    const out = vi.spyOn(process.stdout, "write");
    const err = vi.spyOn(process.stderr, "write");
    const exit = vi.spyOn(process, "exit");
    const data = marketDataFromColumns([columns]);
    const run = await backtest({ exits: { kind: "static" } }, { data });
    const plans = await compare({}, { data, plans: ["static", "ai"], paths: ["default"], resamples: 200 });
    const baseline = JSON.parse(baselineJson(run));
    const { report } = await regress({ exits: { kind: "static" } }, baseline, { data });
    expect(plans.result.plans).toEqual(["static", "ai"]);
    expect(report?.passed).toBe(true);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it("compares each plan on each path with the statistics the same backtest gives alone (the other paths' runs share reused columns)", async () => {
    const data = marketDataFromColumns([columns]);
    const plans = await compare({}, { data, plans: ["static", "ai"], paths: ["default", "pessimistic", "optimistic"], resamples: 200 });
    let differing = 0;
    for (const sensitivity of plans.result.pathSensitivity) {
      const alone = await Promise.all(sensitivity.modes.map(async (intrabar) => (await backtest({ exits: { kind: sensitivity.plan }, intrabar }, { data })).stats));
      const rangeOf = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });
      expect(sensitivity.totalReturnPct).toEqual(rangeOf(alone.map((stats) => stats.totalReturnPct!)));
      expect(sensitivity.meanReturnOnMarginPct).toEqual(rangeOf(alone.map((stats) => stats.expectancyReturnOnMarginPct!)));
      differing += new Set(alone.map((stats) => stats.totalReturnPct)).size > 1 ? 1 : 0;
    }
    expect(differing, "a plan whose paths differ on this data").toBeGreaterThan(0);
    expect(plans.result.pathSensitivity.map((row) => row.modes)).toEqual([["default", "pessimistic", "optimistic"], ["default", "pessimistic", "optimistic"]]);
  }, 30_000);

  it("gives a run's trades, fills and equity as danfo DataFrames", async () => {
    const run = await backtest({}, { data: marketDataFromColumns([columns]) });
    const frames = await toDataFrames(run);
    expect(frames.trades.shape).toEqual([run.trades.length, expect.any(Number)]);
    expect(frames.fills.shape[0]).toBe(run.fills.length);
    expect(frames.equity.shape).toEqual([run.equity.length, 7]);
    expect(frames.trades.column("netPnlUsd").values).toEqual(run.trades.map((trade) => trade.netPnlUsd));
  }, 30_000);
});

import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError, makeTempFolder, readSummary, runExitlab, writeText } from "./cliHarness.js";

const SPOT = "data/samples/binance-spot-1h";
/** The 1m sample's complete hours (its last hour, 20:00, is partial). */
const DETAIL_FROM = "2023-08-26T03:00:00Z";
const DETAIL_TO = "2023-09-29T20:00:00Z";

describe("--from, --to and --timeframe", () => {
  it("backtests 1m bars resampled to 1h exactly as the shipped 1h bars with the 1m bars as detail", async () => {
    const minutes = join(makeTempFolder(), "minutes");
    mkdirSync(minutes);
    copyFileSync(join(SPOT, "detail", "BTCUSDT.csv"), join(minutes, "BTCUSDT.csv"));
    const resampledRun = join(makeTempFolder(), "resampled");
    const hourlyRun = join(makeTempFolder(), "hourly");
    const common = ["backtest", "--market", "spot", "--quiet", "--no-cache"];
    const resampled = await runExitlab([...common, "--data", minutes, "--timeframe", "1h", "--out", resampledRun]);
    expect(resampled.stderr).toBe("exitlab: warning: resampling to 1h left out an incomplete first or last bar (BTCUSDT 1): the files start or end inside a 1h bar\n");
    const hourly = await runExitlab([...common, "--data", `BTCUSDT=${join(SPOT, "BTCUSDT.csv")}`, "--detail-data", `BTCUSDT=${join(SPOT, "detail", "BTCUSDT.csv")}`,
      "--from", DETAIL_FROM, "--to", DETAIL_TO, "--out", hourlyRun]);
    expect(hourly.stderr).toBe("");

    const a = readSummary(resampledRun);
    const b = readSummary(hourlyRun);
    expect(a.data.timeframeMs).toBe(3_600_000);
    expect(a.data.bars).toBe(833);
    expect(b.data.bars).toBe(833);
    expect(a.counters.detailBarsUsed).toBeGreaterThan(0);
    expect(a.counters.detailBarsUsed).toBe(b.counters.detailBarsUsed);
    expect(a.counters.detailFallbacks).toBe(b.counters.detailFallbacks);
    expect(a.metrics.tradeCount).toBeGreaterThan(2);
    expect(readFileSync(join(resampledRun, "trades.csv"), "utf8")).toBe(readFileSync(join(hourlyRun, "trades.csv"), "utf8"));
    expect(a.config.data.timeframe).toBe("1h");
    expect(b.config.data.from).toBe(DETAIL_FROM);
    expect(a.warnings).toEqual([expect.objectContaining({ code: "resample-partial-edge", count: 1 })]);
  });

  it("warns when the range leaves a symbol's detail bars out entirely", async () => {
    const out = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", "--data", SPOT, "--market", "spot", "--from", "2022-01-01", "--to", "2022-03-01", "--out", out, "--quiet", "--no-cache"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("exitlab: warning: detail bars of BTCUSDT, ETHUSDT lie outside 2022-01-01T00:00:00.000Z (inclusive) to 2022-03-01T00:00:00.000Z (exclusive): those symbols use the assumed intrabar path\n");
    expect(readSummary(out).warnings[0]).toMatchObject({ code: "detail-outside-range", count: 2 });
  });

  it("cuts the run to the bars opening from --from up to, not including, --to", async () => {
    const out = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", "--from", "2026-02-01", "--to", "2026-03-01", "--out", out, "--quiet", "--no-cache"]);
    expect(run.stderr).toBe("");
    const summary = readSummary(out);
    expect(summary.data.bars).toBe(2 * 28 * 24);
    const equity = readFileSync(join(out, "equity.csv"), "utf8").trim().split("\n");
    expect(equity[1].startsWith("1769904000000") || equity[1].startsWith("2026-02-01T00:00:00")).toBe(true);
  });

  it("reads data.from, data.to and data.timeframe from a config file", async () => {
    const folder = makeTempFolder();
    const config = writeText(folder, "config.json", JSON.stringify({ data: { from: "2026-02-01", to: "2026-03-01", timeframe: "4h" } }));
    const out = join(folder, "run");
    const run = await runExitlab(["backtest", "--config", config, "--out", out, "--quiet", "--no-cache"]);
    // The sample's last 4h bar (16:00 on 2026-03-19) holds 3 of its 4 hours.
    expect(run.stderr).toBe("exitlab: warning: resampling to 4h left out an incomplete first or last bar (BTCUSDT 1, ETHUSDT 1): the files start or end inside a 4h bar\n");
    const summary = readSummary(out);
    expect(summary.data.timeframeMs).toBe(4 * 3_600_000);
    expect(summary.data.bars).toBe(2 * 28 * 6);
    expect(summary.metrics.tradeCount).toBeGreaterThan(0);
    expect(summary.counters.detailBarsUsed).toBeGreaterThan(0);
  });

  it("names the config key of a bad time in a config file", async () => {
    const folder = makeTempFolder();
    const config = writeText(folder, "config.json", JSON.stringify({ data: { from: "yesterday" } }));
    expectOneLineError(await runExitlab(["backtest", "--config", config, "--out", join(folder, "run")]), 2, "data.from", "YYYY-MM-DD");
  });

  it.each([
    [["--from", "2024-13-01"], 2, "--from"],
    [["--from", "2026-02-01", "--to", "2026-01-01"], 2, "--to"],
    [["--timeframe", "7m"], 2, "--timeframe"],
    [["--timeframe", "1m"], 1, "data.timeframe (--timeframe): cannot resample BTCUSDT's 1h bars to 1m"],
    [["--from", "2030-01-01"], 1, "data.from (--from): BTCUSDT has 0 bars"],
  ])("refuses %j in one line", async (flags, code, fragment) => {
    const out = join(makeTempFolder(), "run");
    const run = await runExitlab(["backtest", ...flags, "--out", out, "--no-cache"]);
    expectOneLineError(run, code, fragment);
  });
});

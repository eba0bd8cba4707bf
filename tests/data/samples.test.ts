import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../data/loadMarketData.js";

const SAMPLES = fileURLToPath(new URL("../../data/samples/", import.meta.url));
const PERP_START_MS = Date.parse("2025-09-13T08:00:00Z");
const PERP_END_MS = Date.parse("2026-03-19T18:00:00Z");

describe("shipped sample data", () => {
  it("loads the perpetual 1h folder with 4499 bars per symbol and its funding subfolder", async () => {
    const data = await loadMarketData({ paths: [`${SAMPLES}binance-perp-1h`] });
    expect(data.bars.map((series) => [series.symbol, series.length, series.timeframeMs])).toEqual([
      ["BTCUSDT", 4499, 3_600_000],
      ["ETHUSDT", 4499, 3_600_000],
    ]);
    for (const series of data.bars) {
      expect(series.time[0]).toBe(PERP_START_MS);
      expect(series.time[series.length - 1]).toBe(PERP_END_MS);
    }
    // The funding history covers only the end of the bar range.
    expect(data.funding.get("BTCUSDT")?.length).toBe(200);
    expect(data.funding.get("ETHUSDT")?.time[0]).toBe(Date.parse("2026-01-12T16:00:00Z"));
    expect(data.fingerprint.find((entry) => entry.symbol === "BTCUSDT" && entry.kind === "bars")?.sha256).toBe(
      "ce65eb58ce9fb95eaa8becd6afa30e5a7692e22278f9d939fd2a8b0f19c8efe5",
    );
  });

  it("loads the spot 1h folder with its 12 missing bars counted as gaps, and its 1m detail", async () => {
    const data = await loadMarketData({ paths: [`${SAMPLES}binance-spot-1h`] });
    expect(data.bars.map((series) => [series.symbol, series.length])).toEqual([
      ["BTCUSDT", 23987],
      ["ETHUSDT", 23988],
    ]);
    expect(data.fingerprint.map((entry) => [entry.kind, entry.symbol, entry.gaps, entry.missingBars])).toEqual([
      ["bars", "BTCUSDT", 5, 12],
      ["bars", "ETHUSDT", 5, 12],
      ["detail", "BTCUSDT", 0, 0],
      ["detail", "ETHUSDT", 0, 0],
    ]);
    expect([...(data.detail?.values() ?? [])].map((series) => [series.symbol, series.length, series.timeframeMs])).toEqual([
      ["BTCUSDT", 50000, 60_000],
      ["ETHUSDT", 50000, 60_000],
    ]);
  });
});

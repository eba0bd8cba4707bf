import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../data/loadMarketData.js";

const SAMPLES = fileURLToPath(new URL("../../data/samples/", import.meta.url));
const PERP_START_MS = Date.parse("2026-01-12T16:00:00Z");
const PERP_END_MS = Date.parse("2026-03-19T18:00:00Z");

describe("shipped sample data", () => {
  it("loads the perpetual 1h folder with 1587 bars per symbol and its funding subfolder", async () => {
    const data = await loadMarketData({ paths: [`${SAMPLES}binance-perp-1h`] });
    expect(data.bars.map((series) => [series.symbol, series.length, series.timeframeMs])).toEqual([
      ["BTCUSDT", 1587, 3_600_000],
      ["ETHUSDT", 1587, 3_600_000],
    ]);
    for (const series of data.bars) {
      expect(series.time[0]).toBe(PERP_START_MS);
      expect(series.time[series.length - 1]).toBe(PERP_END_MS);
    }
    // The bars start at the first funding time and end before the last: every funding time they span has a real rate.
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      const funding = data.funding.get(symbol)!;
      expect(funding.length).toBe(200);
      expect(funding.time[0]).toBe(PERP_START_MS);
      expect(funding.time[funding.length - 1]).toBeGreaterThan(PERP_END_MS + 3_600_000);
    }
    expect(data.fingerprint.find((entry) => entry.symbol === "BTCUSDT" && entry.kind === "bars")?.sha256).toBe(
      "c3dd5e1edcec7cd247bbeb96ab9756da6b07286956053e30ae95696b89827e61",
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

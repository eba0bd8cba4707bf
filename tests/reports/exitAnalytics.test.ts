import { describe, expect, it } from "vitest";
import type { BarSeries } from "../../engine/types.js";
import { buyAndHold, capturedMove, exitEfficiency, maeMfePoints, monthlyReturns } from "../../reports/html/exitAnalytics.js";
import { makeEquityCurve, makePlan, makeTrade } from "./fixtures.js";

describe("the MAE/MFE points", () => {
  it("carry each trade's excursions and call a trade a winner only when its net PnL is above zero", () => {
    const points = maeMfePoints([
      makeTrade({ id: 1, maePct: -0.02, mfePct: 0.06, netPnlUsd: 4 }),
      makeTrade({ id: 2, maePct: -0.03, mfePct: 0.01, netPnlUsd: 0 }),
      makeTrade({ id: 3, maePct: Number.NaN, mfePct: 0.01, netPnlUsd: -1 }),
    ]);
    expect(points).toEqual([
      { id: 1, mae: -0.02, mfe: 0.06, winner: true },
      { id: 2, mae: -0.03, mfe: 0.01, winner: false },
    ]);
  });
});

describe("exit efficiency", () => {
  it("measures the captured move signed by side: a short from 100 out at 96 kept 4 %", () => {
    expect(capturedMove({ side: -1, entryPrice: 100, exitPrice: 96 })).toBeCloseTo(0.04, 12);
    expect(capturedMove({ side: 1, entryPrice: 100, exitPrice: 97 })).toBeCloseTo(-0.03, 12);
  });

  it("pools Σ captured / Σ MFE and takes the median ratio per plan and reason, skipping trades without a favourable move", () => {
    const ai = makePlan({ source: "ai" });
    const rows = exitEfficiency([
      makeTrade({ plan: ai, exitReason: "TRAIL", entryPrice: 100, exitPrice: 104, mfePct: 0.08 }), // 0.5
      makeTrade({ plan: ai, exitReason: "TRAIL", entryPrice: 100, exitPrice: 103, mfePct: 0.04 }), // 0.75
      makeTrade({ plan: ai, exitReason: "SL", entryPrice: 100, exitPrice: 97, mfePct: 0.01 }), // -3
      makeTrade({ plan: ai, exitReason: "SL", entryPrice: 100, exitPrice: 97, mfePct: 0 }), // not judged
    ]);
    expect(rows.map((r) => [r.plan, r.reason, r.trades, r.judged])).toEqual([
      ["ai", "SL", 2, 1], ["ai", "TRAIL", 2, 2], ["ai", "all", 4, 3],
    ]);
    expect(rows[0].pooledEfficiency).toBeCloseTo(-3, 12);
    expect(rows[1].pooledEfficiency).toBeCloseTo(0.07 / 0.12, 12);
    expect(rows[1].medianEfficiency).toBeCloseTo(0.625, 12);
    expect(rows[2].pooledEfficiency).toBeCloseTo(0.04 / 0.13, 12);
    expect(rows[2].medianEfficiency).toBeCloseTo(0.5, 12);
  });

  it("gives no ratio to a group whose trades never moved in favour, and no 'all' row to a plan with one reason", () => {
    const rows = exitEfficiency([makeTrade({ exitReason: "SL", mfePct: 0, exitPrice: 97 })]);
    expect(rows).toEqual([{ plan: "static", reason: "SL", trades: 1, judged: 0, pooledEfficiency: null, medianEfficiency: null }]);
  });
});

describe("monthly returns", () => {
  it("chain each UTC month's last equity to the previous month's, the first month from the first row", () => {
    const t = (iso: string): number => Date.parse(iso);
    const curve = makeEquityCurve({
      time: [t("2025-01-31T00:00:00Z"), t("2025-01-31T23:00:00Z"), t("2025-02-01T00:00:00Z"), t("2025-02-28T23:00:00Z"), t("2025-04-02T00:00:00Z")],
      equity: [100, 110, 99, 121, 133.1],
    });
    const months = monthlyReturns(curve);
    expect(months.map((m) => [m.year, m.month])).toEqual([[2025, 1], [2025, 2], [2025, 4]]);
    expect(months[0].returnPct).toBeCloseTo(0.1, 12);
    expect(months[1].returnPct).toBeCloseTo(0.1, 12);
    expect(months[2].returnPct).toBeCloseTo(0.1, 12);
  });

  it("start a new month exactly at 00:00 UTC of the 1st, across year ends, as a date per row would", () => {
    const hour = 3_600_000;
    const start = Date.parse("2024-11-30T20:00:00Z");
    const time = Array.from({ length: 24 * 70 }, (_, i) => start + i * hour);
    const equity = time.map((_, i) => 100 + Math.sin(i / 7) * 5 + i / 100);
    const months = monthlyReturns(makeEquityCurve({ time, equity }));
    expect(months.map((m) => [m.year, m.month])).toEqual([[2024, 11], [2024, 12], [2025, 1], [2025, 2]]);
    const lastRowOf = (iso: string): number => time.indexOf(Date.parse(iso) - hour);
    expect(months[1].returnPct).toBe(equity[lastRowOf("2025-01-01T00:00:00Z")] / equity[lastRowOf("2024-12-01T00:00:00Z")] - 1);
    expect(months[2].returnPct).toBe(equity[lastRowOf("2025-02-01T00:00:00Z")] / equity[lastRowOf("2025-01-01T00:00:00Z")] - 1);
  });

  it("are empty for an empty curve", () => {
    expect(monthlyReturns(makeEquityCurve({ equity: [] }))).toEqual([]);
  });
});

describe("the buy-and-hold benchmark", () => {
  const series = (symbol: string, close: number[]): BarSeries => {
    const f = (values: number[]): Float64Array => Float64Array.from(values);
    return { symbol, timeframeMs: 3_600_000, length: close.length, time: f(close.map((_, i) => i * 3_600_000)), open: f(close), high: f(close), low: f(close), close: f(close), volume: f(close) };
  };

  it("scales the first symbol's close to the initial balance at its first bar", () => {
    const hold = buyAndHold([series("BTCUSDT", [200, 220, 180]), series("ETHUSDT", [10, 5, 1])], 1000);
    expect(hold?.symbol).toBe("BTCUSDT");
    expect([...(hold?.value ?? [])]).toEqual([1000, 1100, 900]);
    expect([...(hold?.time ?? [])]).toEqual([0, 3_600_000, 7_200_000]);
  });

  it("is absent without bars", () => {
    expect(buyAndHold([], 1000)).toBeNull();
  });
});

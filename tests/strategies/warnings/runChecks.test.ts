import { describe, expect, it } from "vitest";
import type { Fill, RunResult } from "../../../engine/index.js";
import { DataError } from "../../../engine/index.js";
import { assertFiniteMoney } from "../../../strategies/warnings/runChecks.js";
import { engineWarnings, warningIf } from "../../../strategies/warnings/runWarning.js";

function resultWith(finalEquity: number, fills: Partial<Fill>[], equity: number[] = [10_000, finalEquity]): RunResult {
  return {
    account: { initialBalance: 10_000, finalBalance: finalEquity, finalEquity, realizedPnlUsd: 0, feesUsd: 0, fundingUsd: 0, reconciliationError: 0 },
    equity: { length: equity.length, time: Float64Array.from(equity.map((_, k) => Date.UTC(2024, 0, 1, k))), equity: Float64Array.from(equity) },
    fills: fills.map((fill) => ({ symbol: "BTCUSDT", reason: "ENTRY", timeMs: Date.UTC(2024, 0, 1, 5), price: 100, quantity: 1, feeUsd: 0, realizedPnlUsd: 0, fundingUsd: 0, ...fill })),
  } as unknown as RunResult;
}

describe("a run whose money becomes non-finite", () => {
  it("passes a run whose money stays finite", () => {
    expect(() => assertFiniteMoney(resultWith(10_100, [{}]))).not.toThrow();
  });

  it("fails naming the symbol and bar of the first fill with a non-finite number", () => {
    const run = resultWith(NaN, [{}, { symbol: "ETHUSDT", reason: "TP1", quantity: Infinity }]);
    expect(() => assertFiniteMoney(run)).toThrow(DataError);
    expect(() => assertFiniteMoney(run)).toThrow("TP1 fill of ETHUSDT at the bar of 2024-01-01T05:00:00.000Z has quantity Infinity");
  });

  it("fails naming the equity row when no fill explains it", () => {
    expect(() => assertFiniteMoney(resultWith(NaN, [{}], [10_000, NaN, NaN]))).toThrow("at the bar of 2024-01-01T01:00:00.000Z (equity NaN)");
  });
});

describe("warnings", () => {
  it("makes no warning of a count of 0", () => {
    expect(warningIf("x", 0, () => "never built")).toEqual([]);
    expect(warningIf("x", 2, () => "2 things")).toEqual([{ code: "x", count: 2, message: "2 things" }]);
  });

  it("counts an engine warning by the number it starts with", () => {
    expect(engineWarnings(["3 entries had …", "the account ended below zero"])).toEqual([
      { code: "run", count: 3, message: "3 entries had …" }, { code: "run", count: 1, message: "the account ended below zero" },
    ]);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunResult, SourceFingerprint } from "../../engine/types.js";
import { computeStats } from "../../reports/stats.js";
import { buildSummary, ENGINE_NAME, stableStringify } from "../../reports/summary.js";
import { makeCounters, makeRunResult, makeTrade } from "./fixtures.js";

const fingerprint: SourceFingerprint[] = [
  {
    symbol: "BTCUSDT",
    kind: "bars",
    files: ["data/samples/BTCUSDT-1h.csv"],
    rows: 4,
    firstTimeMs: 1_704_067_200_000,
    lastTimeMs: 1_704_326_400_000,
    sha256: "ab".repeat(32),
    gaps: 0,
    missingBars: 0,
  },
];

function summaryOf(result: RunResult, config: unknown = { exits: { kind: "static" } }) {
  const stats = computeStats({
    trades: result.trades,
    equity: result.equity,
    timeframeMs: result.timeframeMs,
    initialBalance: result.account.initialBalance,
    account: result.account,
    counters: result.counters,
    fills: result.fills,
  });
  return buildSummary({ engineVersion: "0.1.0", config, fingerprint, result, stats });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("summary.json", () => {
  it("lists its sections in a fixed order", () => {
    expect(Object.keys(summaryOf(makeRunResult()))).toEqual([
      "engine", "config", "data", "account", "metrics", "counters", "warnings",
    ]);
  });

  it("names the engine exitlab with the version given", () => {
    expect(summaryOf(makeRunResult()).engine).toEqual({ name: ENGINE_NAME, version: "0.1.0" });
    expect(ENGINE_NAME).toBe("exitlab");
  });

  it("carries the configuration as given and the data's fingerprint, timeframe and bar count", () => {
    const config = { b: 1, a: [2, 3] };
    const summary = summaryOf(makeRunResult(), config);
    expect(summary.config).toBe(config);
    expect(summary.data).toEqual({ timeframeMs: 86_400_000, bars: 4, timestamps: 4, fingerprint });
  });

  it("sorts gate drops by name and lists refused orders in a fixed order", () => {
    const counters = makeCounters({
      gateDrops: { minConfidence: 3, cooldown: 2, allowlist: 1 },
      refusedOrders: { ZERO_QUANTITY: 1, MIN_NOTIONAL: 0, INSUFFICIENT_MARGIN: 4 },
      fundingTimesPaid: 9,
      fundingTimesFromData: 6,
      fundingTimesFromConstant: 3,
      fundingTimesUncovered: 4,
    });
    const summary = summaryOf(makeRunResult({ counters }));
    expect(Object.keys(summary.counters.gateDrops)).toEqual(["allowlist", "cooldown", "minConfidence"]);
    expect(Object.entries(summary.counters.refusedOrders)).toEqual([
      ["INSUFFICIENT_MARGIN", 4], ["MIN_NOTIONAL", 0], ["ZERO_QUANTITY", 1],
    ]);
    expect(summary.counters.funding).toEqual({ timesPaid: 9, timesFromData: 6, timesFromConstant: 3, timesUncovered: 4 });
  });

  it("includes the metrics and the warnings", () => {
    const result = makeRunResult({ trades: [makeTrade()], warnings: ["1 plan has its SL beyond liquidation"] });
    const summary = summaryOf(result);
    expect(summary.metrics.tradeCount).toBe(1);
    expect(summary.metrics.totalReturnPct).toBeCloseTo(0.21, 12);
    expect(summary.warnings).toEqual([{ code: "run", count: 1, message: "1 plan has its SL beyond liquidation" }]);
  });

  it("is byte-identical whatever the clock says", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2020-01-01T00:00:00Z"));
    const first = stableStringify(summaryOf(makeRunResult()));
    vi.setSystemTime(new Date("2031-06-15T12:34:56Z"));
    const second = stableStringify(summaryOf(makeRunResult()));
    expect(second).toBe(first);
    expect(first).not.toMatch(/2020-01-01|2031-06-15/);
  });

  it("keeps its key order when the engine's objects were built in another order", () => {
    const result = makeRunResult();
    const shuffled: RunResult = {
      ...result,
      account: Object.fromEntries(Object.entries(result.account).reverse()) as unknown as RunResult["account"],
    };
    expect(stableStringify(summaryOf(shuffled))).toBe(stableStringify(summaryOf(result)));
  });

  it("writes no NaN or Infinity, even for a run without trades", () => {
    const text = stableStringify(summaryOf(makeRunResult({ trades: [] })));
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text).metrics.winRatePct).toBeNull();
  });
});

describe("stableStringify", () => {
  it("indents by two spaces, keeps insertion order and ends with a newline", () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe(
      '{\n  "b": 1,\n  "a": {\n    "d": 2,\n    "c": 3\n  }\n}\n',
    );
  });

  it("turns NaN and Infinity into null", () => {
    expect(stableStringify({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: [Number.NEGATIVE_INFINITY] })).toBe(
      '{\n  "a": null,\n  "b": null,\n  "c": [\n    null\n  ]\n}\n',
    );
  });

  it("writes typed arrays as arrays", () => {
    expect(JSON.parse(stableStringify({ x: new Float64Array([1.5, Number.NaN]) }))).toEqual({ x: [1.5, null] });
  });

  it("refuses a Map rather than writing it as an empty object", () => {
    expect(() => stableStringify({ m: new Map([["a", 1]]) })).toThrow(TypeError);
  });

  it("refuses a value with no JSON form", () => {
    expect(() => stableStringify(undefined)).toThrow(TypeError);
  });
});

import { describe, expect, it } from "vitest";
import type { EquityCurve } from "../../engine/types.js";
import {
  EQUITY_COLUMNS,
  FILL_COLUMNS,
  TRADE_COLUMNS,
  formatCsvField,
  formatEquityCsv,
  formatFillsCsv,
  formatTradesCsv,
} from "../../reports/csv.js";
import { DAY_MS, START_MS, makeEquityCurve, makeFill, makePlan, makeTrade } from "./fixtures.js";

/** Splits simple CSV (no quoted fields) into a header and rows; checks the `\n` line ends. */
function parseSimpleCsv(text: string): { header: string[]; rows: string[][] } {
  expect(text.endsWith("\n")).toBe(true);
  expect(text.includes("\r")).toBe(false);
  const [header, ...rows] = text.slice(0, -1).split("\n").map((line) => line.split(","));
  return { header, rows };
}

function column(parsed: { header: string[]; rows: string[][] }, name: string): string[] {
  const index = parsed.header.indexOf(name);
  expect(index, name).toBeGreaterThanOrEqual(0);
  return parsed.rows.map((row) => row[index]);
}

describe("equity.csv", () => {
  const awkward = [0.1 + 0.2, 1e-7, -0, 123456789.123456, 5e-324, 1.7976931348623157e308, 2 / 3];
  const curve = makeEquityCurve({
    equity: awkward,
    balance: awkward.map((x) => x / 3),
    marginUsed: awkward.map((_, i) => i * 1.1),
    exposure: awkward.map((_, i) => i / 7),
  });

  it("has the columns of SPEC §7 with an ISO time next to the epoch ms", () => {
    const { header } = parseSimpleCsv(formatEquityCsv(curve));
    expect(header).toEqual([...EQUITY_COLUMNS]);
    expect(header).toEqual(["timestamp", "time_iso", "equity", "balance", "unrealized_pnl", "margin_used", "exposure", "drawdown"]);
  });

  it("parses back to exactly the same float64 values (−0 is written as 0, as String does)", () => {
    const parsed = parseSimpleCsv(formatEquityCsv(curve));
    const columns: Array<[string, Float64Array]> = [
      ["timestamp", curve.time], ["equity", curve.equity], ["balance", curve.balance],
      ["unrealized_pnl", curve.unrealizedPnl], ["margin_used", curve.marginUsed],
      ["exposure", curve.exposure], ["drawdown", curve.drawdown],
    ];
    for (const [name, values] of columns) {
      expect(column(parsed, name).map(Number), name).toEqual(Array.from(values, (x) => (x === 0 ? 0 : x)));
    }
  });

  it("writes times as ISO-8601 UTC", () => {
    const parsed = parseSimpleCsv(formatEquityCsv(makeEquityCurve({ equity: [1, 2] })));
    expect(column(parsed, "time_iso")).toEqual(["2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z"]);
  });

  it("writes the same ISO text as toISOString for odd times, before 1970 and across days", () => {
    const times = [0, -1, -DAY_MS - 1, 1.5, START_MS + 86_399_999, START_MS + DAY_MS, 253402300800000, -62198755200000, START_MS + 61_001];
    const parsed = parseSimpleCsv(formatEquityCsv(makeEquityCurve({ equity: times.map(() => 1), time: times })));
    expect(column(parsed, "time_iso")).toEqual(times.map((t) => new Date(t).toISOString()));
  });

  it("leaves a field empty for NaN and Infinity", () => {
    const curve2 = makeEquityCurve({ equity: [Number.NaN, Number.POSITIVE_INFINITY, 1] });
    const parsed = parseSimpleCsv(formatEquityCsv(curve2));
    expect(column(parsed, "equity")).toEqual(["", "", "1"]);
  });

  it("keeps every n-th row and always the last one", () => {
    const ten = makeEquityCurve({ equity: Array.from({ length: 10 }, (_, i) => i + 100) });
    expect(column(parseSimpleCsv(formatEquityCsv(ten, 3)), "equity")).toEqual(["100", "103", "106", "109"]);
    const eight = makeEquityCurve({ equity: Array.from({ length: 8 }, (_, i) => i + 100) });
    expect(column(parseSimpleCsv(formatEquityCsv(eight, 3)), "equity")).toEqual(["100", "103", "106", "107"]);
    expect(column(parseSimpleCsv(formatEquityCsv(eight, 100)), "equity")).toEqual(["100", "107"]);
    expect(column(parseSimpleCsv(formatEquityCsv(eight)), "equity")).toHaveLength(8);
  });

  it("writes only the header for an empty curve", () => {
    expect(formatEquityCsv(makeEquityCurve({ equity: [] }))).toBe(EQUITY_COLUMNS.join(",") + "\n");
  });

  it("rejects a down-sampling step that is not a positive integer", () => {
    expect(() => formatEquityCsv(curve, 0)).toThrow(RangeError);
    expect(() => formatEquityCsv(curve, 1.5)).toThrow(RangeError);
  });

  // Speed is measured by `npm run bench`, not here; this checks the row-building shortcuts
  // (cached date part, repeated columns) stay exact across many day boundaries.
  it("formats tens of thousands of minute rows exactly across day boundaries", () => {
    const n = 20_000;
    const filled = (f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => f(i));
    const big: EquityCurve = {
      length: n,
      time: filled((i) => START_MS + i * 60_000),
      equity: filled((i) => 10_000 + Math.sin(i) * 100.123456789),
      balance: filled((i) => 10_000 + Math.floor(i / 500) * 0.37),
      unrealizedPnl: filled((i) => Math.cos(i) * 3.3),
      marginUsed: filled((i) => (Math.floor(i / 1000) % 3 === 0 ? 0 : 800.5)),
      exposure: filled((i) => (i % 7) * 0.13),
      drawdown: filled((i) => -Math.abs(Math.sin(i)) * 0.05),
    };
    const text = formatEquityCsv(big);
    const lastLine = text.slice(text.lastIndexOf("\n", text.length - 2) + 1, -1);
    expect(lastLine.split(",")[0]).toBe(String(START_MS + (n - 1) * 60_000));
    expect(lastLine.split(",")[2]).toBe(String(big.equity[n - 1]));
    let lines = 0;
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
    expect(lines).toBe(n + 1);
  }, 60_000);
});

describe("trades.csv", () => {
  const harvest = makePlan({
    source: "harvest",
    stopLossPct: 0.03,
    stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.035, fraction: 0.3 }],
    trailing: { distancePct: 0.015, activationPct: 0.05, afterStage: 0 },
    breakevenOffsetPct: 0.001,
    maxHoldingBars: 48,
  });
  const trades = [
    makeTrade({ id: 7, plan: harvest, confidence: 0.72, exitReason: "TRAIL", legs: 3, pathDependent: true, netPnlUsd: 0.1 + 0.2 }),
    makeTrade({
      id: 8, side: -1, plan: makePlan({ stopLossPct: null, stages: [], fallback: true }),
      confidence: Number.NaN, score: Number.NaN, stopLossPrice: null, rMultiple: null, exitReason: "END",
    }),
  ];
  const parsed = parseSimpleCsv(formatTradesCsv(trades));

  it("has one fixed column per field", () => {
    expect(parsed.header).toEqual([...TRADE_COLUMNS]);
    expect(parsed.rows.every((row) => row.length === TRADE_COLUMNS.length)).toBe(true);
  });

  it("writes the side as long or short and the tier of the confidence", () => {
    expect(column(parsed, "side")).toEqual(["long", "short"]);
    expect(column(parsed, "tier")).toEqual(["HIGH", ""]);
    expect(column(parsed, "confidence")).toEqual(["0.72", ""]);
  });

  it("writes the plan's levels, with TP stages as move:fraction joined by |", () => {
    expect(column(parsed, "plan_source")).toEqual(["harvest", "static"]);
    expect(column(parsed, "sl_pct")).toEqual(["0.03", ""]);
    expect(column(parsed, "tp_stages")).toEqual(["0.02:0.5|0.035:0.3", ""]);
    expect(column(parsed, "trail_pct")).toEqual(["0.015", ""]);
    expect(column(parsed, "trail_activation_pct")).toEqual(["0.05", ""]);
    expect(column(parsed, "trail_after_stage")).toEqual(["0", ""]);
    expect(column(parsed, "breakeven_offset_pct")).toEqual(["0.001", ""]);
    expect(column(parsed, "max_holding_bars")).toEqual(["48", ""]);
  });

  it("leaves the stop price and R empty for a trade without a stop", () => {
    expect(column(parsed, "stop_loss_price")).toEqual(["97", ""]);
    expect(column(parsed, "r_multiple")).toEqual([String(5 / 3), ""]);
  });

  it("writes times as epoch ms and ISO, flags as true/false, and numbers that parse back exactly", () => {
    expect(column(parsed, "entry_time")).toEqual([String(START_MS), String(START_MS)]);
    expect(column(parsed, "exit_time_iso")).toEqual(["2024-01-02T00:00:00.000Z", "2024-01-02T00:00:00.000Z"]);
    expect(column(parsed, "path_dependent")).toEqual(["true", "false"]);
    expect(column(parsed, "fallback")).toEqual(["false", "true"]);
    expect(Number(column(parsed, "net_pnl_usd")[0])).toBe(0.1 + 0.2);
    expect(column(parsed, "exit_reason")).toEqual(["TRAIL", "END"]);
  });

  it("quotes a field only when it holds a comma, a quote or a line break", () => {
    const text = formatTradesCsv([makeTrade({ symbol: 'ODD,"SYM"' })]);
    expect(text.split("\n")[1].split(",").slice(0, 3)).toEqual(["1", '"ODD', '""SYM"""']);
    expect(formatCsvField("plain")).toBe("plain");
    expect(formatCsvField("a\nb")).toBe('"a\nb"');
  });
});

describe("fills.csv", () => {
  const fills = [
    makeFill({ seq: 1, reason: "ENTRY", orderSide: 1 }),
    makeFill({ seq: 2, reason: "TP1", orderSide: -1, liquidity: "maker", realizedPnlUsd: 2.5, fundingUsd: -0.01, timeMs: START_MS + DAY_MS }),
    makeFill({ seq: 3, reason: "SL", orderSide: -1, pathDependent: true, gap: true }),
  ];
  const parsed = parseSimpleCsv(formatFillsCsv(fills));

  it("has one row per fill in the order given", () => {
    expect(parsed.header).toEqual([...FILL_COLUMNS]);
    expect(column(parsed, "seq")).toEqual(["1", "2", "3"]);
    expect(column(parsed, "reason")).toEqual(["ENTRY", "TP1", "SL"]);
  });

  it("writes the order side as buy or sell and the flags as true/false", () => {
    expect(column(parsed, "side")).toEqual(["buy", "sell", "sell"]);
    expect(column(parsed, "liquidity")).toEqual(["taker", "maker", "taker"]);
    expect(column(parsed, "path_dependent")).toEqual(["false", "false", "true"]);
    expect(column(parsed, "gap")).toEqual(["false", "false", "true"]);
  });

  it("parses back to the same numbers", () => {
    expect(column(parsed, "realized_pnl_usd").map(Number)).toEqual([0, 2.5, 0]);
    expect(column(parsed, "funding_usd").map(Number)).toEqual([0, -0.01, 0]);
    expect(column(parsed, "time_iso")[1]).toBe("2024-01-02T00:00:00.000Z");
  });

  it("gives byte-identical text for the same fills", () => {
    expect(formatFillsCsv(fills)).toBe(formatFillsCsv(fills.map((fill) => ({ ...fill }))));
  });
});

/**
 * The report's fast paths against their plain formulations, value for value and byte for
 * byte: JSON text made script-safe straight into bytes (`bytesForScript`) and the data block
 * written one trade at a time (`writeDataBlock`) against `jsonForScript`, and the drill-down
 * candles against the simple aggregation they replaced.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { BarSeries } from "../../engine/types.js";
import { streamDataBlock } from "../../reports/html/dataBlock.js";
import { bytesForScript, jsonForScript } from "../../reports/html/format.js";
import { buildReportData, reportDataParts } from "../../reports/html/reportData.js";
import type { RunReportInput } from "../../reports/html/reportInput.js";
import { buildLongReportInput, buildSampleReportInput } from "../e2e/sampleRun.js";
import { collectChunks, collected } from "../fixtures/chunks.js";
import { aggregateCandles, decodeOhlc } from "../../reports/html/priceData.js";
import { barsOf } from "../fixtures/bars.js";

const RUNS = 1000;

/** The simple aggregation (holey arrays, the time array always filled): what aggregateCandles's candles decode to. */
function aggregateCandlesPlain(series: BarSeries, from: number, to: number, budget: number): unknown {
  const count = Math.max(0, to - from);
  const k = Math.max(1, Math.ceil(count / budget));
  const candles = count === 0 ? 0 : Math.ceil(count / k);
  const time: number[] = new Array<number>(candles);
  const open: number[] = new Array<number>(candles);
  const high: number[] = new Array<number>(candles);
  const low: number[] = new Array<number>(candles);
  const close: number[] = new Array<number>(candles);
  for (let c = 0, start = from; c < candles; c++, start += k) {
    const end = Math.min(to, start + k);
    let highest = -Infinity;
    let lowest = Infinity;
    for (let i = start; i < end; i++) {
      if (series.high[i] > highest) highest = series.high[i];
      if (series.low[i] < lowest) lowest = series.low[i];
    }
    time[c] = series.time[start];
    open[c] = series.open[start];
    high[c] = highest;
    low[c] = lowest;
    close[c] = series.close[end - 1];
  }
  const step = candles > 1 ? time[1] - time[0] : 0;
  let even = true;
  for (let i = 2; i < candles && even; i++) even = time[i] - time[i - 1] === step;
  const start = candles > 0 ? time[0] : 0;
  return even ? { start, step, open, high, low, close, barsPerCandle: k } : { start, step, time, open, high, low, close, barsPerCandle: k };
}

/** Strings with what the block must escape, non-ASCII text, lone surrogates and control characters. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("</script>", "<!--", "a & b", "\u2028\u2029", "€ ₿ 日本", "\ud800", "x\udfffy", "\u0000\u001f", "buy & hold BTCUSDT"),
  fc.array(fc.constantFrom("<", ">", "&", "\u2028", "é", "a", "1", "\"", "\\"), { maxLength: 12 }).map((parts) => parts.join("")),
);

const plainValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.double(), fc.integer(), hostileString, fc.boolean(), fc.constant(null),
    fc.array(tie("value"), { maxLength: 6 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** `bytesForScript` of a value's JSON text, at an offset in a buffer with bytes before it. */
function scriptBytesOf(value: unknown, offset = 3): Buffer {
  const text = JSON.stringify(value);
  const buffer = Buffer.alloc(offset + text.length * 6 + 16, 0x2a);
  const written = bytesForScript(text, buffer, offset);
  expect(buffer.subarray(0, offset).toString("latin1")).toBe("***");
  return buffer.subarray(offset, offset + written);
}

describe("the report's data block as bytes", () => {
  it("is exactly the UTF-8 of jsonForScript for any plain value (escapes, non-ASCII, surrogates, non-finite numbers)", () => {
    fc.assert(fc.property(plainValue, (value) => {
      expect(scriptBytesOf(value).equals(Buffer.from(jsonForScript(value)))).toBe(true);
    }), { numRuns: RUNS });
  });

  it("escapes what could end the script block and writes other text beyond ASCII as UTF-8", () => {
    expect(scriptBytesOf({ name: "buy & hold", values: [1, 2.5, null] }).toString("latin1")).toBe('{"name":"buy \\u0026 hold","values":[1,2.5,null]}');
    expect(scriptBytesOf({ symbol: "ÉTHUSDT ₿ </script>" }).toString("utf8")).toBe('{"symbol":"ÉTHUSDT ₿ \\u003c/script\\u003e"}');
    expect(scriptBytesOf(["\u2028\u2029"]).toString("latin1")).toBe('["\\u2028\\u2029"]');
    expect(scriptBytesOf({ symbol: "ÉTHUSDT ₿" }).equals(Buffer.from('{"symbol":"ÉTHUSDT ₿"}', "utf8"))).toBe(true);
  });
});

describe("the data block written one trade at a time", () => {
  let sample: RunReportInput;
  beforeAll(async () => {
    sample = await buildSampleReportInput();
  }, 60_000);

  const blockOf = (input: RunReportInput): Buffer => collected((sink) => streamDataBlock(input, reportDataParts(input), sink));
  const expected = (input: RunReportInput): Buffer => Buffer.from(jsonForScript(buildReportData(input)));

  it("is byte for byte jsonForScript of the whole data block, with price data and without", () => {
    expect(sample.price).toBeDefined();
    expect(blockOf(sample).equals(expected(sample))).toBe(true);
    const { price: _price, ...withoutPrice } = sample;
    expect(blockOf(withoutPrice).equals(expected(withoutPrice))).toBe(true);
  });

  it("stays so with hostile and non-ASCII symbols, names and exit reasons, a comparison run and no trades", () => {
    const rename = (text: string): string => `${text} </script> & ₿ \u2028`;
    const trades = sample.trades.map((trade) => ({ ...trade, symbol: rename(trade.symbol), exitReason: rename(trade.exitReason) }));
    const hostile: RunReportInput = {
      ...sample, trades, runName: "<b>plan</b> ü", comparisons: [{ name: "other & ß", metrics: sample.summary.metrics, equity: sample.equity }],
    };
    expect(blockOf(hostile).equals(expected(hostile))).toBe(true);
    const empty: RunReportInput = { ...sample, trades: [] };
    expect(blockOf(empty).equals(expected(empty))).toBe(true);
  });
});

describe("the data block of a long run (each drill-down with candles of its own)", () => {
  const blockOf = (input: RunReportInput): Buffer => collected((sink) => streamDataBlock(input, reportDataParts(input), sink));
  const expected = (input: RunReportInput): Buffer => Buffer.from(jsonForScript(buildReportData(input)));

  it("is byte for byte jsonForScript of the whole data block: aggregated candles, fills and exit levels", () => {
    const input = buildLongReportInput();
    expect(input.trades.length).toBeGreaterThan(20);
    const block = blockOf(input);
    expect(block.toString("latin1")).toContain('"barsPerCandle":');
    expect(block.toString("latin1")).toMatch(/"levels":\{"time":\[\d/);
    expect(block.equals(expected(input))).toBe(true);
  });

  it("comes in chunks of one reused buffer, a text longer than it in bytes of its own, and the same bytes whatever the chunks", () => {
    const input = buildLongReportInput();
    // The sink sees each chunk only during its call: one that kept the views instead of copying would see them overwritten.
    const views: Uint8Array[] = [];
    streamDataBlock(input, reportDataParts(input), (bytes) => void views.push(bytes));
    const chunks = collectChunks((sink) => streamDataBlock(input, reportDataParts(input), sink));
    expect(chunks.length).toBeGreaterThan(2);
    expect(new Set(views.map((view) => view.buffer)).size).toBeLessThan(views.length); // a buffer handed over more than once
    // The symbol's 5,000 candles: too long a text for the buffer (at 6 bytes a character), so bytes of their own.
    expect(views.some((view) => view.buffer.byteLength > 1 << 19)).toBe(true);
    expect(Buffer.concat(chunks).equals(expected(input))).toBe(true);
  });

  it("stays so with uneven bar times, hostile symbols and reasons, non-finite excursions and no level trace", () => {
    const input = buildLongReportInput();
    const [series] = input.price!.bars;
    const time = series.time.slice();
    for (let i = 20_000; i < time.length; i++) time[i] += 3_600_000;
    const shifted = { ...series, time, symbol: "SY </script> ₿" };
    const trades = input.trades.map((trade, index) => ({
      ...trade, symbol: shifted.symbol, exitReason: `${trade.exitReason} & \u2028`, maePct: index % 3 === 0 ? NaN : trade.maePct,
    }));
    const fills = input.price!.fills.map((fill) => ({ ...fill, symbol: shifted.symbol, reason: `${fill.reason}<` }));
    const hostile: RunReportInput = { ...input, trades, price: { bars: [shifted], fills, levels: null } };
    const block = blockOf(hostile);
    expect(block.toString("latin1")).toContain('"time":[');
    expect(block.equals(expected(hostile))).toBe(true);
  });
});

describe("drill-down candles", () => {
  const series = fc.tuple(
    fc.array(fc.tuple(fc.double({ min: 1e-6, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 0.1, noNaN: true })), { minLength: 1, maxLength: 120 }),
    fc.boolean(),
  ).map(([rows, gappy]) => {
    const bars = barsOf("X", rows.map(([price, spread]) => [price, price * (1 + spread), price * (1 - spread), price * (1 + spread / 2)] as const));
    // A gap in time (uneven candles) when asked: every bar from the middle on an hour later.
    if (gappy) for (let i = Math.floor(bars.length / 2); i < bars.length; i++) bars.time[i] += 3_600_000;
    return bars;
  });

  it("decode value for value, bit for bit, to the simple aggregation of the bars' own prices", () => {
    fc.assert(fc.property(series, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 40 }), (bars, a, b, budget) => {
      const from = a % (bars.length + 1);
      const to = from + (b % (bars.length - from + 1));
      const { ohlc, ...fast } = aggregateCandles(bars, from, to, budget);
      expect(typeof ohlc).toBe("string");
      expect({ ...fast, ...decodeOhlc({ ...fast, ohlc }) }).toEqual(aggregateCandlesPlain(bars, from, to, budget));
    }), { numRuns: RUNS });
  });

  it("hold the opens, highs, lows and closes as little-endian float64 in base64, keys in a fixed order", () => {
    const bars = barsOf("X", [[100.1, 101.25, 99.5, 100.75], [100.75, 102, 100, 101.5]]);
    const candles = aggregateCandles(bars, 0, 2, 2);
    const expected = Buffer.alloc(64);
    [100.1, 100.75, 101.25, 102, 99.5, 100, 100.75, 101.5].forEach((value, i) => expected.writeDoubleLE(value, 8 * i));
    expect(candles.ohlc).toBe(expected.toString("base64"));
    expect(Object.keys(candles)).toEqual(["start", "step", "ohlc", "barsPerCandle"]);
    // A scratch array grown by a longer aggregation leaves the next, shorter one as it should be.
    aggregateCandles(barsOf("Y", Array.from({ length: 7_000 }, () => [1, 2, 0.5, 1.5] as const)), 0, 7_000, 7_000);
    expect(aggregateCandles(bars, 0, 2, 2).ohlc).toBe(expected.toString("base64"));
    expect(aggregateCandles(bars, 0, 0, 1)).toEqual({ start: 0, step: 0, ohlc: "", barsPerCandle: 1 });
  });

  it("leave the open times out when evenly spaced and list them when not", () => {
    const bars = barsOf("X", Array.from({ length: 9 }, (_, i) => [100 + i, 101 + i, 99 + i, 100.5 + i] as const));
    expect(aggregateCandles(bars, 0, 9, 3)).not.toHaveProperty("time");
    bars.time[6] += 60_000;
    expect(aggregateCandles(bars, 0, 9, 3)).toMatchObject({ time: [bars.time[0], bars.time[3], bars.time[6]], barsPerCandle: 3 });
  });
});

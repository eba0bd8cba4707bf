/**
 * The replay's fast paths (`loopOne`, engine/replayOneSymbol.ts, for one symbol; engine/skipFlat.ts
 * for rows where nothing is open or queued) against the general loop (`generalLoop: true`): the same run through
 * both must give the same bytes — every equity column, every trade and fill, the counters — on
 * the shipped samples and on synthetic bars built to hit the edges (signals at the first and last
 * bar, funding in data gaps, liquidation, time exits, trade on close, a run with no signal).
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadMarketData } from "../../data/index.js";
import { EquityRecorder } from "../../engine/equityRecorder.js";
import { Replay, runBacktest, type RunInput } from "../../engine/replay.js";
import type { BarSeries, FundingSeries, MarketData, RunResult } from "../../engine/types.js";
import { buildRunInput, buildSparseSignals } from "../../strategies/buildRun.js";
import { configSchema } from "../../strategies/config.js";
import { HOUR, NO_FEES, OPEN_GATES, T0, barsOf, plan, signalsAt } from "../fixtures/bars.js";

const SAMPLES = fileURLToPath(new URL("../../data/samples", import.meta.url));
const EQUITY_COLUMNS = ["time", "equity", "balance", "unrealizedPnl", "marginUsed", "exposure", "drawdown"] as const;

afterEach(() => {
  vi.restoreAllMocks();
});

/** The first row where two columns differ in their bytes (NaN payloads and −0 included), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return Math.min(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function expectSameRun(fast: RunResult, general: RunResult): void {
  for (const column of EQUITY_COLUMNS) {
    expect(firstDifference(fast.equity[column], general.equity[column]), `first row where ${column} differs`).toBe(-1);
  }
  expect(fast.equity.length).toBe(general.equity.length);
  expect(fast.trades).toStrictEqual(general.trades);
  expect(fast.fills).toStrictEqual(general.fills);
  expect(fast.openAtEnd).toStrictEqual(general.openAtEnd);
  expect(fast.account).toStrictEqual(general.account);
  expect(fast.counters).toStrictEqual(general.counters);
  expect(fast.refusals).toStrictEqual(general.refusals);
  expect(fast.warnings).toStrictEqual(general.warnings);
  expect(fast.levelTrace).toStrictEqual(general.levelTrace);
}

interface PathUse {
  readonly singleSymbolChunks: number;
  readonly flatRuns: number;
}

/**
 * Runs a fresh input from `makeInput` through the fast paths and through the general loop,
 * compares the two, and says how often the fast paths were taken (so a case cannot pass by
 * never reaching them).
 */
function compareLoops(makeInput: () => RunInput): PathUse {
  const loopOne = vi.spyOn(Replay.prototype, "loopOne");
  const recordFlat = vi.spyOn(EquityRecorder.prototype, "recordFlat");
  const fast = runBacktest(makeInput());
  const use = { singleSymbolChunks: loopOne.mock.calls.length, flatRuns: recordFlat.mock.calls.length };
  loopOne.mockClear();
  recordFlat.mockClear();
  const general = runBacktest({ ...makeInput(), generalLoop: true });
  expect(loopOne, "the general loop never takes the single-symbol loop").not.toHaveBeenCalled();
  expect(recordFlat, "the general loop records every row itself").not.toHaveBeenCalled();
  expectSameRun(fast, general);
  return use;
}

function configuredInput(overrides: Record<string, unknown>, data: MarketData, traceLevels = false): () => RunInput {
  const config = configSchema.parse(overrides);
  return () => {
    const signals = buildSparseSignals(config, data);
    return { ...buildRunInput(config, data, signals).input, ...(traceLevels ? { traceLevels } : {}) };
  };
}

const CONFIGS: Record<string, unknown>[] = [
  { exits: { kind: "static" } },
  { exits: { kind: "ai" }, sizing: { kind: "math" } },
  { exits: { kind: "harvest", breakevenOffsetPct: 0.001 }, sizing: { kind: "fixed-fraction", fraction: 0.5, leverage: 20 } },
  { exits: { kind: "lsf" }, intrabar: "pessimistic", risk: { capLeverageToStop: true } },
  { exits: { kind: "static" }, execution: { fillTiming: "signal-close", trailingReference: "close" }, gates: { onOpposite: "reverse" } },
  { exits: { kind: "ai" }, sizing: { kind: "rl" }, exchange: { fundingRate: 0.0003 } },
];

describe("the replay's fast paths give the general loop's results", () => {
  it.each(CONFIGS)("on one symbol of the perpetual sample, with its funding file (%j)", async (overrides) => {
    const data = await loadMarketData({ paths: [`BTCUSDT=${SAMPLES}/binance-perp-1h/BTCUSDT.csv`], fundingPaths: [`${SAMPLES}/binance-perp-1h/funding/BTCUSDT.csv`] });
    const use = compareLoops(configuredInput(overrides, data, true));
    expect(use.singleSymbolChunks).toBeGreaterThan(0);
    expect(use.flatRuns).toBeGreaterThan(0);
  });

  it.each(CONFIGS)("on both symbols of the perpetual sample (%j)", async (overrides) => {
    const data = await loadMarketData({ paths: [`${SAMPLES}/binance-perp-1h`] });
    const use = compareLoops(configuredInput(overrides, data));
    expect(use.singleSymbolChunks).toBe(0);
    expect(use.flatRuns).toBeGreaterThan(0);
  });

  it("on one symbol of the spot sample with its 1-minute detail bars (harvest exits)", async () => {
    const data = await loadMarketData({ paths: [`BTCUSDT=${SAMPLES}/binance-spot-1h/BTCUSDT.csv`], detailPaths: [`BTCUSDT=${SAMPLES}/binance-spot-1h/detail/BTCUSDT.csv`] });
    const overrides = { exchange: { market: "spot" }, exits: { kind: "harvest" } };
    const use = compareLoops(configuredInput(overrides, data, true));
    expect(use.flatRuns).toBeGreaterThan(0);
  });
});

/** A zig-zag of hourly bars with wide ranges, so stops, take-profits and liquidations are reached. */
function zigzag(symbol: string, length: number, startMs = T0): BarSeries {
  const rows: [number, number, number, number][] = [];
  let last = 100;
  for (let i = 0; i < length; i++) {
    const move = Math.sin(i / 3) * 0.03 + (i % 7 === 0 ? -0.05 : 0.004);
    const open = last;
    const close = open * (1 + move);
    rows.push([open, Math.max(open, close) * 1.01, Math.min(open, close) * 0.99, close]);
    last = close;
  }
  return barsOf(symbol, rows, startMs);
}

/** Small hourly moves with a rare jump: positions stay open for many bars, then stops, take-profits and liquidations are reached. */
function calm(symbol: string, length: number, seed: number): BarSeries {
  const rows: [number, number, number, number][] = [];
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  let last = 100;
  for (let i = 0; i < length; i++) {
    const jump = random() < 0.03 ? (random() - 0.5) * 0.08 : 0;
    const open = last;
    const close = open * (1 + (random() - 0.48) * 0.006 + jump);
    rows.push([open, Math.max(open, close) * (1 + random() * 0.002), Math.min(open, close) * (1 - random() * 0.002), close]);
    last = close;
  }
  return barsOf(symbol, rows, T0);
}

/**
 * Bars whose extremes land exactly on the levels of entries at 100 with a 5 % stop and take-profit on
 * a 0.5 tick (95 and 105): a long stopped at a low of exactly 95, a short stopped at a high of exactly
 * 105, a long taking profit at a high of exactly 105, a short taking profit at a low of exactly 95.
 */
function touches(): BarSeries {
  const rows: [number, number, number, number][] = [];
  const flat = (count: number) => { for (let k = 0; k < count; k++) rows.push([100, 100.5, 99.5, 100]); };
  flat(10); rows.push([100, 100.5, 95, 100]);
  flat(10); rows.push([100, 105, 99.5, 100]);
  flat(10); rows.push([100, 105, 99.5, 100]);
  flat(10); rows.push([100, 100.5, 95, 100]);
  flat(10);
  return barsOf("TOUCHUSDT", rows);
}

/** `series` without the bars at `gaps` (data gaps: funding times in them are paid at the next bar). */
function withGaps(series: BarSeries, gaps: readonly number[]): BarSeries {
  const keep = Array.from({ length: series.length }, (_, i) => i).filter((i) => !gaps.includes(i));
  const pick = (column: Float64Array) => Float64Array.from(keep, (i) => column[i]);
  return {
    symbol: series.symbol, timeframeMs: series.timeframeMs, length: keep.length, time: pick(series.time), open: pick(series.open),
    high: pick(series.high), low: pick(series.low), close: pick(series.close), volume: pick(series.volume),
  };
}

function fundingOf(symbol: string, fromMs: number, times: number, rate: number): FundingSeries {
  return {
    symbol, length: times,
    time: Float64Array.from({ length: times }, (_, k) => fromMs + k * 8 * HOUR),
    rate: Float64Array.from({ length: times }, (_, k) => (k % 3 === 0 ? -rate : rate)),
  };
}

interface SyntheticCase {
  readonly name: string;
  readonly bars: readonly BarSeries[];
  readonly at: Readonly<Record<string, Record<number, 1 | -1>>>;
  readonly input?: Partial<RunInput>;
  readonly leverage?: number;
  readonly exitPlan?: ReturnType<typeof plan>;
  readonly funding?: readonly FundingSeries[];
}

const A = zigzag("AUSDT", 300);
const B = withGaps(zigzag("BUSDT", 300, T0 + 5 * HOUR), [0, 1, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 200, 201, 202]);
const STAGED = plan({ stopLossPct: 0.03, stages: [{ movePct: 0.02, fraction: 0.5 }, { movePct: 0.05, fraction: 0.5 }], breakevenOffsetPct: 0 });
const TRAILED = plan({ stopLossPct: 0.05, trailing: { distancePct: 0.02, activationPct: 0.01, afterStage: 0 }, maxHoldingBars: 12 });

const CALM = calm("CALMUSDT", 600, 7);
const TOUCH_PLAN = plan({ stopLossPct: 0.05, stages: [{ movePct: 0.05, fraction: 1 }] });
const TICK = { ...NO_FEES, tickSize: 0.5 };

const SYNTHETIC: SyntheticCase[] = [
  { name: "levels touched exactly by a bar's low or high", bars: [touches()], at: { TOUCHUSDT: { 2: 1, 13: -1, 24: 1, 35: -1 } }, exitPlan: TOUCH_PLAN, leverage: 1, input: { exchange: TICK } },
  {
    name: "long holds in calm bars: stops, take-profits, time exits, funding", bars: [CALM], at: { CALMUSDT: { 5: 1, 100: -1, 180: 1, 300: -1, 420: 1, 520: -1 } },
    exitPlan: plan({ stopLossPct: 0.03, stages: [{ movePct: 0.04, fraction: 0.5 }, { movePct: 0.06, fraction: 0.5 }], breakevenOffsetPct: 0.001, maxHoldingBars: 70 }),
    input: { exchange: { ...NO_FEES, fundingRate: 0.0003 } },
  },
  {
    name: "calm bars at leverage 40: the liquidation price is the nearest level", bars: [CALM], at: { CALMUSDT: { 5: 1, 150: -1, 300: 1, 450: -1 } },
    exitPlan: plan({ stopLossPct: 0.2 }), leverage: 40, input: { exchange: { ...NO_FEES, fundingRate: 0.0005 } },
  },
  {
    name: "funding that eats the margin: liquidated at a funding time", bars: [CALM], at: { CALMUSDT: { 5: 1, 150: -1, 300: 1 } },
    exitPlan: plan({ stopLossPct: 0.2 }), leverage: 10, input: { exchange: { ...NO_FEES, fundingRate: 0.02 } },
  },
  { name: "signals at the first and the last bar", bars: [A], at: { AUSDT: { 0: 1, 100: -1, 299: 1 } }, exitPlan: STAGED },
  {
    name: "reversals and closes on the opposite signal, with a cooldown", bars: [A], at: { AUSDT: { 4: 1, 9: -1, 10: 1, 11: -1, 40: -1, 41: 1, 90: 1, 96: -1 } },
    exitPlan: plan({ stopLossPct: 0.2 }), input: { gates: { ...OPEN_GATES, onOpposite: "reverse", cooldownMs: 2 * HOUR } },
  },
  {
    name: "a buy at every bar, stopped out often, with a cooldown after each exit", bars: [A],
    at: { AUSDT: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [i, 1 as const])) },
    exitPlan: plan({ stopLossPct: 0.015, stages: [{ movePct: 0.02, fraction: 1 }] }), input: { gates: { ...OPEN_GATES, cooldownMs: 3 * HOUR } },
  },
  { name: "closes on the opposite signal", bars: [A], at: { AUSDT: { 4: 1, 9: -1, 60: -1, 70: 1 } }, exitPlan: plan(), input: { gates: { ...OPEN_GATES, onOpposite: "close" } } },
  { name: "a signal at the last bar only (queued, never filled)", bars: [A], at: { AUSDT: { 299: -1 } } },
  { name: "no signal at all", bars: [A], at: {} },
  { name: "an entry at the first bar, funding from the file", bars: [A], at: { AUSDT: { 0: 1 } }, funding: [fundingOf("AUSDT", T0, 40, 0.001)] },
  {
    name: "funding times in data gaps, a constant rate beyond the funding file", bars: [B], at: { BUSDT: { 2: 1, 39: -1, 60: 1, 150: -1, 199: 1 } },
    funding: [fundingOf("BUSDT", T0 + 16 * HOUR, 10, 0.002)], input: { exchange: { ...NO_FEES, fundingRate: 0.0005 } }, exitPlan: TRAILED,
  },
  {
    name: "a position held across data gaps with funding times in them", bars: [B], at: { BUSDT: { 30: 1, 190: -1 } },
    funding: [fundingOf("BUSDT", T0, 40, 0.002)], exitPlan: plan(), leverage: 1,
  },
  { name: "leverage 50 and a funding rate, take-profits within a bar or two", bars: [A], at: { AUSDT: { 3: 1, 30: -1, 80: 1, 160: -1 } }, leverage: 50, input: { exchange: { ...NO_FEES, fundingRate: 0.001 } } },
  { name: "time exits, trade on close", bars: [A], at: { AUSDT: { 5: 1, 50: -1, 51: 1, 120: -1 } }, exitPlan: TRAILED, input: { execution: { fillTiming: "signal-close", sizingReference: "signal", trailingReference: "close", liquidation: "on" } } },
  {
    name: "two symbols with gaps, reversals and a shared cooldown", bars: [A, B], at: { AUSDT: { 0: 1, 20: -1, 90: 1, 299: -1 }, BUSDT: { 2: -1, 70: 1, 71: -1, 250: 1 } },
    funding: [fundingOf("BUSDT", T0, 30, 0.001)], input: { gates: { ...OPEN_GATES, onOpposite: "reverse", cooldownMs: 3 * HOUR } }, exitPlan: STAGED,
  },
];

function syntheticInput(c: SyntheticCase): () => RunInput {
  return () => ({
    data: { bars: c.bars, funding: new Map((c.funding ?? []).map((series) => [series.symbol, series])), fingerprint: [] },
    signals: { bySymbol: new Map(c.bars.map((series) => [series.symbol, signalsAt(series.length, c.at[series.symbol] ?? {})])), stats: {} },
    exchange: NO_FEES,
    gates: OPEN_GATES,
    intrabarMode: "default",
    initialBalance: 10_000,
    maxLeverage: 100,
    sizeEntry: () => ({ marginUsd: 1_000, leverage: c.leverage ?? 3 }),
    planExit: () => c.exitPlan ?? plan({ stopLossPct: 0.04, stages: [{ movePct: 0.03, fraction: 1 }] }),
    traceLevels: true,
    ...c.input,
  });
}

describe("the replay's fast paths on synthetic edge cases", () => {
  it.each(SYNTHETIC)("give the general loop's results: $name", (c) => {
    const use = compareLoops(syntheticInput(c));
    expect(use.singleSymbolChunks).toBe(c.bars.length === 1 ? 1 : 0);
  });

  it("skip every row of a run without signals and still record each one", () => {
    const use = compareLoops(syntheticInput({ name: "flat", bars: [A], at: {} }));
    expect(use.flatRuns).toBe(1);
  });
});

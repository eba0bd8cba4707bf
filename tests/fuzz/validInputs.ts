/**
 * Valid inputs for the fuzzer to start from (SPEC §2, §3, §9): small bar sets as generic or
 * Binance kline CSVs, funding files, predictions files, Q-tables and config objects. Every
 * generator is a pure function of its Rng, so a case reproduces from its seed.
 */

import { BUILTIN_SIGNALS, BUILTIN_SIGNAL_NAMES } from "../../strategies/signals/builtinSignals.js";
import type { Rng } from "./prng.js";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const TIMEFRAMES_MS = [MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, HOUR_MS, 4 * HOUR_MS, 24 * HOUR_MS] as const;
export const SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"] as const;

export interface Bar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface BarSet {
  readonly symbol: string;
  readonly timeframeMs: number;
  readonly bars: readonly Bar[];
}

/** Options shared by every bar set of one case (the replayer wants one timeframe). */
export interface BarClock {
  readonly startMs: number;
  readonly timeframeMs: number;
  readonly count: number;
}

export function randomClock(rng: Rng): BarClock {
  // 2021-01-01 .. 2025-12-31, aligned to the timeframe.
  const timeframeMs = rng.weighted<number>([[1, MINUTE_MS], [1, 5 * MINUTE_MS], [1, 15 * MINUTE_MS], [4, HOUR_MS], [1, 4 * HOUR_MS], [1, 24 * HOUR_MS]]);
  const start = Date.UTC(2021, 0, 1) + rng.int(0, 1800) * 86_400_000;
  return { startMs: start - (start % timeframeMs), timeframeMs, count: rng.int(30, 80) };
}

/**
 * Bars on a noisy sine wave (so the EMA cross trades a few times), occasionally with a big
 * jump (liquidations, gaps through stops). Each bar opens at the previous close.
 */
export function randomBars(rng: Rng, symbol: string, clock: BarClock): BarSet {
  const base = rng.weighted<number>([[1, 0.0001 * rng.between(1, 9)], [1, rng.between(0.1, 2)], [6, rng.between(20, 5000)], [2, rng.between(10_000, 120_000)]]);
  const amplitude = base * rng.between(0.005, 0.25);
  const period = rng.between(2, 12);
  const phase = rng.between(0, 6.3);
  const noise = rng.between(0, 0.02);
  const jumpChance = rng.chance(0.3) ? rng.between(0.01, 0.08) : 0;
  const bars: Bar[] = [];
  let open = base;
  for (let i = 0; i < clock.count; i++) {
    let close = base + amplitude * Math.sin((i + 1) / period + phase) + base * noise * (rng.float() - 0.5);
    if (rng.chance(jumpChance)) close *= rng.pick([0.6, 0.8, 1.25, 1.6]);
    close = Math.max(close, base * 0.05);
    const wick = base * rng.between(0, 0.01);
    const high = Math.max(open, close) + wick * rng.float();
    const low = Math.max(Math.min(open, close) - wick * rng.float(), 0);
    bars.push({ time: clock.startMs + i * clock.timeframeMs, open, high, low, close, volume: rng.chance(0.05) ? 0 : rng.between(0, 5000) });
    open = close;
  }
  return { symbol, timeframeMs: clock.timeframeMs, bars };
}

export type TimeUnit = "ms" | "s" | "us" | "iso";

export function formatTime(timeMs: number, unit: TimeUnit): string {
  switch (unit) {
    case "ms":
      return String(timeMs);
    case "s":
      return String(timeMs / 1000);
    case "us":
      return String(timeMs * 1000);
    case "iso":
      return new Date(timeMs).toISOString();
  }
}

/**
 * A price as text. The same `digits` for all four prices of a bar keeps it valid: rounding is
 * monotone, so high ≥ max(open, close) and low ≤ min(open, close) survive it.
 */
function formatPrice(value: number, digits: number | null): string {
  return digits === null ? String(value) : value.toFixed(digits);
}

export interface GenericCsvOptions {
  readonly timeUnit: TimeUnit;
  /** Name of the time column. */
  readonly timeName: string;
  /** Column order of the six fields (indexes into time, open, high, low, close, volume); volume may be absent. */
  readonly order: readonly number[];
  readonly upperCase: boolean;
  /** Extra ignored columns appended to every row. */
  readonly extraColumns: number;
  readonly digits: number | null;
}

export function randomGenericOptions(rng: Rng): GenericCsvOptions {
  const order = rng.chance(0.8) ? [0, 1, 2, 3, 4, 5] : rng.shuffle([0, 1, 2, 3, 4, 5]);
  return {
    timeUnit: rng.weighted<TimeUnit>([[6, "ms"], [1, "s"], [1, "us"], [2, "iso"]]),
    timeName: rng.pick(["timestamp", "time", "date", "open_time", "datetime", "Timestamp", " TIME "]),
    order: rng.chance(0.1) ? order.filter((column) => column !== 5) : order,
    upperCase: rng.chance(0.1),
    extraColumns: rng.chance(0.1) ? rng.int(1, 3) : 0,
    digits: rng.pick([null, 2, 4, 6, 8]),
  };
}

/** A generic bar CSV (header first) as lines. */
export function genericCsvLines(set: BarSet, options: GenericCsvOptions): string[] {
  const names = [options.timeName, "open", "high", "low", "close", "volume"].map((name) => (options.upperCase ? name.toUpperCase() : name));
  const extra = Array.from({ length: options.extraColumns }, (_, k) => `extra_${k}`);
  const lines = [[...options.order.map((column) => names[column]), ...extra].join(",")];
  for (const bar of set.bars) {
    const values = [
      formatTime(bar.time, options.timeUnit),
      formatPrice(bar.open, options.digits),
      formatPrice(bar.high, options.digits),
      formatPrice(bar.low, options.digits),
      formatPrice(bar.close, options.digits),
      formatPrice(bar.volume, options.digits === null ? null : 3),
    ];
    lines.push([...options.order.map((column) => values[column]), ...extra.map((_, k) => String(k))].join(","));
  }
  return lines;
}

/** A Binance kline download (no header, 12 fields, open time in ms or µs) as lines. */
export function klineCsvLines(set: BarSet, unit: "ms" | "us"): string[] {
  const scale = unit === "ms" ? 1 : 1000;
  return set.bars.map((bar) =>
    [
      bar.time * scale, bar.open.toFixed(8), bar.high.toFixed(8), bar.low.toFixed(8), bar.close.toFixed(8), bar.volume.toFixed(3),
      (bar.time + set.timeframeMs - 1) * scale, (bar.volume * bar.close).toFixed(4), 42, (bar.volume / 2).toFixed(3), "61728.39", 0,
    ].join(","),
  );
}

/** A funding file covering the bars every 8 h (sometimes 4 h or 1 h), as lines. */
export function fundingCsvLines(rng: Rng, clock: BarClock): string[] {
  const interval = rng.pick([8 * HOUR_MS, 8 * HOUR_MS, 4 * HOUR_MS, HOUR_MS]);
  const timeName = rng.pick(["timestamp", "time", "funding_time", "fundingTime", "calc_time"]);
  const rateName = rng.pick(["funding_rate", "rate", "fundingRate"]);
  const unit = rng.weighted<TimeUnit>([[6, "ms"], [1, "s"], [1, "iso"]]);
  const withExtra = rng.chance(0.3);
  const lines = [withExtra ? `${timeName},symbol,${rateName},mark_price` : `${timeName},${rateName}`];
  const endMs = clock.startMs + clock.count * clock.timeframeMs;
  let time = clock.startMs - (clock.startMs % interval) - (rng.chance(0.3) ? interval : 0);
  while (time < endMs + (rng.chance(0.3) ? interval : 0)) {
    const rate = rng.between(-0.001, 0.002).toFixed(8);
    lines.push(withExtra ? `${formatTime(time, unit)},BTCUSDT,${rate},123.45` : `${formatTime(time, unit)},${rate}`);
    time += interval;
  }
  return lines;
}

/** A predictions file for some of the bars (SPEC §3), as lines. */
export function predictionsCsvLines(rng: Rng, sets: readonly BarSet[]): string[] {
  const withScore = rng.chance(0.5);
  const withSize = rng.chance(0.4);
  const unit = rng.weighted<TimeUnit>([[6, "ms"], [1, "s"], [2, "iso"]]);
  const header = [rng.pick(["timestamp", "time", "date"]), "symbol", rng.pick(["action", "signal", "side"]), "confidence"];
  if (withScore) header.push("score");
  if (withSize) header.push(rng.pick(["size_multiplier", "size"]));
  const lines = [header.join(",")];
  const rows: { time: number; line: string }[] = [];
  for (const set of sets) {
    const density = rng.between(0.05, 0.6);
    for (const bar of set.bars) {
      if (!rng.chance(density)) continue;
      const inside = bar.time + Math.floor(rng.float() * set.timeframeMs);
      const time = unit === "s" ? inside - (inside % 1000) : inside;
      const action = rng.weighted<string>([[4, "BUY"], [4, "SELL"], [2, "HOLD"], [1, "long"], [1, "short"], [1, "buy"]]);
      const confidence = rng.chance(0.05) ? "" : rng.weighted<string>([[8, rng.between(0.3, 1).toFixed(3)], [1, "1"], [1, "0"]]);
      const fields = [formatTime(time, unit), set.symbol, action, confidence];
      if (withScore) fields.push(rng.chance(0.1) ? "" : rng.between(-1, 1).toFixed(3));
      if (withSize) fields.push(rng.chance(0.1) ? "" : rng.between(0, 2).toFixed(3));
      rows.push({ time, line: fields.join(",") });
    }
  }
  // Rows need not be sorted; usually they are.
  const ordered = rng.chance(0.8) ? rows.sort((a, b) => a.time - b.time) : rng.shuffle(rows);
  if (ordered.length === 0) ordered.push({ time: sets[0].bars[0].time, line: `${formatTime(sets[0].bars[0].time, unit)},${sets[0].symbol},BUY,0.9${withScore ? ",0.1" : ""}${withSize ? ",1" : ""}` });
  return [...lines, ...ordered.map((row) => row.line)];
}

/* ---------------------------------------------------------------- config ---- */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | RawJson;

/** A literal JSON token written as is (for numbers JSON.stringify cannot write, such as 1e400). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson tokens. */
export function toJsonText(value: Json, indent = 2): string {
  const raws: string[] = [];
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (item instanceof RawJson) {
        raws.push(item.text);
        return `\u0000RAW${raws.length - 1}\u0000`;
      }
      return item;
    },
    indent,
  );
  return text.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_, index: string) => raws[Number(index)]);
}

export const EXIT_KINDS = ["static", "ai", "lsf", "math", "harvest"] as const;
export const SIZING_KINDS = ["fixed-fraction", "fixed-notional", "fixed-quantity", "math", "rl"] as const;

/** Where a case's files live, for config values that are paths. */
export interface PathContext {
  readonly dataPaths: readonly string[];
  readonly predictionsPath: string | null;
  /** A strategy module the case wrote (or a shipped example), for `signals.module`. */
  readonly modulePath: string | null;
  readonly qTablePath: string | null;
  /** A writable path inside the case folder (never outside: the fuzzer must not write elsewhere). */
  readonly scratchPath: string;
}

function maybe<T>(rng: Rng, p: number, make: () => T): T | undefined {
  return rng.chance(p) ? make() : undefined;
}

/** An object without its undefined members. */
function compact(entries: Record<string, Json | undefined>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

const level = (rng: Rng): number => Number(rng.weighted<number>([[8, rng.between(0.002, 0.1)], [1, rng.between(0.1, 0.6)], [1, rng.between(0.0001, 0.002)]]).toPrecision(4));
const levelOrNull = (rng: Rng): number | null => (rng.chance(0.15) ? null : level(rng));
const holding = (rng: Rng): number | null => (rng.chance(0.6) ? null : rng.int(1, 30));
const breakeven = (rng: Rng): number | null => (rng.chance(0.6) ? null : Number(rng.between(-0.01, 0.02).toPrecision(3)));

function trailing(rng: Rng): Json {
  if (rng.chance(0.4)) return null;
  return compact({
    distancePct: level(rng),
    activationPct: maybe(rng, 0.6, () => (rng.chance(0.3) ? null : Number(rng.between(0, 0.08).toPrecision(3)))),
    afterStage: maybe(rng, 0.5, () => rng.int(0, 3)),
  });
}

/** A valid `exits` section of the given kind with random parameters (every field optional). */
export function randomExits(rng: Rng, kind: (typeof EXIT_KINDS)[number]): { [key: string]: Json } {
  const p = 0.6;
  switch (kind) {
    case "static":
      return compact({ kind, stopLossPct: maybe(rng, p, () => levelOrNull(rng)), takeProfitPct: maybe(rng, p, () => levelOrNull(rng)), maxHoldingBars: maybe(rng, 0.4, () => holding(rng)) });
    case "ai": {
      const rows = rng.int(1, 5);
      const confidences = Array.from({ length: rows }, () => rng.float()).sort((a, b) => b - a).map((value, index) => Number((value - index * 1e-6).toFixed(4)));
      const tiers = confidences.map((confidence) => ({
        confidence: Math.max(0, confidence), takeProfitPct: Number(rng.between(0.001, 0.3).toPrecision(4)), stopLossPct: level(rng),
        trailingStopPct: level(rng), fractionClosedAtTakeProfit: Number(rng.between(0.01, 1).toPrecision(3)),
      }));
      const mode = rng.pick(["step", "interpolate"]);
      const custom = rng.chance(0.5);
      const boundaries = Array.from({ length: (custom ? rows : 4) - 1 }, () => Number(rng.float().toFixed(3))).sort((a, b) => b - a);
      return compact({
        kind, tiers: custom ? tiers : undefined, mode: maybe(rng, p, () => mode),
        stepBoundaries: custom || rng.chance(0.3) ? boundaries : undefined,
        referenceAtrPct: maybe(rng, 0.3, () => (rng.chance(0.3) ? null : Number(rng.between(0.001, 0.1).toPrecision(3)))),
        fallbackStopLossPct: maybe(rng, 0.3, () => levelOrNull(rng)), fallbackTakeProfitPct: maybe(rng, 0.3, () => levelOrNull(rng)),
        maxHoldingBars: maybe(rng, 0.4, () => holding(rng)),
      });
    }
    case "lsf":
      return compact({
        kind, baseTakeProfitPct: maybe(rng, p, () => level(rng)), baseStopLossPct: maybe(rng, p, () => level(rng)),
        minStopLossPct: maybe(rng, 0.3, () => level(rng)), maxStopLossPct: maybe(rng, 0.3, () => level(rng)),
        minTakeProfitPct: maybe(rng, 0.3, () => level(rng)), exchangeDivergence: maybe(rng, 0.3, () => Number(rng.between(0, 0.05).toPrecision(3))),
        trailing: maybe(rng, p, () => trailing(rng)), breakevenOffsetPct: maybe(rng, 0.4, () => breakeven(rng)), maxHoldingBars: maybe(rng, 0.4, () => holding(rng)),
      });
    case "math":
      return compact({ kind, trailing: maybe(rng, p, () => trailing(rng)), breakevenOffsetPct: maybe(rng, 0.4, () => breakeven(rng)), maxHoldingBars: maybe(rng, 0.4, () => holding(rng)) });
    case "harvest": {
      const count = rng.int(0, 4);
      let move = 0;
      let left = 1;
      const stages = Array.from({ length: count }, () => {
        move += Number(rng.between(0.002, 0.05).toPrecision(3));
        const fraction = Number((left * rng.between(0, 0.9)).toFixed(3));
        left -= fraction;
        return { movePct: Number(move.toPrecision(4)), fraction };
      });
      return compact({
        kind, stopLossPct: maybe(rng, p, () => levelOrNull(rng)), stages: maybe(rng, p, () => stages),
        trailing: maybe(rng, p, () => trailing(rng)), breakevenOffsetPct: maybe(rng, 0.4, () => breakeven(rng)), maxHoldingBars: maybe(rng, 0.4, () => holding(rng)),
      });
    }
  }
}

/** A valid `sizing` section of the given kind (leverage kept below 1 / default mmr). */
export function randomSizing(rng: Rng, kind: (typeof SIZING_KINDS)[number], paths: PathContext): { [key: string]: Json } {
  const leverage = () => rng.weighted<number>([[3, 1], [3, rng.int(2, 20)], [1, Number(rng.between(1, 50).toFixed(2))]]);
  const mathematician = () => ({
    performanceScope: maybe(rng, 0.4, () => rng.pick(["symbol", "portfolio"])),
    minPositionUsd: maybe(rng, 0.3, () => Number(rng.between(0, 100).toFixed(2))),
    maxPositionUsd: maybe(rng, 0.3, () => Number(rng.between(1, 50_000).toFixed(2))),
  });
  switch (kind) {
    case "fixed-fraction":
      return compact({ kind, fraction: maybe(rng, 0.7, () => Number(rng.between(0.001, 1).toPrecision(3))), leverage: maybe(rng, 0.6, leverage) });
    case "fixed-notional":
      return compact({ kind, notionalUsd: maybe(rng, 0.7, () => Number(rng.between(1, 100_000).toPrecision(4))), leverage: maybe(rng, 0.6, leverage) });
    case "fixed-quantity":
      return compact({ kind, quantity: maybe(rng, 0.7, () => Number(rng.between(0.0001, 100).toPrecision(4))), leverage: maybe(rng, 0.6, leverage) });
    case "math":
      return compact({ kind, ...mathematician(), mode: maybe(rng, 0.4, () => rng.pick(["standard", "conservative"])) });
    case "rl":
      return compact({
        kind, ...mathematician(), mode: maybe(rng, 0.5, () => rng.pick(["train", "eval"])),
        mathematicianMode: maybe(rng, 0.3, () => rng.pick(["standard", "conservative"])),
        explorationRate: maybe(rng, 0.4, () => Number(rng.float().toFixed(3))),
        learningRate: maybe(rng, 0.4, () => Number(rng.between(0.001, 1).toFixed(3))),
        reward: maybe(rng, 0.4, () => rng.pick(["return-on-margin", "pnl-over-initial-balance"])),
        leverageActions: maybe(rng, 0.4, () => rng.chance(0.5)), styleActions: maybe(rng, 0.4, () => rng.chance(0.5)),
        load: maybe(rng, 0.2, () => paths.qTablePath),
        save: maybe(rng, 0.2, () => (rng.chance(0.5) ? null : paths.scratchPath)),
      });
  }
}

/**
 * A setting near its default (usually), or at an edge: zero, negative, fractional, huge. The
 * built-in signals' schemas are derived from their defaults (any number), so the edges reach
 * the indicator code.
 */
function perturb(rng: Rng, value: number): number {
  return rng.weighted<() => number>([
    [6, () => (Number.isInteger(value) ? Math.max(1, Math.round(value * rng.between(0.2, 1.5))) : Number((value * rng.between(0.2, 3)).toPrecision(3)))],
    [1, () => rng.pick([0, -1, -value, 0.5, 1, 2, 1e308, 1e-9, 2 ** 31, 1e6])],
  ])();
}

/** A `signals` section: a built-in with random settings, the predictions file, or a strategy module. */
export function randomSignals(rng: Rng, paths: PathContext): { [key: string]: Json } {
  const choice = rng.weighted<string>([[paths.predictionsPath === null ? 0 : 3, "predictions"], [paths.modulePath === null ? 0 : 1, "module"], [6, "builtin"]]);
  if (choice === "predictions") return { kind: "predictions", file: paths.predictionsPath as string };
  if (choice === "module") {
    return compact({ kind: "module", module: paths.modulePath as string, params: maybe(rng, 0.5, () => ({ lookback: rng.int(-2, 40), fullStrength: rng.pick([0, 0.1, -1, 1e308]), fast: rng.int(1, 10), slow: rng.int(2, 30) })) });
  }
  const name = rng.pick(BUILTIN_SIGNAL_NAMES);
  const out: { [key: string]: Json } = { kind: name };
  if (name === "ema-cross" && rng.chance(0.3)) delete out.kind; // the kind defaults to ema-cross
  for (const [key, value] of Object.entries(BUILTIN_SIGNALS[name].defaults as unknown as Record<string, unknown>)) {
    if (!rng.chance(0.5)) continue;
    if (typeof value === "number") out[key] = perturb(rng, value);
    else if (typeof value === "string") out[key] = rng.weighted<string>([[3, value], [2, rng.pick(["on-enter", "every-bar"])], [1, rng.pick(["ON-ENTER", "", "never"])]]);
    else if (typeof value === "boolean") out[key] = rng.chance(0.5);
  }
  return out;
}

/** A valid-looking config object (each section present or not, kinds random). */
export function randomConfig(rng: Rng, paths: PathContext): { [key: string]: Json } {
  const signals = randomSignals(rng, paths);
  return compact({
    data: maybe(rng, 0.5, () => compact({ paths: [...paths.dataPaths], funding: maybe(rng, 0.2, () => []), detail: maybe(rng, 0.1, () => []) })),
    initialBalance: maybe(rng, 0.4, () => rng.weighted<number>([[4, 10_000], [1, Number(rng.between(1, 1e6).toFixed(2))], [1, 1e9], [1, 0.01]])),
    exchange: maybe(rng, 0.5, () =>
      compact({
        market: maybe(rng, 0.4, () => rng.pick(["perp", "spot"])),
        takerFeeRate: maybe(rng, 0.4, () => Number(rng.between(0, 0.002).toPrecision(3))),
        makerFeeRate: maybe(rng, 0.4, () => Number(rng.between(0, 0.002).toPrecision(3))),
        slippageBps: maybe(rng, 0.4, () => rng.weighted<number>([[6, Number(rng.between(0, 20).toFixed(2))], [1, 1000], [1, 10_000]])),
        maintenanceMarginRate: maybe(rng, 0.3, () => rng.pick([0, 0.004, 0.005, 0.01, 0.02])),
        fundingRate: maybe(rng, 0.4, () => (rng.chance(0.3) ? null : Number(rng.between(-0.01, 0.01).toPrecision(3)))),
        lotSize: maybe(rng, 0.3, () => rng.pick([0, 0.001, 0.01, 1, 10, 1000])),
        tickSize: maybe(rng, 0.3, () => rng.pick([0, 0.0001, 0.01, 0.5, 10, 1000])),
        minNotional: maybe(rng, 0.3, () => rng.pick([0, 5, 100, 1e6])),
      }),
    ),
    intrabar: maybe(rng, 0.4, () => rng.pick(["default", "pessimistic", "optimistic"])),
    signals: rng.chance(0.6) ? signals : undefined,
    gates: maybe(rng, 0.5, () =>
      compact({
        minConfidence: maybe(rng, 0.5, () => Number(rng.float().toFixed(3))),
        symbols: maybe(rng, 0.3, () => (rng.chance(0.3) ? null : rng.shuffle(["BTCUSDT", "ETHUSDT", "SOLUSDT", "DOGEUSDT"]).slice(0, rng.int(1, 3)))),
        duplicateTtlMinutes: maybe(rng, 0.3, () => rng.int(0, 600)),
        cooldownMinutes: maybe(rng, 0.3, () => rng.int(0, 600)),
        maxOpenPositions: maybe(rng, 0.3, () => rng.int(1, 5)),
        onOpposite: maybe(rng, 0.4, () => rng.pick(["ignore", "close", "reverse"])),
      }),
    ),
    risk: maybe(rng, 0.4, () =>
      compact({
        maxLeverage: maybe(rng, 0.5, () => rng.pick([1, 2, 5, 10, 25, 50, 100, 150])),
        riskPerTradePct: maybe(rng, 0.5, () => Number(rng.float().toFixed(3))),
        capLeverageToStop: maybe(rng, 0.5, () => rng.chance(0.5)),
      }),
    ),
    sizing: maybe(rng, 0.8, () => randomSizing(rng, rng.pick(SIZING_KINDS), paths)),
    exits: maybe(rng, 0.8, () => randomExits(rng, rng.pick(EXIT_KINDS))),
    seed: maybe(rng, 0.3, () => rng.int(0, 2 ** 31)),
    output: maybe(rng, 0.3, () => compact({ dir: paths.scratchPath, equityEvery: maybe(rng, 0.5, () => rng.int(1, 10)) })),
  });
}

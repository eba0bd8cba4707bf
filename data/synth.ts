/**
 * Seeded synthetic bars for tests and benchmarks. Prices follow a log random walk whose drift
 * and volatility switch between market regimes every few hundred bars, with occasional jumps
 * between one close and the next open. Everything is written straight into Float64Arrays,
 * and the same options (seed included) give identical arrays.
 */

import { xoroshiro128plus } from "pure-rand";
import { SeededRandom } from "./seededRandom.js";
import type { BarSeries } from "../engine/types.js";
import { ConfigError } from "../engine/errors.js";

export { formatBarsCsv, writeBarsCsv } from "./writeBarsCsv.js";

export const SYNTH_REGIMES = ["trending-up", "trending-down", "ranging", "volatile"] as const;
export type SynthRegime = (typeof SYNTH_REGIMES)[number];

export interface SynthBarsOptions {
  readonly symbol: string;
  readonly bars: number;
  /** Integer; only its low 32 bits matter (pure-rand's xoroshiro128plus seeding). */
  readonly seed: number;
  /** Open time of the first bar, epoch ms. */
  readonly startTimeMs?: number;
  readonly timeframeMs?: number;
  readonly startPrice?: number;
}

export interface SynthMarket {
  readonly series: BarSeries;
  /** Index into SYNTH_REGIMES of the regime each bar was drawn in. */
  readonly regimes: Uint8Array;
}

interface RegimeShape {
  /** Drift per bar, in units of the bar volatility. */
  readonly driftInSigmas: number;
  readonly volatilityScale: number;
  /** Share of the distance to the regime's starting log-price recovered per bar. */
  readonly meanReversion: number;
}

const REGIME_SHAPES: readonly RegimeShape[] = [
  { driftInSigmas: 0.12, volatilityScale: 1, meanReversion: 0 },
  { driftInSigmas: -0.12, volatilityScale: 1, meanReversion: 0 },
  { driftInSigmas: 0, volatilityScale: 0.6, meanReversion: 0.05 },
  { driftInSigmas: 0, volatilityScale: 2.5, meanReversion: 0 },
];

/** Volatility of a 1h bar's log return; other timeframes scale with √time. */
const HOURLY_VOLATILITY = 0.008;
const MAX_BAR_VOLATILITY = 0.05;
const MIN_REGIME_BARS = 100;
const EXTRA_REGIME_BARS = 400;
const JUMP_PROBABILITY = 0.003;
const JUMP_IN_SIGMAS = 4;
/*
 * Keeps the walk in a sane band: beyond ±ln 3 of the start price (a third to three times),
 * the log-price is pulled back by this share of the excess per bar.
 */
const PRICE_BAND_LOG = Math.log(3);
const BAND_PULL = 0.02;
const BASE_VOLUME = 1000;

export function generateSynthBars(options: SynthBarsOptions): BarSeries {
  return generateSynthMarket(options).series;
}

export function generateSynthMarket(options: SynthBarsOptions): SynthMarket {
  const { symbol, bars, seed } = options;
  const startTimeMs = options.startTimeMs ?? Date.UTC(2024, 0, 1);
  const timeframeMs = options.timeframeMs ?? 3_600_000;
  const startPrice = options.startPrice ?? 100;
  checkOptions(bars, seed, timeframeMs, startPrice);

  const random = new SeededRandom(xoroshiro128plus(seed));
  const time = new Float64Array(bars);
  const open = new Float64Array(bars);
  const high = new Float64Array(bars);
  const low = new Float64Array(bars);
  const close = new Float64Array(bars);
  const volume = new Float64Array(bars);
  const regimes = new Uint8Array(bars);

  const barVolatility = Math.min(MAX_BAR_VOLATILITY, HOURLY_VOLATILITY * Math.sqrt(timeframeMs / 3_600_000));
  const startLog = Math.log(startPrice);
  let previousCloseLog = startLog;
  // Prices are carried alongside their logs so that an open equals the previous close exactly.
  let previousClose = startPrice;
  let regime = random.integerBelow(SYNTH_REGIMES.length);
  let regimeBarsLeft = MIN_REGIME_BARS + random.integerBelow(EXTRA_REGIME_BARS);
  let regimeAnchorLog = startLog;

  for (let index = 0; index < bars; index++) {
    if (regimeBarsLeft === 0) {
      // Move to one of the other regimes, so every switch changes the market's character.
      regime = (regime + 1 + random.integerBelow(SYNTH_REGIMES.length - 1)) % SYNTH_REGIMES.length;
      regimeBarsLeft = MIN_REGIME_BARS + random.integerBelow(EXTRA_REGIME_BARS);
      regimeAnchorLog = previousCloseLog;
    }
    regimeBarsLeft--;
    const shape = REGIME_SHAPES[regime];
    const sigma = barVolatility * shape.volatilityScale;

    let openLog = previousCloseLog;
    let openPrice = previousClose;
    if (index > 0 && random.uniform() < JUMP_PROBABILITY) {
      const jumpLog = random.normal() * JUMP_IN_SIGMAS * sigma;
      openLog += jumpLog;
      openPrice *= Math.exp(jumpLog);
    }

    const drift =
      shape.driftInSigmas * barVolatility -
      shape.meanReversion * (openLog - regimeAnchorLog) -
      bandPull(openLog - startLog);
    const closeLog = openLog + drift + sigma * random.normal();

    const closePrice = openPrice * Math.exp(closeLog - openLog);
    const bodyTop = Math.max(openPrice, closePrice);
    const bodyBottom = Math.min(openPrice, closePrice);
    // Exponential wick lengths: mostly short, now and then a long one.
    const upperWick = -Math.log(1 - random.uniform()) * 0.4 * sigma;
    const lowerWick = -Math.log(1 - random.uniform()) * 0.4 * sigma;

    time[index] = startTimeMs + index * timeframeMs;
    open[index] = openPrice;
    close[index] = closePrice;
    // exp(wick) >= 1 >= exp(-wick), so high and low always enclose the body.
    high[index] = bodyTop * Math.exp(upperWick);
    low[index] = bodyBottom * Math.exp(-lowerWick);
    volume[index] = BASE_VOLUME * shape.volatilityScale * (0.5 + random.uniform()) * (1 + Math.abs(closeLog - openLog) / sigma);
    regimes[index] = regime;
    previousCloseLog = closeLog;
    previousClose = closePrice;
  }

  const series: BarSeries = Object.freeze({ symbol, timeframeMs, length: bars, time, open, high, low, close, volume });
  return { series, regimes };
}

function bandPull(logDeviation: number): number {
  if (logDeviation > PRICE_BAND_LOG) return BAND_PULL * (logDeviation - PRICE_BAND_LOG);
  if (logDeviation < -PRICE_BAND_LOG) return BAND_PULL * (logDeviation + PRICE_BAND_LOG);
  return 0;
}

function checkOptions(bars: number, seed: number, timeframeMs: number, startPrice: number): void {
  if (!Number.isInteger(bars) || bars < 1) {
    throw new ConfigError(`bars must be a positive integer, got ${bars}`, "synth.bars");
  }
  if (!Number.isInteger(seed)) throw new ConfigError(`seed must be an integer, got ${seed}`, "synth.seed");
  if (!(timeframeMs > 0)) throw new ConfigError(`timeframeMs must be positive, got ${timeframeMs}`, "synth.timeframeMs");
  if (!(startPrice > 0) || !Number.isFinite(startPrice)) {
    throw new ConfigError(`startPrice must be a positive number, got ${startPrice}`, "synth.startPrice");
  }
}

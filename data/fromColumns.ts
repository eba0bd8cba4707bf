import { createHash } from "node:crypto";
import { DataError, type BarSeries, type FundingSeries, type MarketData, type SourceFingerprint } from "../engine/index.js";
import { describeBadBar, describeTimeOrderProblem, measureSpacing } from "./validateBars.js";

/**
 * Market data from columns already in memory (a notebook's arrays, a database query), checked
 * by the same rules as a CSV file (SPEC §2): strictly increasing times, positive prices,
 * high ≥ max(open, close), low ≤ min(open, close), volume ≥ 0. The fingerprint's sha256 is taken
 * over the columns' float64 bytes, so the same numbers give the same summary on any machine.
 */

export interface BarColumnsInput {
  readonly symbol: string;
  /** Open time of each bar, epoch ms. */
  readonly time: ArrayLike<number>;
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  /** Default: zeros. */
  readonly volume?: ArrayLike<number>;
}

export interface FundingColumnsInput {
  readonly symbol: string;
  /** Funding times, epoch ms, strictly increasing. */
  readonly time: ArrayLike<number>;
  /** Rate per funding interval as a fraction. */
  readonly rate: ArrayLike<number>;
}

export function marketDataFromColumns(bars: readonly BarColumnsInput[], funding: readonly FundingColumnsInput[] = []): MarketData {
  if (bars.length === 0) throw new DataError("no bar series given", "columns");
  const seen = new Set<string>();
  const series: BarSeries[] = [];
  const fingerprint: SourceFingerprint[] = [];
  for (const input of bars) {
    const where = `columns ${input.symbol}`;
    if (typeof input.symbol !== "string" || input.symbol === "") throw new DataError("a series needs a symbol", "columns");
    if (seen.has(input.symbol)) throw new DataError("the symbol is given twice", where);
    seen.add(input.symbol);
    const columns = [input.time, input.open, input.high, input.low, input.close, input.volume ?? new Float64Array(input.time.length)].map((column) => Float64Array.from(column));
    const [time, open, high, low, close, volume] = columns;
    const length = time.length;
    if (length < 2) throw new DataError("needs at least 2 bars (the timeframe is read from their spacing)", where);
    const names = ["open", "high", "low", "close", "volume"];
    columns.slice(1).forEach((column, k) => {
      if (column.length !== length) throw new DataError(`${names[k]} has ${column.length} values, time has ${length}`, where);
    });
    for (let i = 0; i < length; i++) {
      const bad = columns.findIndex((column) => !Number.isFinite(column[i]));
      if (bad >= 0) throw new DataError(`${["time", ...names][bad]} ${columns[bad][i]} is not a finite number`, `${where}[${i}]`);
      const problem = (i > 0 ? describeTimeOrderProblem(time[i], time[i - 1], `${where}[${i - 1}]`) : null)
        ?? describeBadBar(open[i], high[i], low[i], close[i], volume[i]);
      if (problem !== null) throw new DataError(problem, `${where}[${i}]`);
    }
    const spacing = measureSpacing(time, length);
    series.push(Object.freeze({ symbol: input.symbol, timeframeMs: spacing.timeframeMs, length, time, open, high, low, close, volume }));
    fingerprint.push(fingerprintOf(input.symbol, "bars", columns, spacing.gaps, spacing.missingBars));
  }
  const fundingBySymbol = new Map<string, FundingSeries>();
  for (const input of funding) {
    const where = `columns funding ${input.symbol}`;
    if (fundingBySymbol.has(input.symbol)) throw new DataError("the symbol is given twice", where);
    const time = Float64Array.from(input.time);
    const rate = Float64Array.from(input.rate);
    if (rate.length !== time.length) throw new DataError(`rate has ${rate.length} values, time has ${time.length}`, where);
    for (let i = 0; i < time.length; i++) {
      if (!Number.isFinite(time[i]) || !Number.isFinite(rate[i])) throw new DataError("time and rate must be finite numbers", `${where}[${i}]`);
      const problem = i > 0 ? describeTimeOrderProblem(time[i], time[i - 1], `${where}[${i - 1}]`) : null;
      if (problem !== null) throw new DataError(problem, `${where}[${i}]`);
    }
    fundingBySymbol.set(input.symbol, Object.freeze({ symbol: input.symbol, length: time.length, time, rate }));
    fingerprint.push(fingerprintOf(input.symbol, "funding", [time, rate], 0, 0));
  }
  return Object.freeze({ bars: Object.freeze(series), funding: fundingBySymbol, fingerprint: Object.freeze(fingerprint) });
}

function fingerprintOf(symbol: string, kind: "bars" | "funding", columns: readonly Float64Array[], gaps: number, missingBars: number): SourceFingerprint {
  const hash = createHash("sha256");
  for (const column of columns) hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  const time = columns[0];
  return Object.freeze({
    symbol, kind, files: Object.freeze([]), rows: time.length, firstTimeMs: time.length > 0 ? time[0] : null,
    lastTimeMs: time.length > 0 ? time[time.length - 1] : null, sha256: hash.digest("hex"), gaps, missingBars,
  });
}

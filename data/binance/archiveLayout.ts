/**
 * Where Binance publishes its public market-data archives (data.binance.vision) and where
 * `exitlab data binance` puts them. Binance's layout:
 *
 *   data/spot/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip            (+ .CHECKSUM)
 *   data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-06-03.zip
 *   data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip
 *   data/futures/um/monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip
 *   data/futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-01.zip
 *
 * Monthly archives appear a few days after a month ends; the current month exists only as
 * daily archives (up to yesterday). Funding rates are published monthly only.
 */

import { ConfigError } from "../../engine/errors.js";

export type BinanceMarket = "spot" | "um";
/** bars: klines at the main interval; detail: klines at the detail interval. */
export type ArchiveKind = "bars" | "detail" | "mark" | "funding";

export const BINANCE_INTERVALS = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d"] as const;
export const DEFAULT_BASE_URL = "https://data.binance.vision/";

/** A calendar month, UTC. */
export interface YearMonth {
  readonly year: number;
  readonly month: number;
}

/** One archive to fetch: its path under the base URL and where it goes under the output folder. */
export interface ArchiveRef {
  readonly symbol: string;
  readonly kind: ArchiveKind;
  /** Path under the base URL, e.g. `data/spot/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip`. */
  readonly remotePath: string;
  /** Path under the output folder, e.g. `BTCUSDT/BTCUSDT-1h-2024-01.zip`. */
  readonly localPath: string;
}

/** Parses `YYYY-MM`; `flag` names the option in the error. */
export function parseYearMonth(text: string, flag: string): YearMonth {
  const match = /^(\d{4})-(\d{2})$/.exec(text.trim());
  const month = match === null ? NaN : Number(match[2]);
  if (match === null || month < 1 || month > 12) {
    throw new ConfigError(`"${text}" is not a month in the form YYYY-MM`, flag, "e.g. 2024-01");
  }
  return { year: Number(match[1]), month };
}

export function monthsBetween(from: YearMonth, to: YearMonth): YearMonth[] {
  const months: YearMonth[] = [];
  for (let y = from.year, m = from.month; y < to.year || (y === to.year && m <= to.month); ) {
    months.push({ year: y, month: m });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return months;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");
export const formatYearMonth = (ym: YearMonth): string => `${ym.year}-${pad2(ym.month)}`;

/**
 * The dates an archive exists for in `month`: the month itself when it has ended before
 * `now`, else each day of it before `now`'s day (today's daily archive is not out yet).
 */
export function periodsOf(month: YearMonth, now: Date): string[] {
  const thisYear = now.getUTCFullYear();
  const thisMonth = now.getUTCMonth() + 1;
  if (month.year < thisYear || (month.year === thisYear && month.month < thisMonth)) return [formatYearMonth(month)];
  if (month.year > thisYear || month.month > thisMonth) {
    throw new ConfigError(`${formatYearMonth(month)} has not begun yet`, "--to", "give a month up to the current one");
  }
  const days: string[] = [];
  for (let day = 1; day < now.getUTCDate(); day++) days.push(`${formatYearMonth(month)}-${pad2(day)}`);
  return days;
}

/** The archives of one kind for one symbol over the given months, oldest first. */
export function archivesFor(
  market: BinanceMarket, symbol: string, kind: ArchiveKind, interval: string, months: readonly YearMonth[], now: Date,
): ArchiveRef[] {
  const root = market === "spot" ? "data/spot" : "data/futures/um";
  const refs: ArchiveRef[] = [];
  for (const month of months) {
    // Funding has no daily archives: the current month's rates are not published yet.
    const periods = kind === "funding" ? periodsOf(month, now).filter((p) => p.length === 7) : periodsOf(month, now);
    for (const period of periods) {
      const cadence = period.length === 7 ? "monthly" : "daily";
      if (kind === "funding") {
        const name = `${symbol}-fundingRate-${period}.zip`;
        refs.push({ symbol, kind, remotePath: `${root}/${cadence}/fundingRate/${symbol}/${name}`, localPath: `funding/${name}` });
        continue;
      }
      const dataset = kind === "mark" ? "markPriceKlines" : "klines";
      const name = `${symbol}-${interval}-${period}.zip`;
      const folder = kind === "bars" ? symbol : `${kind}/${symbol}`;
      refs.push({ symbol, kind, remotePath: `${root}/${cadence}/${dataset}/${symbol}/${interval}/${name}`, localPath: `${folder}/${name}` });
    }
  }
  return refs;
}

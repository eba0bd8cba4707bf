/**
 * `exitlab data binance` as a library call: fetch Binance's public archives for some symbols
 * and months, verify each against its `.CHECKSUM`, and lay them out as a data folder exitlab
 * reads directly (SPEC §2):
 *
 *   out/BTCUSDT/BTCUSDT-1h-2024-01.zip …     main bars, one ZIP per month (read in name order)
 *   out/detail/BTCUSDT/BTCUSDT-1m-2024-01.zip …   --detail: intrabar detail bars
 *   out/mark/BTCUSDT/BTCUSDT-1h-2024-01.zip …     --mark: mark-price klines (not yet read by the engine)
 *   out/funding/BTCUSDT-fundingRate-2024-01.zip …  --funding: funding rates (joined per symbol on load)
 *
 * Each ZIP sits beside its `.CHECKSUM`. Nothing is printed: progress goes to a callback.
 */

import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, OutputError } from "../../engine/errors.js";
import {
  archivesFor,
  BINANCE_INTERVALS,
  DEFAULT_BASE_URL,
  monthsBetween,
  parseYearMonth,
  type ArchiveKind,
  type ArchiveRef,
  type BinanceMarket,
} from "./archiveLayout.js";
import { fetchVerifiedArchive, type FetchOutcome } from "./fetchArchive.js";
import { DEFAULT_HTTP_OPTIONS, type HttpOptions } from "./httpClient.js";

export interface BinanceDownloadRequest {
  readonly market: BinanceMarket;
  readonly symbols: readonly string[];
  readonly interval: string;
  /** First month, `YYYY-MM`. */
  readonly from: string;
  /** Last month, `YYYY-MM`, inclusive. */
  readonly to: string;
  readonly funding?: boolean;
  readonly mark?: boolean;
  /** Interval of detail bars, e.g. `1m`; absent: none. */
  readonly detail?: string | null;
  readonly out: string;
  readonly baseUrl?: string;
  /** The clock that decides which months are complete; injected by tests. */
  readonly now?: Date;
  /** Archives fetched at the same time (default 4). */
  readonly parallel?: number;
  /** Retries and stall timeout (httpClient.ts); defaults: 2 retries, 60 s. */
  readonly http?: Partial<HttpOptions>;
}

const DEFAULT_PARALLEL = 4;

export interface DownloadProgress {
  /** Archives finished (downloaded or kept) so far, of `total`. Several may be in flight at once. */
  readonly done: number;
  readonly total: number;
  /** An archive being fetched, or just finished. */
  readonly url: string;
  readonly bytes: number;
}

export interface BinanceDownloadResult {
  readonly archives: number;
  readonly downloaded: number;
  /** Archives already present and verified, not fetched again. */
  readonly kept: number;
  /** What was asked for but cannot be had yet (the current month's funding). */
  readonly warnings: readonly string[];
}

export async function downloadBinance(
  request: BinanceDownloadRequest,
  onProgress: (progress: DownloadProgress) => void = () => {},
): Promise<BinanceDownloadResult> {
  const refs = planArchives(request);
  const baseUrl = normaliseBaseUrl(request.baseUrl ?? DEFAULT_BASE_URL);
  const http: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, ...request.http };
  const parallel = request.parallel ?? DEFAULT_PARALLEL;
  const counts: Record<FetchOutcome, number> = { downloaded: 0, kept: 0 };
  const failures: { index: number; error: unknown }[] = [];
  let next = 0;
  let done = 0;
  // A few archives at a time; after a failure no new one starts, and the failure of the
  // earliest archive in plan order is reported, so the message does not depend on timing.
  const worker = async (): Promise<void> => {
    while (next < refs.length && failures.length === 0) {
      const index = next++;
      const url = baseUrl + refs[index].remotePath;
      onProgress({ done, total: refs.length, url, bytes: 0 });
      try {
        counts[await fetchVerifiedArchive(url, join(request.out, refs[index].localPath), http, (bytes) =>
          onProgress({ done, total: refs.length, url, bytes }))]++;
      } catch (error) {
        failures.push({ index, error });
        return;
      }
      onProgress({ done: ++done, total: refs.length, url, bytes: 0 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, refs.length) }, worker));
  if (failures.length > 0) throw failures.reduce((a, b) => (b.index < a.index ? b : a)).error;
  await removeSupersededDailies(request.out, refs);
  return { archives: refs.length, ...counts, warnings: planWarnings(request, refs) };
}

/**
 * A month fetched as daily archives while it was current, and later as its monthly archive:
 * the dailies would repeat the month's bars, so they go once the monthly one is in place.
 */
async function removeSupersededDailies(out: string, refs: readonly ArchiveRef[]): Promise<void> {
  for (const ref of refs) {
    const monthly = /^(.*\/)?([^/]+-\d{4}-\d{2})\.zip$/.exec(ref.localPath);
    if (monthly === null) continue;
    const folder = join(out, monthly[1] ?? "");
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    const daily = new RegExp(`^${escapeRegExp(monthly[2])}-\\d{2}\\.zip(\\.CHECKSUM)?$`);
    for (const name of names) {
      if (!daily.test(name)) continue;
      try {
        await rm(join(folder, name), { force: true });
      } catch (error) {
        throw new OutputError(`cannot remove a daily archive the monthly one replaces (${(error as NodeJS.ErrnoException).code ?? "error"})`, join(folder, name));
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every archive the request needs, checked before anything is fetched. */
export function planArchives(request: BinanceDownloadRequest): ArchiveRef[] {
  if (request.market !== "spot" && request.market !== "um") {
    throw new ConfigError(`"${String(request.market)}" is not a market exitlab downloads`, "--market", "spot or um (USD-M futures)");
  }
  checkInterval(request.interval, "--interval");
  if (request.detail != null) checkInterval(request.detail, "--detail");
  if (request.market === "spot" && request.funding === true) throw new ConfigError("spot has no funding rates", "--funding", "use --market um");
  if (request.market === "spot" && request.mark === true) throw new ConfigError("spot has no mark price", "--mark", "use --market um");
  const retries = request.http?.retries;
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= 10)) {
    throw new ConfigError("must be a whole number from 0 to 10", "--retries");
  }
  if (request.parallel !== undefined && !(Number.isInteger(request.parallel) && request.parallel >= 1 && request.parallel <= 16)) {
    throw new ConfigError("must be a whole number from 1 to 16", "--parallel");
  }
  if (request.symbols.length === 0) throw new ConfigError("name at least one symbol", "--symbols");
  const badSymbol = request.symbols.find((symbol) => !/^[A-Z0-9]{2,30}$/.test(symbol));
  if (badSymbol !== undefined) throw new ConfigError(`"${badSymbol}" is not a Binance symbol (upper-case letters and digits, e.g. BTCUSDT)`, "--symbols");
  const from = parseYearMonth(request.from, "--from");
  const to = parseYearMonth(request.to, "--to");
  const months = monthsBetween(from, to);
  if (months.length === 0) throw new ConfigError(`--from ${request.from} is after --to ${request.to}`, "--from");

  const now = request.now ?? new Date();
  const kinds: [ArchiveKind, string][] = [["bars", request.interval]];
  if (request.detail != null) kinds.push(["detail", request.detail]);
  if (request.mark === true) kinds.push(["mark", request.interval]);
  if (request.funding === true) kinds.push(["funding", ""]);
  const refs: ArchiveRef[] = [];
  for (const symbol of request.symbols) {
    for (const [kind, interval] of kinds) refs.push(...archivesFor(request.market, symbol, kind, interval, months, now));
  }
  if (!refs.some((ref) => ref.kind === "bars")) {
    throw new ConfigError(`no complete day in ${request.from}..${request.to} yet`, "--to", "Binance publishes a day's archive the next day");
  }
  return refs;
}

/** Funding is published monthly: a range reaching into the current month has none for it yet. */
function planWarnings(request: BinanceDownloadRequest, refs: readonly ArchiveRef[]): string[] {
  if (request.funding !== true) return [];
  const daily = refs.find((ref) => ref.kind === "bars" && /-\d{4}-\d{2}-\d{2}\.zip$/.test(ref.remotePath));
  if (daily === undefined) return [];
  const month = /(\d{4}-\d{2})-\d{2}\.zip$/.exec(daily.remotePath)![1];
  return [`no funding rates for ${month} yet: Binance publishes them after the month ends, so a backtest counts its funding times as uncovered`];
}

function checkInterval(interval: string, flag: string): void {
  if ((BINANCE_INTERVALS as readonly string[]).includes(interval)) return;
  throw new ConfigError(`"${interval}" is not a Binance kline interval`, flag, `one of ${BINANCE_INTERVALS.join(", ")}`);
}

function normaliseBaseUrl(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ConfigError(`"${baseUrl}" is not a URL`, "--base-url", "e.g. https://data.binance.vision/");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new ConfigError("must be an http(s) URL", "--base-url");
  return parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
}

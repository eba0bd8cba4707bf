/**
 * summary.json (SPEC §7): the run's metrics, resolved configuration, data fingerprint,
 * engine version and counters, as one plain object with a fixed key order.
 *
 * Determinism (STYLE §9): nothing here reads the clock or the environment, and every object
 * is built key by key rather than copied, so the same run gives a byte-identical file even
 * if an upstream object gained keys in a different order. `config` is the exception: it is
 * written as given (the resolved, schema-ordered configuration).
 */
import type { AccountTotals, BracketRefusalReason, RefusalReason, RunCounters, RunResult, SourceFingerprint } from "../engine/types.js";
import type { RunStats } from "./stats.js";
import { engineWarnings, type RunWarning } from "../strategies/warnings/runWarning.js";

/** `engine.name` of every summary; how an output folder is recognised as an exitlab run. */
export const ENGINE_NAME = "exitlab";

export interface SummaryInput {
  readonly engineVersion: string;
  readonly config: unknown;
  readonly fingerprint: readonly SourceFingerprint[];
  readonly result: RunResult;
  readonly stats: RunStats;
  /** Everything the run ignored or changed (README: what exitlab warns about); default: the engine's own. */
  readonly warnings?: readonly RunWarning[];
}

/** The funding counters, grouped under one key in summary.json. */
type FundingCounterKey = "fundingTimesPaid" | "fundingTimesFromData" | "fundingTimesFromConstant" | "fundingTimesUncovered";

/**
 * The run's counters as summary.json shows them: the engine's `RunCounters` (bars and
 * timestamps move to `data`, the funding counts are grouped) plus the positions open at the end.
 */
export interface SummaryCounters extends Omit<RunCounters, "bars" | "timestamps" | FundingCounterKey> {
  /** Positions still open after the last bar (closed with reason END; see positions.json). */
  readonly positionsOpenAtEnd: number;
  readonly funding: {
    /** Funding times at which a payment was made (a position was open). */
    readonly timesPaid: number;
    /** Funding times within the data's span whose rate came from a funding file. */
    readonly timesFromData: number;
    /** Funding times within the data's span whose rate was the configured constant. */
    readonly timesFromConstant: number;
    /** Funding times (00/08/16 UTC grid) within the data's span with no rate at all (perp only). */
    readonly timesUncovered: number;
  };
}

export interface RunSummary {
  readonly engine: { readonly name: typeof ENGINE_NAME; readonly version: string };
  readonly config: unknown;
  readonly data: {
    /** Bar length of the main data, ms. */
    readonly timeframeMs: number;
    /** Bars replayed, all symbols together. */
    readonly bars: number;
    /** Merged timestamps, i.e. equity rows. */
    readonly timestamps: number;
    readonly fingerprint: readonly SourceFingerprint[];
  };
  readonly account: AccountTotals;
  readonly metrics: RunStats;
  readonly counters: SummaryCounters;
  /** One entry per kind of input ignored or changed, with how many rows/signals/entries it concerns. */
  readonly warnings: readonly RunWarning[];
}

const REFUSAL_REASONS: readonly RefusalReason[] = ["INSUFFICIENT_MARGIN", "MIN_NOTIONAL", "ZERO_QUANTITY"];
const BRACKET_REFUSAL_REASONS: readonly BracketRefusalReason[] = ["LEVERAGE_ABOVE_BRACKET", "NOTIONAL_ABOVE_BRACKETS"];

function copyFingerprint(source: SourceFingerprint): SourceFingerprint {
  return {
    symbol: source.symbol,
    kind: source.kind,
    files: [...source.files],
    rows: source.rows,
    firstTimeMs: source.firstTimeMs,
    lastTimeMs: source.lastTimeMs,
    sha256: source.sha256,
    gaps: source.gaps,
    missingBars: source.missingBars,
  };
}

function copyAccount(account: AccountTotals): AccountTotals {
  return {
    initialBalance: account.initialBalance,
    finalBalance: account.finalBalance,
    finalEquity: account.finalEquity,
    realizedPnlUsd: account.realizedPnlUsd,
    feesUsd: account.feesUsd,
    fundingUsd: account.fundingUsd,
    reconciliationError: account.reconciliationError,
  };
}

/** A copy of a count record with its keys sorted, so the order does not depend on which gate fired first. */
function sortedCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  const sorted: Record<string, number> = {};
  for (const key of Object.keys(counts).sort()) sorted[key] = counts[key];
  return sorted;
}

function buildCounters(result: RunResult): SummaryCounters {
  const c = result.counters;
  const refusedOrders = {} as Record<RefusalReason, number> & Partial<Record<BracketRefusalReason, number>>;
  for (const reason of REFUSAL_REASONS) refusedOrders[reason] = c.refusedOrders[reason] ?? 0;
  // Runs with leverage brackets also list the bracket refusals (others keep their summary unchanged).
  for (const reason of BRACKET_REFUSAL_REASONS) if (c.refusedOrders[reason] !== undefined) refusedOrders[reason] = c.refusedOrders[reason];
  return {
    signals: c.signals,
    intents: c.intents,
    gateDrops: sortedCounts(c.gateDrops),
    refusedOrders,
    pathDependentFills: c.pathDependentFills,
    pathDependentTrades: c.pathDependentTrades,
    gapFills: c.gapFills,
    detailFallbacks: c.detailFallbacks,
    detailBarsUsed: c.detailBarsUsed,
    liquidations: c.liquidations,
    slBeyondLiquidation: c.slBeyondLiquidation,
    leverageCappedToStop: c.leverageCappedToStop,
    positionsOpenAtEnd: result.openAtEnd.length,
    funding: {
      timesPaid: c.fundingTimesPaid,
      timesFromData: c.fundingTimesFromData,
      timesFromConstant: c.fundingTimesFromConstant,
      timesUncovered: c.fundingTimesUncovered,
    },
    // Only runs that use orders or a non-default execution option carry these.
    ...(c.orders === undefined ? {} : { orders: { ...c.orders } }),
    ...(c.execution === undefined ? {} : { execution: { ...c.execution } }),
    ...(c.liquidation === undefined ? {} : { liquidation: { ...c.liquidation } }),
  };
}

/** Assembles summary.json's content. Pure; holds no wall-clock time. */
export function buildSummary(input: SummaryInput): RunSummary {
  const { result } = input;
  return {
    engine: { name: ENGINE_NAME, version: input.engineVersion },
    config: input.config,
    data: {
      timeframeMs: result.timeframeMs,
      bars: result.counters.bars,
      timestamps: result.counters.timestamps,
      fingerprint: input.fingerprint.map(copyFingerprint),
    },
    account: copyAccount(result.account),
    metrics: input.stats,
    counters: buildCounters(result),
    warnings: (input.warnings ?? engineWarnings(result.warnings)).map((w) => ({ code: w.code, count: w.count, message: w.message })),
  };
}

/**
 * JSON text for files: 2-space indent, object keys in insertion order (except that
 * JavaScript always lists integer-like keys such as "42" first, ascending), a final `\n`.
 * Non-finite numbers become `null` (as `JSON.stringify` does too) and typed arrays become
 * arrays; a Map or Set throws rather than being written silently as `{}`.
 */
export function stableStringify(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item === "number") return Number.isFinite(item) ? item : null;
      if (ArrayBuffer.isView(item) && !(item instanceof DataView)) return Array.from(item as unknown as ArrayLike<number>);
      if (item instanceof Map || item instanceof Set) {
        throw new TypeError(`stableStringify: convert the ${item.constructor.name} at "${_key}" to a plain object or array first`);
      }
      return item;
    },
    2,
  );
  if (text === undefined) throw new TypeError("stableStringify: the value has no JSON form");
  return text + "\n";
}

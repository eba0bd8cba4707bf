/**
 * The `tiers` workflow (SPEC §8): metrics per confidence tier and a calibration view — do
 * high-confidence signals really earn more? Pure: trades and fills in, plain data out.
 *
 * Definitions (each a share of the tier's trades; "reason" means a closing fill's reason or the
 * trade's final `exitReason`, so a trade counts even when its fills are not given):
 * - TP hit: any `TP1` … `TPn`.
 * - SL hit: any `SL` or `BREAKEVEN` — a stop that fired, the original one or the one moved to
 *   entry after TP1 (both are the stop order of SPEC §5; breakeven is also shown on its own).
 *   A liquidation is not an SL hit.
 * - Trail hit: any `TRAIL`.
 * A trade that took TP1 and then stopped out counts in both TP and SL, so the shares need not
 * add up to 1. Wins are trades with net PnL > 0, as in `computeStats`.
 */
import type { Fill, Trade } from "../../engine/types.js";
import { ConfigError } from "../../engine/errors.js";
import { confidenceTier, DEFAULT_CONFIDENCE_TIERS, type ConfidenceTierBound } from "../confidenceTier.js";
import { assessCalibration, DEFAULT_MIN_TRADES_PER_TIER, type Calibration } from "./calibration.js";


/** SPEC §4.2: VERY_HIGH ≥ 0.85, HIGH 0.70–0.85, MEDIUM 0.55–0.70, LOW 0.45–0.55, VERY_LOW < 0.45. */
export const DEFAULT_TIER_BUCKETS: readonly ConfidenceTierBound[] = DEFAULT_CONFIDENCE_TIERS;
/** Trades whose confidence is missing or not finite. */
export const NO_CONFIDENCE_TIER = "NONE";
/** Trades with a finite confidence below the lowest bucket (only with custom buckets). */
export const BELOW_BUCKETS_TIER = "BELOW_LOWEST";
/** The row over all trades. */
export const ALL_TIERS = "ALL";

export interface TierTableOptions {
  /** Fewest trades for a tier to count in the calibration view; default 10. */
  readonly minTrades?: number;
}

export interface TierRow {
  readonly tier: string;
  /** Inclusive lower bound; null for NONE and ALL (−Infinity for an open-ended lowest bucket). */
  readonly minConfidence: number | null;
  /** Exclusive upper bound; null for the highest bucket, NONE and ALL. */
  readonly maxConfidence: number | null;
  readonly trades: number;
  readonly winningTrades: number;
  /** Fractions below are of `trades`; null when the tier has none. */
  readonly winRatePct: number | null;
  readonly expectancyUsd: number | null;
  /** Mean return on margin per trade. */
  readonly expectancyReturnOnMarginPct: number | null;
  readonly tradesWithR: number;
  readonly averageR: number | null;
  readonly tpHitPct: number | null;
  readonly slHitPct: number | null;
  readonly breakevenHitPct: number | null;
  readonly trailHitPct: number | null;
  /** Mean of the finite confidences in the tier. */
  readonly meanConfidence: number | null;
  /** Whether the calibration view judged this tier (enough trades, a bucket tier). */
  readonly inCalibration: boolean;
}

export interface TierTable {
  /** Buckets from the highest down (every bucket, even empty), then NONE / BELOW_LOWEST if they hold trades. */
  readonly rows: readonly TierRow[];
  readonly total: TierRow;
  readonly calibration: Calibration;
}

function validateBuckets(buckets: readonly ConfidenceTierBound[]): void {
  const where = "tiers.buckets";
  if (buckets.length === 0) throw new ConfigError("at least one confidence bucket is needed", where);
  const labels = new Set<string>();
  buckets.forEach((bucket, index) => {
    if (Number.isNaN(bucket.minConfidence)) throw new ConfigError(`bucket ${bucket.label} has no lower bound`, where);
    if (index > 0 && !(bucket.minConfidence < buckets[index - 1].minConfidence)) {
      throw new ConfigError(`buckets must be ordered from the highest bound down; ${bucket.label} is not below ${buckets[index - 1].label}`, where);
    }
    if (labels.has(bucket.label) || [NO_CONFIDENCE_TIER, BELOW_BUCKETS_TIER, ALL_TIERS].includes(bucket.label)) {
      throw new ConfigError(`bucket label ${bucket.label} is repeated or reserved`, where, "labels must be unique and not NONE, BELOW_LOWEST or ALL");
    }
    labels.add(bucket.label);
  });
}

/** Reasons of each trade: its closing fills' reasons plus its final exit reason. */
function reasonsByTrade(trades: readonly Trade[], fills: readonly Fill[]): Map<number, Set<string>> {
  const reasons = new Map<number, Set<string>>(trades.map((trade) => [trade.id, new Set([trade.exitReason])]));
  for (const fill of fills) if (fill.reason !== "ENTRY") reasons.get(fill.tradeId)?.add(fill.reason);
  return reasons;
}

const TAKE_PROFIT = /^TP\d+$/;

function meanOrNull(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function tierRowOf(
  tier: string,
  bounds: { min: number | null; max: number | null },
  trades: readonly Trade[],
  reasons: Map<number, Set<string>>,
): TierRow {
  const n = trades.length;
  const share = (count: number): number | null => (n === 0 ? null : count / n);
  const hits = (test: (reason: string) => boolean): number =>
    trades.filter((trade) => [...(reasons.get(trade.id) ?? [])].some(test)).length;
  const winningTrades = trades.filter((trade) => trade.netPnlUsd > 0).length;
  const rMultiples = trades.flatMap((t) => (t.rMultiple !== null && Number.isFinite(t.rMultiple) ? [t.rMultiple] : []));
  return {
    tier,
    minConfidence: bounds.min,
    maxConfidence: bounds.max,
    trades: n,
    winningTrades,
    winRatePct: share(winningTrades),
    expectancyUsd: meanOrNull(trades.map((t) => t.netPnlUsd)),
    expectancyReturnOnMarginPct: meanOrNull(trades.map((t) => t.returnOnMargin)),
    tradesWithR: rMultiples.length,
    averageR: meanOrNull(rMultiples),
    tpHitPct: share(hits((reason) => TAKE_PROFIT.test(reason))),
    slHitPct: share(hits((reason) => reason === "SL" || reason === "BREAKEVEN")),
    breakevenHitPct: share(hits((reason) => reason === "BREAKEVEN")),
    trailHitPct: share(hits((reason) => reason === "TRAIL")),
    meanConfidence: meanOrNull(trades.flatMap((t) => (Number.isFinite(t.confidence) ? [t.confidence] : []))),
    inCalibration: false,
  };
}

/**
 * The tier table. `buckets` are ordered from the highest lower bound down (as
 * `DEFAULT_CONFIDENCE_TIERS`); `fills` may be empty (hit shares then use final reasons only).
 */
export function computeTierTable(
  trades: readonly Trade[],
  fills: readonly Fill[],
  buckets: readonly ConfidenceTierBound[] = DEFAULT_TIER_BUCKETS,
  options: TierTableOptions = {},
): TierTable {
  validateBuckets(buckets);
  const minTrades = options.minTrades ?? DEFAULT_MIN_TRADES_PER_TIER;
  if (!Number.isSafeInteger(minTrades) || minTrades < 1) {
    throw new ConfigError(`minTrades must be a positive integer, got ${minTrades}`, "tiers.minTrades");
  }
  const reasons = reasonsByTrade(trades, fills);
  const byTier = new Map<string, Trade[]>();
  for (const trade of trades) {
    const label = Number.isFinite(trade.confidence) ? confidenceTier(trade.confidence, buckets) ?? BELOW_BUCKETS_TIER : NO_CONFIDENCE_TIER;
    const group = byTier.get(label);
    if (group === undefined) byTier.set(label, [trade]);
    else group.push(trade);
  }
  const bucketRows = buckets.map((bucket, index) =>
    tierRowOf(bucket.label, { min: bucket.minConfidence, max: index === 0 ? null : buckets[index - 1].minConfidence }, byTier.get(bucket.label) ?? [], reasons),
  );
  const calibration = assessCalibration([...bucketRows].reverse(), minTrades);
  const judged = new Set(calibration.tiersJudged);
  const extraRows = [BELOW_BUCKETS_TIER, NO_CONFIDENCE_TIER]
    .filter((label) => byTier.has(label))
    .map((label) => tierRowOf(label, { min: null, max: label === BELOW_BUCKETS_TIER ? buckets[buckets.length - 1].minConfidence : null }, byTier.get(label)!, reasons));
  return {
    rows: [...bucketRows.map((row) => ({ ...row, inCalibration: judged.has(row.tier) })), ...extraRows],
    total: tierRowOf(ALL_TIERS, { min: null, max: null }, trades, reasons),
    calibration,
  };
}

/**
 * The `compare` workflow (SPEC §8): the same data and entries under several exit plans. Which
 * plan wins, by how much, and is the difference real? Pure: runs in, plain data out.
 *
 * - The first plan listed is the baseline; every other plan is compared with it on the trades
 *   both runs took (`pairTrades`): per pair `plan − baseline` of return on margin and of net
 *   PnL, their mean, a seeded percentile bootstrap interval of the mean (`bootstrap.ts`) and a
 *   verdict. Positive differences favour the plan.
 * - A plan may be given several times under different intrabar modes (SPEC §6.2). The run with
 *   mode `default` (or no mode) — else the first one listed — is the plan's main run; all of
 *   its runs together give the path-sensitivity interval.
 */
import type { Fill, IntrabarMode, Trade } from "../../engine/types.js";
import { ConfigError } from "../../engine/errors.js";
import { compareReasons } from "../reasons.js";
import type { RunStats } from "../stats.js";
import { bootstrapMeanIntervals, validateBootstrapOptions, type BootstrapInterval, type BootstrapOptions } from "./bootstrap.js";
import { pairTrades } from "./pairTrades.js";
import type { NumericStatField } from "./statFields.js";

export { pairTrades, type TradePair, type TradePairing } from "./pairTrades.js";

export interface ComparePlanRun {
  /** Plan name as shown in the tables (`static`, `ai`, `lsf` …). */
  readonly name: string;
  readonly trades: readonly Trade[];
  readonly stats: RunStats;
  /** Intrabar mode of this run; absent means `default`. */
  readonly intrabar?: IntrabarMode;
  /** All fills of the run; with them the exit-reason mix is by closing quantity of every leg. */
  readonly fills?: readonly Fill[];
}

export interface CompareOptions extends BootstrapOptions {
  /** Fewest matched pairs for a verdict; below it the verdict is "too few pairs". Default 10. */
  readonly minPairs?: number;
  /** Rows of the side-by-side table; default DEFAULT_COMPARE_METRICS. */
  readonly metrics?: readonly CompareMetric[];
}

export type MetricUnit = "percent" | "ratio" | "usd" | "count" | "bars";

export interface CompareMetric {
  readonly field: NumericStatField;
  readonly label: string;
  /** How to display it: `percent` for fractions (0.1 → 10 %). */
  readonly unit: MetricUnit;
}

export const DEFAULT_MIN_PAIRS = 10;

export const DEFAULT_COMPARE_METRICS: readonly CompareMetric[] = [
  { field: "totalReturnPct", label: "Total return", unit: "percent" },
  { field: "annualizedReturnPct", label: "Annualised return", unit: "percent" },
  { field: "maxDrawdownPct", label: "Max drawdown", unit: "percent" },
  { field: "sharpeRatio", label: "Sharpe", unit: "ratio" },
  { field: "sortinoRatio", label: "Sortino", unit: "ratio" },
  { field: "calmarRatio", label: "Calmar", unit: "ratio" },
  { field: "tradeCount", label: "Trades", unit: "count" },
  { field: "winRatePct", label: "Win rate", unit: "percent" },
  { field: "profitFactor", label: "Profit factor", unit: "ratio" },
  { field: "expectancyUsd", label: "Expectancy (USD)", unit: "usd" },
  { field: "expectancyReturnOnMarginPct", label: "Expectancy (return on margin)", unit: "percent" },
  { field: "averageR", label: "Average R", unit: "ratio" },
  { field: "sqn", label: "SQN", unit: "ratio" },
  { field: "averageHoldingBars", label: "Average bars held", unit: "bars" },
  { field: "feesPaidUsd", label: "Fees paid (USD)", unit: "usd" },
  { field: "fundingNetUsd", label: "Funding, net (USD)", unit: "usd" },
  { field: "liquidationCount", label: "Liquidations", unit: "count" },
];

/** "better": the whole interval is above 0; "worse": below 0; "too few pairs": fewer than minPairs. */
export type CompareVerdict = "better" | "worse" | "no clear difference" | "too few pairs";

export interface DifferenceSummary {
  /** Mean of `plan − baseline` over the matched pairs; null without pairs. */
  readonly meanDifference: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Share of bootstrap resamples whose mean difference is above 0. */
  readonly shareAboveZero: number | null;
  readonly verdict: CompareVerdict;
}

export interface PlanDifference {
  readonly plan: string;
  readonly baseline: string;
  readonly matchedPairs: number;
  /** Baseline trades whose entry the plan did not take. */
  readonly unmatchedBaseline: number;
  /** Plan trades whose entry the baseline did not take. */
  readonly unmatchedPlan: number;
  /** Per-pair difference of return on margin (fractions). */
  readonly returnOnMargin: DifferenceSummary;
  /** Per-pair difference of net PnL, USD. */
  readonly netPnlUsd: DifferenceSummary;
}

export interface CompareMetricRow extends CompareMetric {
  /** One value per plan, in `plans` order. */
  readonly values: readonly (number | null)[];
}

export interface ExitReasonMix {
  readonly plan: string;
  /** `fills`: every closing leg by its reason; `finalReason`: each trade's quantity by its final reason (no fills given). */
  readonly basis: "fills" | "finalReason";
  readonly closedQuantity: number;
  /** Share of closed quantity per reason (keys in canonical reason order); sums to 1 when anything closed. */
  readonly shares: Readonly<Record<string, number>>;
}

export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

export interface PathSensitivity {
  readonly plan: string;
  /** Modes of the runs taken into account, in the order given. */
  readonly modes: readonly IntrabarMode[];
  readonly totalReturnPct: ValueRange | null;
  /** Range of the mean per-trade return on margin (`expectancyReturnOnMarginPct`). */
  readonly meanReturnOnMarginPct: ValueRange | null;
}

export interface CompareResult {
  /** Plan names in order; `plans[0]` is the baseline. */
  readonly plans: readonly string[];
  readonly baseline: string;
  readonly settings: { readonly seed: number; readonly resamples: number; readonly confidence: number; readonly minPairs: number };
  readonly metrics: readonly CompareMetricRow[];
  /** One per plan after the baseline. */
  readonly differences: readonly PlanDifference[];
  /** Every reason that occurs in any plan, canonical order. */
  readonly exitReasons: readonly string[];
  readonly exitReasonMix: readonly ExitReasonMix[];
  /** Plans run under two or more intrabar modes; empty when every plan ran once. */
  readonly pathSensitivity: readonly PathSensitivity[];
  /** Things the reader must know, e.g. main runs under different intrabar modes (then the paired differences mix two effects). */
  readonly warnings: readonly string[];
}

interface PlanRuns {
  readonly name: string;
  readonly main: ComparePlanRun;
  readonly all: readonly ComparePlanRun[];
}

function groupRuns(runs: readonly ComparePlanRun[]): PlanRuns[] {
  if (runs.length === 0) throw new ConfigError("compare needs at least one run", "compare.plans");
  const byName = new Map<string, ComparePlanRun[]>();
  for (const run of runs) {
    const group = byName.get(run.name) ?? [];
    const mode = run.intrabar ?? "default";
    if (group.some((seen) => (seen.intrabar ?? "default") === mode)) {
      throw new ConfigError(`plan "${run.name}" is given twice with intrabar mode ${mode}`, "compare.plans", "give each plan a distinct name");
    }
    group.push(run);
    byName.set(run.name, group);
  }
  return [...byName].map(([name, all]) => ({
    name,
    all,
    main: all.find((run) => (run.intrabar ?? "default") === "default") ?? all[0],
  }));
}

function summarize(interval: BootstrapInterval | null, minPairs: number): DifferenceSummary {
  if (interval === null) {
    return { meanDifference: null, lower: null, upper: null, shareAboveZero: null, verdict: "too few pairs" };
  }
  const verdict: CompareVerdict =
    interval.sampleSize < minPairs ? "too few pairs"
    : interval.lower > 0 ? "better"
    : interval.upper < 0 ? "worse"
    : "no clear difference";
  return { meanDifference: interval.mean, lower: interval.lower, upper: interval.upper, shareAboveZero: interval.shareAboveZero, verdict };
}

/** `plan − baseline` on the trades both took, with bootstrap intervals (both measures from the same resamples). */
export function differenceOf(
  baseline: ComparePlanRun,
  plan: ComparePlanRun,
  options: BootstrapOptions & { readonly minPairs?: number },
): PlanDifference {
  const minPairs = options.minPairs ?? DEFAULT_MIN_PAIRS;
  const { pairs, unmatchedBase, unmatchedOther } = pairTrades(baseline.trades, plan.trades);
  const [returnOnMargin, netPnlUsd] = bootstrapMeanIntervals(
    [pairs.map((p) => p.other.returnOnMargin - p.base.returnOnMargin), pairs.map((p) => p.other.netPnlUsd - p.base.netPnlUsd)],
    options,
  );
  return {
    plan: plan.name,
    baseline: baseline.name,
    matchedPairs: pairs.length,
    unmatchedBaseline: unmatchedBase.length,
    unmatchedPlan: unmatchedOther.length,
    returnOnMargin: summarize(returnOnMargin, minPairs),
    netPnlUsd: summarize(netPnlUsd, minPairs),
  };
}

/** Share of closed quantity per reason. */
export function exitReasonMixOf(run: ComparePlanRun): ExitReasonMix {
  const quantities = new Map<string, number>();
  const add = (reason: string, quantity: number): void => {
    quantities.set(reason, (quantities.get(reason) ?? 0) + quantity);
  };
  if (run.fills === undefined) for (const trade of run.trades) add(trade.exitReason, trade.quantity);
  else for (const fill of run.fills) if (fill.reason !== "ENTRY") add(fill.reason, fill.quantity);
  let closedQuantity = 0;
  for (const quantity of quantities.values()) closedQuantity += quantity;
  const shares: Record<string, number> = {};
  for (const reason of [...quantities.keys()].sort(compareReasons)) {
    shares[reason] = closedQuantity > 0 ? quantities.get(reason)! / closedQuantity : 0;
  }
  return { plan: run.name, basis: run.fills === undefined ? "finalReason" : "fills", closedQuantity, shares };
}

function rangeOf(values: readonly (number | null)[]): ValueRange | null {
  const finite = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return finite.length === 0 ? null : { min: Math.min(...finite), max: Math.max(...finite) };
}

/** Compares every plan with the first. */
export function compareExitPlans(runs: readonly ComparePlanRun[], options: CompareOptions): CompareResult {
  const bootstrap = validateBootstrapOptions(options);
  const minPairs = options.minPairs ?? DEFAULT_MIN_PAIRS;
  if (!Number.isSafeInteger(minPairs) || minPairs < 1) {
    throw new ConfigError(`minPairs must be a positive integer, got ${minPairs}`, "compare.minPairs");
  }
  const plans = groupRuns(runs);
  const baseline = plans[0].main;
  const mixes = plans.map((plan) => exitReasonMixOf(plan.main));
  const exitReasons = [...new Set(mixes.flatMap((mix) => Object.keys(mix.shares)))].sort(compareReasons);
  const mainModes = plans.map((plan) => `${plan.name} ${plan.main.intrabar ?? "default"}`);
  const warnings =
    new Set(plans.map((plan) => plan.main.intrabar ?? "default")).size > 1
      ? [`the plans' main runs use different intrabar modes (${mainModes.join(", ")}): differences mix the exit plan with the path assumption`]
      : [];
  return {
    plans: plans.map((plan) => plan.name),
    baseline: baseline.name,
    settings: { ...bootstrap, minPairs },
    metrics: (options.metrics ?? DEFAULT_COMPARE_METRICS).map((metric) => ({
      ...metric,
      values: plans.map((plan) => {
        const value = plan.main.stats[metric.field];
        return value === null || !Number.isFinite(value) ? null : value;
      }),
    })),
    differences: plans.slice(1).map((plan) => differenceOf(baseline, plan.main, { ...bootstrap, minPairs })),
    exitReasons,
    exitReasonMix: mixes,
    pathSensitivity: plans
      .filter((plan) => plan.all.length >= 2)
      .map((plan) => ({
        plan: plan.name,
        modes: plan.all.map((run) => run.intrabar ?? "default"),
        totalReturnPct: rangeOf(plan.all.map((run) => run.stats.totalReturnPct)),
        meanReturnOnMarginPct: rangeOf(plan.all.map((run) => run.stats.expectancyReturnOnMarginPct)),
      })),
    warnings,
  };
}

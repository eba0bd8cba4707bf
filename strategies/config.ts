import { z } from "../data/zod.js";
import { MAX_FUNDING_RATE } from "../data/loadFunding.js";
import { checkExitsConfig, exitsSchema } from "./exits/exitConfig.js";
import { signalsSchema } from "./signals/signalConfig.js";
import { sizingSchema } from "./sizing/sizingConfig.js";
// The schema checks data.from/to/timeframe the way the loader will read them (one parser).
import { parseWindowInstant, TIMEFRAME_MS } from "../data/dataWindow.js";

/**
 * The run configuration: one zod schema (STYLE §8), parsed once at the boundary into a
 * frozen object that inner code trusts. Unknown keys are errors. Types come from here.
 * Fractions are plain ratios (0.03 = 3 %); durations say their unit in the name.
 */

/** The smallest nonzero lot or tick size. */
export const MIN_STEP = 1e-12;

const fraction = z.number().min(0).max(1);
const positive = z.number().positive();
const step = z.number().min(0).refine((value) => value === 0 || value >= MIN_STEP, { message: `must be 0 (none) or at least ${MIN_STEP}` }).default(0);

const windowInstant = z.string().refine((text) => !Number.isNaN(parseWindowInstant(text)), {
  message: "must be a date YYYY-MM-DD (00:00 UTC) or an ISO-8601 time with a zone, e.g. 2024-01-01T00:00:00Z",
});

const dataSchema = z.strictObject({
  /** Bar files or folders (see README: data layout). */
  paths: z.array(z.string().min(1)).min(1).default(["data/samples/binance-perp-1h"]),
  /** Extra funding files or folders (a `funding/` subfolder of a data folder is read too). */
  funding: z.array(z.string().min(1)).default([]),
  /** Lower-timeframe bar files or folders for intrabar order (a `detail/` subfolder of a data folder is read too). */
  detail: z.array(z.string().min(1)).default([]),
  /** Bar files or folders of other timeframes (freqtrade's informative pairs) a strategy module reads through `view.other(symbol, timeframe)`. */
  informative: z.array(z.string().min(1)).default([]),
  /** First bar open time used, inclusive: `YYYY-MM-DD` (00:00 UTC) or ISO-8601 with a zone. Absent: from the first bar. */
  from: windowInstant.optional(),
  /** Bar open times before this are used (exclusive), same forms as `from`. Absent: to the last bar. */
  to: windowInstant.optional(),
  /** Resample the main bars to this timeframe (UTC-aligned); the loaded bars become intrabar detail. */
  timeframe: z.enum(Object.keys(TIMEFRAME_MS) as [string, ...string[]]).optional(),
  /** Mark-price bar files or folders (a `mark/` subfolder of a data folder is read too); liquidation is checked on them. */
  mark: z.array(z.string().min(1)).optional(),
}).superRefine((data, context) => {
  if (data.from !== undefined && data.to !== undefined && !(parseWindowInstant(data.from) < parseWindowInstant(data.to))) {
    context.addIssue({ code: "custom", path: ["to"], message: `must be after data.from (${data.from}); to is exclusive` });
  }
});

const exchangeSchema = z.strictObject({
  market: z.enum(["perp", "spot"]).default("perp"),
  /** At most 1 % a fill: beyond that no exchange exists, and fees could exceed a position's margin. */
  takerFeeRate: z.number().min(0).max(0.01).default(0.0005),
  makerFeeRate: z.number().min(0).max(0.01).default(0.0002),
  /** At most 1 000 bps (10 %) against the trader; 10 000 would fill a sell at 0. */
  slippageBps: z.number().min(0).max(1000).default(0),
  maintenanceMarginRate: z.number().min(0).max(0.5).default(0.005),
  /** Constant funding rate per 8 h where no funding file covers a time; null = none. Same bound as funding files. */
  fundingRate: z.number().min(-MAX_FUNDING_RATE).max(MAX_FUNDING_RATE).nullable().default(null),
  /** Quantity and price steps: 0 (none) or at least 1e-12 — a smaller step is no step and breaks the arithmetic. */
  lotSize: step,
  tickSize: step,
  minNotional: z.number().min(0).default(0),
  /**
   * A JSON file in the format of Binance's GET /fapi/v1/leverageBracket: maintenance margin
   * rate and amount per notional tier and Binance's liquidation formula. Absent: the constant
   * maintenanceMarginRate (SPEC §6.3).
   */
  brackets: z.string().min(1).optional(),
});


const gatesSchema = z.strictObject({
  minConfidence: fraction.default(0.45),
  /** Allowed symbols; null = all (TRADING_SYMBOLS). */
  symbols: z.array(z.string().min(1)).nullable().default(null),
  duplicateTtlMinutes: z.number().min(0).default(10),
  cooldownMinutes: z.number().min(0).default(15),
  maxOpenPositions: z.number().int().min(1).default(10),
  onOpposite: z.enum(["ignore", "close", "reverse"]).default("ignore"),
});

const riskSchema = z.strictObject({
  /** Cap on any sizing module's leverage (RM_MAX_LEVERAGE). */
  maxLeverage: z.number().min(1).default(25),
  /** Mathematician margin as a fraction of balance (RM_RISK_PER_TRADE_PCT). */
  riskPerTradePct: fraction.default(0.8),
  /** Lower an entry's leverage so its stop loss lies inside the liquidation distance. */
  capLeverageToStop: z.boolean().default(false),
  /** With exchange.brackets: lower an entry's leverage to its tier's maximum instead of refusing it. */
  capLeverageToBracket: z.boolean().optional(),
});

/**
 * How orders execute (README "Coming from backtesting.py / backtrader / freqtrade"). Optional
 * without a default: a run that does not set it keeps today's rules and today's summary.json.
 */
const executionSchema = z.strictObject({
  /** `next-open`: a decision at a close fills at the next open; `signal-close`: market orders fill at that close. */
  fillTiming: z.enum(["next-open", "signal-close"]).default("next-open"),
  /** `signal`: amounts (fractions of equity) are taken at the decision; `fill`: at the fill. */
  sizingReference: z.enum(["signal", "fill"]).default("signal"),
  /** `intrabar-peak`: trailing stops follow the best price on the intrabar path; `close`: the best bar close. */
  trailingReference: z.enum(["intrabar-peak", "close"]).default("intrabar-peak"),
  /** `off`: perpetual positions are never liquidated. */
  liquidation: z.enum(["on", "off"]).default("on"),
});

const outputSchema = z.strictObject({
  dir: z.string().min(1).default("runs/backtest"),
  /** Write every N-th equity row (the last row always). */
  equityEvery: z.number().int().min(1).default(1),
  /**
   * equity.csv's rows: every bar, or the last row of each interval; `auto` is every bar except
   * for long runs of sub-hour bars, written hourly (reports/equityRows.ts, which takes these names).
   */
  equityResolution: z.enum(["auto", "bar", "1m", "5m", "15m", "30m", "1h", "4h", "1d"]).default("auto"),
  /** equity.arrow, the full-resolution curve: always, never, or (`auto`) when equity.csv leaves rows out. */
  equityArrow: z.union([z.boolean(), z.literal("auto")]).default("auto"),
});

export const configSchema = z
  .strictObject({
    data: dataSchema.prefault({}),
    initialBalance: positive.default(10_000),
    exchange: exchangeSchema.prefault({}),
    intrabar: z.enum(["default", "pessimistic", "optimistic"]).default("default"),
    signals: signalsSchema.prefault({ kind: "ema-cross" }),
    gates: gatesSchema.prefault({}),
    risk: riskSchema.prefault({}),
    sizing: sizingSchema.prefault({ kind: "fixed-fraction" }),
    exits: exitsSchema.prefault({ kind: "static" }),
    execution: executionSchema.optional(),
    /** Seed of every random choice in a run (determinism, STYLE §9). */
    seed: z.number().int().min(0).default(1),
    output: outputSchema.prefault({}),
  })
  .superRefine((config, context) => {
    if (config.risk.capLeverageToBracket !== undefined && config.exchange.brackets === undefined) {
      context.addIssue({ code: "custom", path: ["risk", "capLeverageToBracket"], message: "needs exchange.brackets (a leverage-bracket file): without brackets no tier limits leverage" });
    }
    if (config.exchange.brackets !== undefined && config.exchange.market === "spot") {
      context.addIssue({ code: "custom", path: ["exchange", "brackets"], message: "applies to perpetuals: spot has no leverage and no liquidation" });
    }
    if (config.data.mark !== undefined && config.exchange.market === "spot") {
      context.addIssue({ code: "custom", path: ["data", "mark"], message: "applies to perpetuals: spot has no liquidation to check on the mark price" });
    }
    const limit = 1 / config.exchange.maintenanceMarginRate;
    if (config.risk.maxLeverage >= limit && config.exchange.market === "perp") {
      context.addIssue({
        code: "custom", path: ["risk", "maxLeverage"],
        message: `must be below 1 / maintenanceMarginRate = ${limit}, or the liquidation price would not be beyond the entry`,
      });
    }
    if ("leverage" in config.sizing && config.sizing.leverage >= limit) {
      context.addIssue({
        code: "custom", path: ["sizing", "leverage"],
        message: `leverage must be below 1 / maintenanceMarginRate = ${limit}`,
      });
    }
    const exitProblem = checkExitsConfig(config.exits);
    if (exitProblem !== null) context.addIssue({ code: "custom", path: exitProblem[0], message: exitProblem[1] });
  });

export type RunConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

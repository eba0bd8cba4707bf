import type { Decision } from "./decision.js";
import { StrategyError } from "./errors.js";
import type { ExitSpec, LevelSpec, OrderRequest, OrderType, TakeProfitSpec } from "./orderTypes.js";
import { ORDER_LIMIT, ORDER_MARKET, ORDER_STOP, ORDER_STOP_LIMIT } from "./orders.js";
import { ORDER_CODES, type RestingOrder } from "./restingOrder.js";
import type { SizingDecision } from "./decisionTypes.js";
import type { ExecutionSettings, ExitPlan, PlanSource } from "./types.js";

/** Turns a strategy's request into a resting order at the decision, or null when the sizing module sizes it to nothing. */
export type OrderResolver = (request: OrderRequest, decision: Decision, id: number, signalClose: number) => RestingOrder | null;

/** What resolving an order needs from the run. */
export interface ResolverSettings {
  readonly sizeEntry: (context: Decision) => SizingDecision | null;
  readonly planExit: (context: Decision, sizing: SizingDecision) => ExitPlan;
  /** Another plan kind with its default settings (`exits: { plan }`); absent = only the configured plan. */
  readonly planExitOfKind?: (kind: PlanSource, context: Decision, sizing: SizingDecision) => ExitPlan;
  readonly maxLeverage: number;
  readonly spot: boolean;
  readonly lotSize: number;
  readonly execution: ExecutionSettings;
}

const TYPES = Object.keys(ORDER_CODES) as OrderType[];

/**
 * The order resolver of a run: validates a request (a user mistake is a StrategyError
 * naming the bar and the fix, never a silent default) and fixes what is known at the
 * decision — the amount (unless decided at the fill), leverage, the plan or the levels.
 */
export function createOrderResolver(settings: ResolverSettings): OrderResolver {
  return (request, decision, id, signalClose) => {
    const fail = (problem: string) => new StrategyError(
      `submit: ${problem} at ${decision.symbol} bar ${decision.barIndex}`, decision.symbol, "see README \"Strategy interface, version 2\"",
    );
    if (typeof request !== "object" || request === null) throw fail("the order must be an object");
    if (request.side !== "buy" && request.side !== "sell") throw fail(`side must be "buy" or "sell", got ${JSON.stringify(request.side)}`);
    const side: 1 | -1 = request.side === "buy" ? 1 : -1;
    if (settings.spot && side < 0) throw fail("a spot market cannot sell short");
    const type = request.type ?? "market";
    if (!TYPES.includes(type)) throw fail(`type must be one of ${TYPES.join(", ")}, got ${JSON.stringify(type)}`);
    const kind = ORDER_CODES[type];
    const needsLimit = kind === ORDER_LIMIT || kind === ORDER_STOP_LIMIT;
    const needsStop = kind === ORDER_STOP || kind === ORDER_STOP_LIMIT;
    const positive = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x > 0;
    if (needsLimit !== (request.limitPrice !== undefined) || (needsLimit && !positive(request.limitPrice))) {
      throw fail(needsLimit ? `a ${type} order needs a positive limitPrice` : `a ${type} order takes no limitPrice`);
    }
    if (needsStop !== (request.stopPrice !== undefined) || (needsStop && !positive(request.stopPrice))) {
      throw fail(needsStop ? `a ${type} order needs a positive stopPrice` : `a ${type} order takes no stopPrice`);
    }
    const tif = request.timeInForce ?? "gtc";
    let expiresAfterBar = Infinity;
    if (tif !== "gtc") {
      if (kind === ORDER_MARKET) throw fail("a market order takes no timeInForce");
      if (typeof tif !== "object" || !Number.isInteger(tif.bars) || tif.bars < 1) throw fail(`timeInForce must be "gtc" or { bars: N ≥ 1 }, got ${JSON.stringify(tif)}`);
      expiresAfterBar = decision.barIndex + tif.bars;
    }
    for (const key of ["confidence", "score"] as const) {
      const value = request[key];
      if (value !== undefined && !(typeof value === "number" && Number.isFinite(value))) throw fail(`${key} must be a finite number`);
    }

    // The amount.
    const size = request.size ?? { kind: "sizing" as const };
    let leverage = request.leverage ?? 1;
    if (!(Number.isFinite(leverage) && leverage >= 1)) throw fail(`leverage must be ≥ 1, got ${String(request.leverage)}`);
    let marginUsd = NaN, quantity = 0, notionalUsd = 0, fractionAtFill = NaN, allInStep = 0;
    let sizing: SizingDecision | null = null;
    switch (size.kind) {
      case "sizing":
        if (request.leverage !== undefined) throw fail("leverage comes from the sizing module with size { kind: \"sizing\" }; give another size kind to set it");
        sizing = settings.sizeEntry(decision);
        if (sizing === null || !(sizing.marginUsd > 0 || (sizing.quantity ?? 0) > 0)) return null;
        leverage = sizing.leverage;
        marginUsd = sizing.marginUsd;
        quantity = sizing.quantity ?? 0;
        break;
      case "quantity":
        if (!positive(size.quantity)) throw fail("size.quantity must be a positive number");
        quantity = size.quantity;
        break;
      case "notional":
        if (!positive(size.notionalUsd)) throw fail("size.notionalUsd must be a positive number");
        notionalUsd = size.notionalUsd;
        break;
      case "fraction":
        if (!(positive(size.fraction) && size.fraction <= 1)) throw fail("size.fraction must be in (0, 1]");
        if (settings.execution.sizingReference === "fill") fractionAtFill = size.fraction;
        else marginUsd = size.fraction * decision.equity;
        break;
      case "all-in":
        if (size.step !== undefined && !positive(size.step)) throw fail("size.step must be a positive number");
        allInStep = size.step ?? (settings.lotSize > 0 ? settings.lotSize : 1);
        break;
      default:
        throw fail(`size.kind must be sizing, quantity, notional, fraction or all-in, got ${JSON.stringify((size as { kind?: unknown }).kind)}`);
    }
    leverage = settings.spot ? 1 : Math.max(1, Math.min(leverage, settings.maxLeverage));
    const sized: SizingDecision = sizing ?? { marginUsd: marginUsd === marginUsd ? marginUsd : 0, leverage, quantity };

    // The exits.
    const exits = request.exits ?? "configured";
    let plan: ExitPlan | null = null;
    let spec: ExitSpec = {};
    if (exits === "configured") plan = settings.planExit(decision, { ...sized, leverage });
    else if (typeof exits === "object" && exits !== null && "plan" in exits) {
      if (settings.planExitOfKind === undefined) throw fail("exits: { plan } is not available in this run");
      plan = settings.planExitOfKind(exits.plan, decision, { ...sized, leverage });
    } else if (typeof exits === "object" && exits !== null) spec = exits;
    else throw fail(`exits must be "configured", { plan: kind } or levels, got ${JSON.stringify(exits)}`);
    const checkLevel = (name: string, level: LevelSpec) => {
      if (typeof level !== "object" || level === null) throw fail(`${name} must be { price } or { pct, anchor }`);
      if ("price" in level) { if (!positive(level.price)) throw fail(`${name}.price must be a positive number`); return; }
      if (!(positive(level.pct) && level.pct < 1)) throw fail(`${name}.pct must be in (0, 1)`);
      if (level.anchor !== "signal" && level.anchor !== "fill") throw fail(`${name}.anchor must be "signal" or "fill"`);
    };
    if (spec.stopLoss != null) checkLevel("exits.stopLoss", spec.stopLoss);
    let takeProfits: TakeProfitSpec[] = [];
    if (spec.takeProfit != null) {
      takeProfits = Array.isArray(spec.takeProfit) ? [...spec.takeProfit] : [{ level: spec.takeProfit as LevelSpec, fraction: 1 }];
      let sum = 0;
      takeProfits.forEach((stage, k) => {
        checkLevel(`exits.takeProfit[${k}].level`, stage.level);
        if (!(stage.fraction >= 0)) throw fail(`exits.takeProfit[${k}].fraction must be ≥ 0`);
        sum += stage.fraction;
      });
      if (sum > 1 + 1e-9) throw fail(`exits.takeProfit fractions sum to ${sum}, more than 1`);
    }
    const trailing = spec.trailing == null ? null : {
      distancePct: spec.trailing.distancePct, activationPct: spec.trailing.activationPct ?? null, afterStage: spec.trailing.afterStage ?? 0,
    };
    if (trailing !== null && !(trailing.distancePct > 0 && trailing.distancePct < 1)) throw fail("exits.trailing.distancePct must be inside (0, 1)");
    const maxHoldingBars = spec.maxHoldingBars ?? null;
    if (maxHoldingBars !== null && !(Number.isInteger(maxHoldingBars) && maxHoldingBars >= 1)) throw fail("exits.maxHoldingBars must be a whole number ≥ 1");

    return {
      id, slot: decision.symbolIndex, kind, side,
      limit: needsLimit ? (request.limitPrice as number) : NaN,
      stop: needsStop ? (request.stopPrice as number) : NaN,
      triggered: false, submittedBar: decision.barIndex, expiresAfterBar, tag: request.tag ?? null, signalClose,
      leverage, marginUsd, quantity, notionalUsd, fractionAtFill, allInStep,
      plan, stopLoss: spec.stopLoss ?? null, takeProfits, trailing,
      breakevenOffsetPct: spec.breakevenOffsetPct ?? null, maxHoldingBars,
      confidence: request.confidence ?? NaN, score: request.score ?? NaN, decisionId: sizing?.decisionId ?? NaN,
    };
  };
}

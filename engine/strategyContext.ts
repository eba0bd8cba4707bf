import type { StrategyContext } from "./orderTypes.js";

/**
 * The `ctx` a version-2 strategy sees: a frozen object whose own properties are exactly the
 * documented API (getters and methods), with the engine's broker held in a closure. Like the
 * bar view, it exposes nothing beyond its API — no bar columns, no exchange, no broker
 * prototype — so look-ahead through `ctx` is impossible by construction. Made once per run;
 * each call forwards to the broker, which already points at the symbol and bar being decided.
 */
export function strategyContext(broker: StrategyContext): StrategyContext {
  const ctx: StrategyContext = {
    get symbol() { return broker.symbol; },
    get params() { return broker.params; },
    get position() { return broker.position; },
    get orders() { return broker.orders; },
    get equity() { return broker.equity; },
    get availableBalance() { return broker.availableBalance; },
    submit: (request) => broker.submit(request),
    cancel: (id) => (id === undefined ? broker.cancel() : broker.cancel(id)),
    close: (fraction) => (fraction === undefined ? broker.close() : broker.close(fraction)),
    setStopLoss: (price) => broker.setStopLoss(price),
    setTakeProfit: (target) => broker.setTakeProfit(target),
    setTrailing: (trailing) => broker.setTrailing(trailing),
  };
  Object.setPrototypeOf(ctx, null);
  return Object.freeze(ctx);
}

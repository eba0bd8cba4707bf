import { LIQUIDITY_MAKER } from "./ledgers.js";
import { roundAgainstTrader } from "./rounding.js";
import type { ExchangeSettings } from "./types.js";

/**
 * The market's trading rules that price a fill (SPEC §6.1): slippage and tick rounding of
 * market orders, fee rates by liquidity, lot size and minimum notional. The settings are
 * copied into fields of this object: the settings object comes from the caller and its shape
 * may differ from run to run, which would throw away the hot path's optimised code.
 */
export class FeeSchedule {
  readonly slippage: number;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly minNotional: number;
  readonly takerFeeRate: number;
  readonly makerFeeRate: number;

  constructor(settings: ExchangeSettings) {
    this.slippage = settings.slippageBps / 10_000;
    this.tickSize = settings.tickSize;
    this.lotSize = settings.lotSize;
    this.minNotional = settings.minNotional;
    this.takerFeeRate = settings.takerFeeRate;
    this.makerFeeRate = settings.makerFeeRate;
  }

  /** Market-order price against the trader: slippage, then tick rounding. */
  marketPrice(reference: number, orderSide: 1 | -1): number {
    return roundAgainstTrader(reference * (1 + orderSide * this.slippage), this.tickSize, orderSide);
  }

  /** The fee rate of a fill of `liquidity` (maker for resting limits, taker otherwise). */
  rate(liquidity: number): number {
    return liquidity === LIQUIDITY_MAKER ? this.makerFeeRate : this.takerFeeRate;
  }
}

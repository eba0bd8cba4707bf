import type { PaperExchange } from "./paperExchange.js";
import type { DecisionContext } from "./decisionTypes.js";
import type { BarSeries, Trade } from "./types.js";

/**
 * The `DecisionContext` handed to sizing and exit planning. The closed trades are a getter:
 * most sizing modules never look at them, and the ledger makes trade objects only when asked.
 */
export class Decision implements DecisionContext {
  readonly balance: number;
  readonly availableBalance: number;
  readonly marginUsed: number;
  readonly openPositions: number;
  private readonly ex: PaperExchange;

  constructor(
    readonly symbol: string, readonly symbolIndex: number, readonly series: BarSeries, readonly barIndex: number,
    readonly decisionTimeMs: number, readonly side: 1 | -1, readonly confidence: number, readonly score: number,
    readonly sizeMultiplier: number, readonly equity: number, ex: PaperExchange, readonly maxPositions: number,
  ) {
    this.ex = ex;
    this.balance = ex.account.balance;
    this.availableBalance = ex.account.availableBalance();
    this.marginUsed = ex.account.marginUsed;
    this.openPositions = ex.account.openPositions;
  }

  get closedTrades(): readonly Trade[] {
    return this.ex.trades;
  }
}


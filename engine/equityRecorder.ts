import type { PaperExchange } from "./paperExchange.js";
import type { EquityCurve } from "./types.js";

/**
 * Step 5 of SPEC §1: marks every open position to its symbol's last close and writes one
 * row of the equity curve into preallocated columns.
 */
export interface EquityRecorder {
  record(row: number, timeMs: number, ex: PaperExchange, lastClose: Float64Array): void;
  lastEquity(): number;
  curve(): EquityCurve;
}

export function createEquityRecorder(rows: number, initialBalance: number): EquityRecorder {
  const time = new Float64Array(rows);
  const equity = new Float64Array(rows);
  const balance = new Float64Array(rows);
  const unrealizedPnl = new Float64Array(rows);
  const marginUsed = new Float64Array(rows);
  const exposure = new Float64Array(rows);
  const drawdown = new Float64Array(rows);
  let peak = initialBalance;
  let last = initialBalance;
  return {
    record(row, timeMs, ex, lastClose) {
      const book = ex.book;
      let unrealized = 0;
      let gross = 0;
      if (ex.openPositions > 0) {
        for (let s = 0; s < lastClose.length; s++) {
          const side = book.side[s];
          if (side === 0) continue;
          const mark = lastClose[s];
          unrealized += side * (mark - book.entryPrice[s]) * book.quantity[s];
          gross += mark * book.quantity[s];
        }
      }
      const value = ex.balance + unrealized;
      if (value > peak) peak = value;
      time[row] = timeMs;
      equity[row] = value;
      balance[row] = ex.balance;
      unrealizedPnl[row] = unrealized;
      marginUsed[row] = ex.marginUsed;
      exposure[row] = value > 0 ? gross / value : 0;
      drawdown[row] = peak > 0 ? value / peak - 1 : 0;
      last = value;
    },
    lastEquity: () => last,
    curve: () => ({ length: rows, time, equity, balance, unrealizedPnl, marginUsed, exposure, drawdown }),
  };
}

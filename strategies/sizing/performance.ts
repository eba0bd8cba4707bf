import type { Trade } from "../../engine/types.js";

/**
 * Performance of already-closed trades, the history the Trading Mathematician and the RL
 * agent read (SPEC §4.1 "performance", §4.2 "recent performance").
 *
 * A trade's return is its **net PnL / notional at entry** (`netPnlUsd / (entryPrice ×
 * quantity)`), i.e. a price-move-like fraction after fees and funding. That is the unit the
 * mathematician compares with its SL and TP distances (`avgLossPct > sl × 1.3`,
 * `avgWinPct < tp`), and it does not depend on the leverage the trade happened to use. (The
 * return on margin is `Trade.returnOnMargin`; the RL agent's default reward, see rlAgent.ts.)
 *
 * A trade with net PnL > 0 is a win, < 0 a loss; an exact 0 counts in `totalTrades` only.
 */
export interface PerformanceStats {
  readonly totalTrades: number;
  /** Wins / total trades, 0..1; 0 without trades. */
  readonly winRate: number;
  /** Mean return of the winning trades, a fraction (0.02 = 2 %); 0 without wins. */
  readonly avgWinPct: number;
  /** Mean |return| of the losing trades, a positive fraction; 0 without losses. */
  readonly avgLossPct: number;
  /** Gross winning net PnL / gross losing net PnL in USDT; Infinity with wins and no losses, 0 without wins. */
  readonly profitFactor: number;
  /** Per-trade Sharpe: mean return / sample standard deviation, not annualised; 0 below 2 trades or with no dispersion. */
  readonly sharpe: number;
  readonly closedWinningTrades: number;
  readonly closedLosingTrades: number;
}

export const NO_PERFORMANCE: PerformanceStats = Object.freeze({
  totalTrades: 0, winRate: 0, avgWinPct: 0, avgLossPct: 0, profitFactor: 0, sharpe: 0,
  closedWinningTrades: 0, closedLosingTrades: 0,
});

/** Net PnL / notional at entry; 0 for a degenerate trade with no notional. */
export function tradeReturnPct(trade: Trade): number {
  const notionalUsd = trade.entryPrice * trade.quantity;
  return notionalUsd > 0 ? trade.netPnlUsd / notionalUsd : 0;
}

/** Running sums of one stream of trades; O(1) per trade, O(recent window) per query. */
class PerformanceAccumulator {
  private total = 0;
  private wins = 0;
  private losses = 0;
  private winReturnSum = 0;
  private lossReturnSum = 0;
  private grossWinUsd = 0;
  private grossLossUsd = 0;
  // Welford's running mean and sum of squared deviations, for a stable Sharpe.
  private mean = 0;
  private squaredDeviations = 0;
  private readonly recent: Float64Array;
  private recentCount = 0;

  constructor(recentWindow: number) {
    this.recent = new Float64Array(Math.max(0, Math.floor(recentWindow)));
  }

  add(trade: Trade): void {
    const returnPct = tradeReturnPct(trade);
    this.total++;
    if (trade.netPnlUsd > 0) {
      this.wins++;
      this.winReturnSum += returnPct;
      this.grossWinUsd += trade.netPnlUsd;
    } else if (trade.netPnlUsd < 0) {
      this.losses++;
      this.lossReturnSum -= returnPct;
      this.grossLossUsd -= trade.netPnlUsd;
    }
    const delta = returnPct - this.mean;
    this.mean += delta / this.total;
    this.squaredDeviations += delta * (returnPct - this.mean);
    if (this.recent.length > 0) this.recent[(this.total - 1) % this.recent.length] = returnPct;
    this.recentCount = Math.min(this.total, this.recent.length);
  }

  stats(): PerformanceStats {
    if (this.total === 0) return NO_PERFORMANCE;
    const deviation = this.total > 1 ? Math.sqrt(this.squaredDeviations / (this.total - 1)) : 0;
    return {
      totalTrades: this.total,
      winRate: this.wins / this.total,
      avgWinPct: this.wins > 0 ? this.winReturnSum / this.wins : 0,
      avgLossPct: this.losses > 0 ? this.lossReturnSum / this.losses : 0,
      profitFactor: this.grossLossUsd > 0 ? this.grossWinUsd / this.grossLossUsd : this.grossWinUsd > 0 ? Infinity : 0,
      sharpe: deviation > 0 ? this.mean / deviation : 0,
      closedWinningTrades: this.wins,
      closedLosingTrades: this.losses,
    };
  }

  /** Mean return of the last `recentWindow` trades (fewer if fewer closed); NaN without trades. */
  recentMeanReturnPct(): number {
    if (this.recentCount === 0) return NaN;
    // Oldest first, the same order as `recentMeanReturnPctOf`, so both give identical bits.
    const size = this.recent.length;
    let sum = 0;
    for (let k = this.total - this.recentCount; k < this.total; k++) sum += this.recent[k % size];
    return sum / this.recentCount;
  }
}

/** Default number of trades in the RL agent's "recent performance" window. */
export const DEFAULT_RECENT_WINDOW = 10;

/**
 * Statistics of the closed trades of one symbol, or of the portfolio when `symbol` is null.
 * O(n); a caller that asks once per signal over a growing list uses `PerformanceTracker`.
 */
export function performanceOf(trades: readonly Trade[], symbol: string | null): PerformanceStats {
  const accumulator = new PerformanceAccumulator(0);
  for (const trade of trades) if (symbol === null || trade.symbol === symbol) accumulator.add(trade);
  return accumulator.stats();
}

/** Mean return of the last `window` closed trades of a symbol (or all, null); NaN without trades. O(n). */
export function recentMeanReturnPctOf(trades: readonly Trade[], symbol: string | null, window: number): number {
  const picked: number[] = [];
  for (let i = trades.length - 1; i >= 0 && picked.length < window; i--) {
    if (symbol === null || trades[i].symbol === symbol) picked.push(i);
  }
  let sum = 0;
  for (let k = picked.length - 1; k >= 0; k--) sum += tradeReturnPct(trades[picked[k]]);
  return picked.length === 0 ? NaN : sum / picked.length;
}

/**
 * Incremental `performanceOf` for one run. The engine's closed-trade list only grows (new
 * trades are appended), so the tracker remembers how many it has consumed and reads only the
 * new tail: O(1) amortised per call, whatever the run length. A list shorter than what was
 * consumed can only be another run's, so the tracker starts over on it.
 */
export class PerformanceTracker {
  private consumed = 0;
  private portfolio: PerformanceAccumulator;
  private bySymbol = new Map<string, PerformanceAccumulator>();

  constructor(private readonly recentWindow: number = DEFAULT_RECENT_WINDOW) {
    this.portfolio = new PerformanceAccumulator(recentWindow);
  }

  /** Number of trades consumed so far. */
  get tradesSeen(): number {
    return this.consumed;
  }

  /** Consumes the trades appended since the last call. */
  update(trades: readonly Trade[]): void {
    if (trades.length < this.consumed) this.reset();
    for (let i = this.consumed; i < trades.length; i++) {
      const trade = trades[i];
      this.portfolio.add(trade);
      let accumulator = this.bySymbol.get(trade.symbol);
      if (accumulator === undefined) {
        accumulator = new PerformanceAccumulator(this.recentWindow);
        this.bySymbol.set(trade.symbol, accumulator);
      }
      accumulator.add(trade);
    }
    this.consumed = trades.length;
  }

  /** Same result as `performanceOf(trades, symbol)`. */
  performanceOf(trades: readonly Trade[], symbol: string | null): PerformanceStats {
    this.update(trades);
    return this.accumulatorOf(symbol)?.stats() ?? NO_PERFORMANCE;
  }

  /** Same result as `recentMeanReturnPctOf(trades, symbol, recentWindow)`. */
  recentMeanReturnPctOf(trades: readonly Trade[], symbol: string | null): number {
    this.update(trades);
    return this.accumulatorOf(symbol)?.recentMeanReturnPct() ?? NaN;
  }

  private accumulatorOf(symbol: string | null): PerformanceAccumulator | undefined {
    return symbol === null ? this.portfolio : this.bySymbol.get(symbol);
  }

  private reset(): void {
    this.consumed = 0;
    this.portfolio = new PerformanceAccumulator(this.recentWindow);
    this.bySymbol = new Map();
  }
}

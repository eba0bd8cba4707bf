import { FundingLedger } from "./fundingLedger.js";
import { buildFundingSchedule } from "./fundingSchedule.js";
import {
  DECISION_CLOSE, DECISION_DROP, DECISION_REVERSE, GATE_SIZING, GateState, evaluateGates, type GateSettings,
} from "./gates.js";
import { MODE_DEFAULT, MODE_OPTIMISTIC, MODE_PESSIMISTIC } from "./intrabar.js";
import { PositionManager } from "./positionManager.js";
import { PaperExchange, REASON_END, REASON_SIGNAL, REASON_TIME } from "./paperExchange.js";
import { EquityRecorder } from "./equityRecorder.js";
import { asSparseSignals } from "./sparseSignals.js";
import { collectOpenPositions, summarizeRun } from "./runSummary.js";
import type {
  BarSeries, ExchangeSettings, ExitPlan, IntrabarMode, MarketData, RunResult, SignalSet, SparseSignals, Trade,
} from "./types.js";

/** What a sizing module sees when a signal has passed the gates (SPEC §1 step 8). */
export interface DecisionContext {
  readonly symbol: string;
  readonly symbolIndex: number;
  readonly series: BarSeries;
  /** The bar whose close the decision is taken at; the module must not read past it. */
  readonly barIndex: number;
  readonly decisionTimeMs: number;
  readonly side: 1 | -1;
  readonly confidence: number;
  readonly score: number;
  readonly sizeMultiplier: number;
  readonly equity: number;
  readonly balance: number;
  readonly availableBalance: number;
  readonly marginUsed: number;
  readonly openPositions: number;
  readonly maxPositions: number;
  /** Trades already closed at decision time, oldest first. */
  readonly closedTrades: readonly Trade[];
}

export interface SizingDecision {
  /** Margin budget in USDT; the quantity is fixed at the fill price with the entry fee reserved. */
  readonly marginUsd: number;
  readonly leverage: number;
  /** A fixed quantity instead of a margin budget (the fixed-quantity baseline); 0/absent = use the budget. */
  readonly quantity?: number;
  /** An id the sizing module gives its decision; it comes back on the trade (`Trade.decisionId`). */
  readonly decisionId?: number;
}

export interface RunInput {
  readonly data: MarketData;
  readonly signals: SignalSet;
  readonly exchange: ExchangeSettings;
  readonly gates: GateSettings;
  readonly intrabarMode: IntrabarMode;
  readonly initialBalance: number;
  /** Upper bound on any sizing module's leverage (`RM_MAX_LEVERAGE`). */
  readonly maxLeverage: number;
  /** Lower an entry's leverage so its stop loss lies inside the liquidation distance (perps). */
  readonly capLeverageToStop?: boolean;
  readonly sizeEntry: (context: DecisionContext) => SizingDecision | null;
  /** Receives the sizing decision as returned (extra fields included), leverage clamped. */
  readonly planExit: (context: DecisionContext, sizing: SizingDecision) => ExitPlan;
  /** Called when a trade closes, in order (e.g. an RL agent learning from its outcome). */
  readonly onTradeClosed?: (trade: Trade) => void;
  /** Called every 65 536 timestamps and at the end with (timestamps done, total): progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

const PROGRESS_EVERY = 0x10000;

const MODES: Record<IntrabarMode, number> = { default: MODE_DEFAULT, pessimistic: MODE_PESSIMISTIC, optimistic: MODE_OPTIMISTIC };
const NO_SIGNALS: SparseSignals = {
  sparse: true, length: 0, index: new Int32Array(0), action: new Int8Array(0),
  confidence: new Float64Array(0), score: new Float64Array(0), sizeMultiplier: new Float64Array(0),
};

/**
 * Replays the merged bar streams through the pipeline of SPEC §1, one timestamp at a time,
 * in the spec's order. The loop runs over typed arrays; objects are created only for
 * signals that pass the gates, fills and trades.
 */
export function runBacktest(input: RunInput): RunResult {
  const bars = input.data.bars;
  const n = bars.length;
  const symbols = bars.map((series) => series.symbol);
  const ex = new PaperExchange(symbols, input.exchange, input.initialBalance, input.onTradeClosed ?? null);
  const book = ex.book;
  const gates = new GateState(symbols, input.gates);
  const spot = input.exchange.market === "spot";
  const mode = MODES[input.intrabarMode];
  const timeframeMs = bars.length === 0 ? 0 : bars[0].timeframeMs;
  const timeline = mergeTimelines(bars);
  const equity = new EquityRecorder(timeline, input.initialBalance);
  const signals = bars.map((series) => {
    const given = input.signals.bySymbol.get(series.symbol);
    return given === undefined ? NO_SIGNALS : asSparseSignals(given);
  });
  const signalCursor = new Int32Array(n);
  const funding = new FundingLedger(bars.map((series) =>
    spot || series.length === 0 ? buildFundingSchedule(undefined, null, 1, 0, 0)
      : buildFundingSchedule(input.data.funding.get(series.symbol), input.exchange.fundingRate, input.exchange.fundingIntervalMs,
        series.time[0], series.time[series.length - 1] + series.timeframeMs)));

  const cursor = new Int32Array(n);
  const lastClose = new Float64Array(n).fill(NaN);
  const active = new Int32Array(n);
  const pendingExit = new Uint8Array(n);
  const pendingSide = new Int8Array(n);
  const pendingMargin = new Float64Array(n);
  const pendingLeverage = new Float64Array(n);
  const pendingQuantity = new Float64Array(n);
  const pendingDecisionId = new Float64Array(n).fill(NaN);
  const pendingConfidence = new Float64Array(n);
  const pendingScore = new Float64Array(n);
  const pendingPlan: (ExitPlan | null)[] = new Array<ExitPlan | null>(n).fill(null);
  let pendingEntries = 0;
  let signalCount = 0, intentCount = 0, barCount = 0, leverageCapped = 0;
  const capToStop = input.capLeverageToStop === true && !spot;
  const manager = new PositionManager(ex, mode, bars.map((series) => input.data.detail?.get(series.symbol) ?? null));

  const onProgress = input.onProgress;
  for (let row = 0; row < timeline.length; row++) {
    if ((row & (PROGRESS_EVERY - 1)) === 0 && onProgress !== undefined && row > 0) onProgress(row, timeline.length);
    const t = timeline[row];
    let activeCount = 0;
    for (let s = 0; s < n; s++) {
      const i = cursor[s];
      if (i < bars[s].length && bars[s].time[i] === t) active[activeCount++] = s;
    }
    barCount += activeCount;

    // Step 1: funding times that fell in a data gap are paid at the last close before them,
    // on the quantity open then; then queued orders fill at the open, exits before entries.
    for (let a = 0; a < activeCount; a++) {
      const s = active[a];
      if (funding.nextTime[s] < t) funding.settleBefore(ex, s, t, lastClose[s]);
      if (pendingExit[s] === 1) {
        pendingExit[s] = 0;
        if (book.side[s] !== 0) {
          ex.closeAtMarket(s, REASON_SIGNAL, bars[s].open[cursor[s]], t);
          gates.lastEntryOrExitTime[s] = t;
        }
      }
    }
    for (let a = 0; a < activeCount; a++) {
      const s = active[a];
      if (pendingSide[s] === 0) continue;
      const side = pendingSide[s] as 1 | -1;
      pendingSide[s] = 0;
      pendingEntries--;
      if (book.side[s] !== 0) continue;
      if (ex.openPosition(s, side, bars[s].open[cursor[s]], t, pendingMargin[s], pendingQuantity[s],
        pendingLeverage[s], pendingConfidence[s], pendingScore[s], pendingPlan[s] as ExitPlan, pendingDecisionId[s])) {
        gates.lastEntryOrExitTime[s] = t;
      }
      pendingPlan[s] = null;
    }

    for (let a = 0; a < activeCount; a++) {
      const s = active[a];
      const series = bars[s];
      const i = cursor[s];
      const close = series.close[i];
      // Step 2: funding times inside this bar, paid on what is open now, at the open.
      if (funding.nextTime[s] < t + series.timeframeMs) funding.settleBefore(ex, s, t + series.timeframeMs, series.open[i]);
      // Step 3: manage the open position along the intrabar path.
      if (book.side[s] !== 0) {
        book.barsHeld[s]++;
        const flat = manager.manage(s, series, i);
        if (flat) gates.lastEntryOrExitTime[s] = t;
        // Step 4: time exit at this bar's close.
        if (!flat) {
          const maxBars = (book.plan[s] as ExitPlan).maxHoldingBars;
          if (maxBars !== null && book.barsHeld[s] >= maxBars) {
            ex.closeAtMarket(s, REASON_TIME, close, t);
            gates.lastEntryOrExitTime[s] = t;
          }
        }
      }
      lastClose[s] = close;
    }

    // Step 5: mark to market.
    equity.record(row, ex, lastClose);

    // Steps 6–10: signals at the close, gates, sizing, exit plan, queue for the next open.
    for (let a = 0; a < activeCount; a++) {
      const s = active[a];
      const i = cursor[s];
      cursor[s] = i + 1;
      const sparse = signals[s];
      const k = signalCursor[s];
      if (k >= sparse.length || sparse.index[k] !== i) continue;
      signalCursor[s] = k + 1;
      const action = sparse.action[k];
      signalCount++;
      const side = action as 1 | -1;
      const decisionTime = t + bars[s].timeframeMs;
      const confidence = sparse.confidence[k];
      const decision = evaluateGates(gates, input.gates, s, side, confidence, decisionTime, book.side[s],
        ex.openPositions + pendingEntries, spot);
      if (decision === DECISION_DROP) continue;
      intentCount++;
      if (decision === DECISION_CLOSE || decision === DECISION_REVERSE) pendingExit[s] = 1;
      if (decision === DECISION_CLOSE) continue;
      const context: DecisionContext = {
        symbol: symbols[s], symbolIndex: s, series: bars[s], barIndex: i, decisionTimeMs: decisionTime, side,
        confidence, score: sparse.score[k], sizeMultiplier: sparse.sizeMultiplier[k],
        equity: equity.lastEquity(), balance: ex.balance, availableBalance: ex.availableBalance(),
        marginUsed: ex.marginUsed, openPositions: ex.openPositions, maxPositions: input.gates.maxOpenPositions,
        closedTrades: ex.trades,
      };
      const sizing = input.sizeEntry(context);
      const quantity = sizing?.quantity ?? 0;
      if (sizing === null || !(sizing.marginUsd > 0 || quantity > 0)) {
        gates.drop(GATE_SIZING);
        continue;
      }
      // Spot trades without leverage (SPEC §6.1); perps are capped by RM_MAX_LEVERAGE.
      const leverage = spot ? 1 : Math.max(1, Math.min(sizing.leverage, input.maxLeverage));
      let sized: SizingDecision = { ...sizing, leverage, quantity };
      let plan = input.planExit(context, sized);
      if (capToStop && plan.stopLossPct !== null) {
        // Liquidation sits 1/L − mmr from the entry; the stop must be nearer: L < 1/(sl + mmr).
        const limit = 1 / (plan.stopLossPct + input.exchange.maintenanceMarginRate);
        if (leverage >= limit && limit > 1) {
          sized = { ...sized, leverage: Math.max(1, limit * (1 - 1e-9)) };
          plan = input.planExit(context, sized);
          leverageCapped++;
        }
      }
      pendingSide[s] = side;
      pendingMargin[s] = sized.marginUsd;
      pendingLeverage[s] = sized.leverage;
      pendingQuantity[s] = quantity;
      pendingDecisionId[s] = sizing.decisionId ?? NaN;
      pendingConfidence[s] = confidence;
      pendingScore[s] = sparse.score[k];
      pendingPlan[s] = plan;
      pendingEntries++;
    }
  }

  if (onProgress !== undefined) onProgress(timeline.length, timeline.length);
  // After the last bar: record what is still open, then close it at its last close (END).
  const openAtEnd = collectOpenPositions(ex);
  for (let s = 0; s < n; s++) {
    if (book.side[s] === 0) continue;
    const series = bars[s];
    ex.closeAtMarket(s, REASON_END, series.close[series.length - 1], series.time[series.length - 1]);
  }
  if (timeline.length > 0) equity.record(timeline.length - 1, ex, lastClose);

  return summarizeRun(ex, equity.curve(), openAtEnd, timeframeMs, gates.dropCounts(), {
    bars: barCount,
    timestamps: timeline.length,
    signals: signalCount,
    intents: intentCount,
    pathDependentFills: manager.pathDependentFills,
    detailFallbacks: manager.detailFallbacks,
    detailBarsUsed: manager.detailBarsUsed,
    fundingTimesPaid: funding.timesPaid,
    fundingTimesFromData: funding.timesFromData,
    fundingTimesFromConstant: funding.timesFromConstant,
    fundingTimesUncovered: funding.timesUncovered,
    leverageCappedToStop: leverageCapped,
    unfilledAtEnd: pendingEntries,
  });
}

/**
 * Sorted union of all symbols' bar times, by merging the (already sorted) time columns in a
 * balanced tree: O(N log k) and no sort of every bar of every symbol — 50 aligned minute-bar
 * years merge into one 525 600-row timeline without a 26-million-element buffer.
 */
function mergeTimelines(bars: readonly BarSeries[]): Float64Array {
  if (bars.length === 0) return new Float64Array(0);
  const merge = (from: number, to: number): Float64Array => {
    if (to - from === 1) return bars[from].time.slice(0, bars[from].length);
    const middle = (from + to) >> 1;
    return mergeUnique(merge(from, middle), merge(middle, to));
  };
  return merge(0, bars.length);
}

/** Union of two strictly increasing arrays, strictly increasing. */
function mergeUnique(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i], y = b[j];
    if (x < y) { out[k++] = x; i++; }
    else if (y < x) { out[k++] = y; j++; }
    else { out[k++] = x; i++; j++; }
  }
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return k === out.length ? out : out.slice(0, k);
}

import { FundingLedger } from "./fundingLedger.js";
import { buildFundingSchedule, fundingScheduleOf } from "./fundingSchedule.js";
import {
  DECISION_CLOSE, DECISION_DROP, DECISION_REVERSE, GATE_SIZING, GateState, evaluateGates, type GateSettings,
} from "./gates.js";
import { cappedLeverageForStop } from "./liquidation.js";
import { MODE_DEFAULT, MODE_OPTIMISTIC, MODE_PESSIMISTIC, ratchetTrailOnClose } from "./intrabar.js";
import { holdThrough, quietBarsEnd } from "./quietBars.js";
import { PositionManager } from "./positionManager.js";
import { MarkPrices } from "./markPrices.js";
import { liquidationCounters } from "./liquidationCounters.js";
import { REASON_END, REASON_SIGNAL, REASON_TIME } from "./ledgers.js";
import { PaperExchange } from "./paperExchange.js";
import { Decision } from "./decision.js";
import { EquityRecorder } from "./equityRecorder.js";
import { activeReplayBuffers, EQUITY_COLUMNS_FROM } from "./replayBuffers.js";
import { mergeTimelines } from "./timeline.js";
import { asSparseSignals } from "./sparseSignals.js";
import { collectOpenPositions, summarizeRun } from "./runSummary.js";
import { Broker } from "./broker.js";
import { LevelTrace } from "./levelTrace.js";
import type { BarCloseStrategy } from "./orderTypes.js";
import { OrderWalker } from "./orderWalk.js";
import { createOrderResolver } from "./resolveOrder.js";
import {
  DEFAULT_EXECUTION, type BarSeries, type ExchangeSettings, type ExecutionSettings, type ExitPlan, type IntrabarMode, type MarketData,
  type PlanSource, type RunResult, type SignalSet, type SparseSignals, type Trade,
} from "./types.js";

import type { DecisionContext, SizingDecision } from "./decisionTypes.js";

/** The most trades the ledgers reserve room for at the start (~2.5 MB of trade and fill columns). */
const LEDGER_RESERVE_TRADES = 1 << 14;

export type { DecisionContext, SizingDecision } from "./decisionTypes.js";

export interface RunInput {
  /** Record the levels each position had over time (engine/levelTrace.ts) for the report; default false. */
  readonly traceLevels?: boolean;
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
  /** Fill timing, sizing and trailing references, liquidation on/off (default `DEFAULT_EXECUTION`). */
  readonly execution?: ExecutionSettings;
  /** A version-2 strategy: called at every bar close with the order context instead of reading signals. */
  readonly strategy?: BarCloseStrategy;
  /** `params` a version-2 strategy sees on its context. */
  readonly strategyParams?: Readonly<Record<string, unknown>>;
  /** A named plan kind with its default settings, for orders with `exits: { plan }`. */
  readonly planExitOfKind?: (kind: PlanSource, context: DecisionContext, sizing: SizingDecision) => ExitPlan;
  /** Called every 65 536 timestamps and at the end with (timestamps done, total): progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Replay every row through the general loop — no single-symbol loop, no skipping of rows where
   * nothing is open (`Replay.loopOne`, `Replay.skipFlat`). The results are the same bytes either
   * way; tests run both and compare them. Default false.
   */
  readonly generalLoop?: boolean;
}

const PROGRESS_EVERY = 0x10000;

/** The first index in [from, to) of the increasing `values` whose value is at least `target`; `to` if none. */
function firstAtOrAfter(values: Float64Array, from: number, to: number, target: number): number {
  let lo = from, hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const MODES: Record<IntrabarMode, number> = { default: MODE_DEFAULT, pessimistic: MODE_PESSIMISTIC, optimistic: MODE_OPTIMISTIC };
const NO_FUNDING = buildFundingSchedule(undefined, null, 1, 0, 0);
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
  const replay = new Replay(input);
  replay.loop();
  return replay.finish();
}

/**
 * The state of one replay. The per-timestamp loop (`loop`) is a method of its own with
 * nothing after it, reading only this object's fields: V8 then optimises it once and keeps
 * the optimised code from run to run (a sweep runs thousands in one process). Code that
 * runs once per run, or once per signal, lives in other methods so that its first
 * execution cannot discard the loop's optimised code.
 */
export class Replay {
  private readonly input: RunInput;
  private readonly bars: readonly BarSeries[];
  private readonly n: number;
  private readonly symbols: readonly string[];
  private readonly ex: PaperExchange;
  private readonly book: PaperExchange["book"];
  private readonly gates: GateState;
  private readonly spot: boolean;
  private readonly timeline: Float64Array;
  private readonly equity: EquityRecorder;
  private readonly funding: FundingLedger;
  private readonly manager: PositionManager;
  private readonly onProgress: ((done: number, total: number) => void) | null;
  private readonly capToStop: boolean;
  /** The version-2 strategy's broker, or null (signals drive the run). */
  private readonly broker: Broker | null;
  private readonly tradeOnClose: boolean;
  private readonly trailOnClose: boolean;
  /** Rows where nothing is open or queued may be skipped (`skipFlat`); false with `generalLoop`. */
  private readonly skipFlatRows: boolean;
  /** One symbol's quiet bars may be run by `holdQuietly`: no mark prices, detail bars or close-referenced trail. */
  private readonly quietHolds: boolean;

  /** Bar columns per symbol, copied out of the series so the loop sees one object shape. */
  private readonly time: Float64Array[];
  private readonly open: Float64Array[];
  private readonly close: Float64Array[];
  private readonly length: Int32Array;
  private readonly timeframe: Float64Array;

  /** Sparse signals per symbol, as columns. */
  private readonly signalIndex: Int32Array[];
  private readonly signalAction: Int8Array[];
  private readonly signalConfidence: Float64Array[];
  private readonly signalScore: Float64Array[];
  private readonly signalSize: Float64Array[];
  private readonly signalCount: Int32Array;
  private readonly signalCursor: Int32Array;

  private readonly cursor: Int32Array;
  private readonly lastClose: Float64Array;
  private readonly active: Int32Array;
  private readonly pendingExit: Uint8Array;
  private readonly pendingSide: Int8Array;
  private readonly pendingMargin: Float64Array;
  private readonly pendingLeverage: Float64Array;
  private readonly pendingQuantity: Float64Array;
  private readonly pendingDecisionId: Float64Array;
  private readonly pendingConfidence: Float64Array;
  private readonly pendingScore: Float64Array;
  private readonly pendingPlan: (ExitPlan | null)[];

  private pendingEntries = 0;
  private signalsSeen = 0;
  private intents = 0;
  private barCount = 0;
  private leverageCapped = 0;

  constructor(input: RunInput) {
    const bars = input.data.bars;
    const n = bars.length;
    this.input = input;
    this.bars = bars;
    this.n = n;
    this.symbols = bars.map((series) => series.symbol);
    const execution = input.execution ?? DEFAULT_EXECUTION;
    this.ex = new PaperExchange(this.symbols, input.exchange, input.initialBalance, input.onTradeClosed ?? null, execution);
    if (input.traceLevels === true) this.ex.trace = new LevelTrace();
    this.tradeOnClose = execution.fillTiming === "signal-close";
    this.trailOnClose = execution.trailingReference === "close";
    this.skipFlatRows = input.generalLoop !== true && input.strategy === undefined;
    this.book = this.ex.book;
    this.gates = new GateState(this.symbols, input.gates);
    this.spot = input.exchange.market === "spot";
    const buffers = activeReplayBuffers();
    this.timeline = mergeTimelines(bars, buffers);
    this.equity = buffers === null ? new EquityRecorder(this.timeline, input.initialBalance)
      : new EquityRecorder(this.timeline, input.initialBalance, (k, rows) => buffers.column(EQUITY_COLUMNS_FROM + k, rows), buffers.recorded);
    const spot = this.spot;
    this.funding = new FundingLedger(bars.map((series) =>
      spot || series.length === 0 ? NO_FUNDING
        : fundingScheduleOf(series, input.data.funding.get(series.symbol), input.exchange.fundingRate, input.exchange.fundingIntervalMs)));
    const mark = input.data.mark === undefined || spot ? null : new MarkPrices(bars, input.data.mark);
    this.manager = new PositionManager(this.ex, MODES[input.intrabarMode], bars.map((series) => input.data.detail?.get(series.symbol) ?? null), mark);
    this.onProgress = input.onProgress ?? null;
    this.quietHolds = n === 1 && mark === null && this.manager.detail[0] === null && !this.trailOnClose;
    this.capToStop = input.capLeverageToStop === true && !spot;
    this.lastClose = new Float64Array(n).fill(NaN);
    this.broker = input.strategy === undefined ? null : new Broker(
      this.ex, bars, input.strategy, new OrderWalker(this.ex, this.manager, MODES[input.intrabarMode]),
      createOrderResolver({
        sizeEntry: input.sizeEntry, planExit: input.planExit, planExitOfKind: input.planExitOfKind, maxLeverage: input.maxLeverage,
        spot, lotSize: input.exchange.lotSize, execution,
      }),
      execution, this.lastClose, () => this.equity.lastEquity(), input.strategyParams ?? {},
    );

    this.time = bars.map((series) => series.time);
    this.open = bars.map((series) => series.open);
    this.close = bars.map((series) => series.close);
    this.length = Int32Array.from(bars, (series) => series.length);
    this.timeframe = Float64Array.from(bars, (series) => series.timeframeMs);

    const signals = bars.map((series) => {
      const given = input.signals.bySymbol.get(series.symbol);
      return given === undefined ? NO_SIGNALS : asSparseSignals(given);
    });
    this.signalIndex = signals.map((sparse) => sparse.index);
    this.signalAction = signals.map((sparse) => sparse.action);
    this.signalConfidence = signals.map((sparse) => sparse.confidence);
    this.signalScore = signals.map((sparse) => sparse.score);
    this.signalSize = signals.map((sparse) => sparse.sizeMultiplier);
    this.signalCount = Int32Array.from(signals, (sparse) => sparse.length);
    // Every entry takes a signal: the ledgers start with room for that many trades (capped, so
    // dense signals that mostly do not trade reserve at most a few MB) instead of doubling from 256.
    let signalTotal = 0;
    for (const sparse of signals) signalTotal += sparse.length;
    this.ex.reserveTrades(Math.min(signalTotal, LEDGER_RESERVE_TRADES));
    this.signalCursor = new Int32Array(n);

    this.cursor = new Int32Array(n);
    this.active = new Int32Array(n);
    this.pendingExit = new Uint8Array(n);
    this.pendingSide = new Int8Array(n);
    this.pendingMargin = new Float64Array(n);
    this.pendingLeverage = new Float64Array(n);
    this.pendingQuantity = new Float64Array(n);
    this.pendingDecisionId = new Float64Array(n).fill(NaN);
    this.pendingConfidence = new Float64Array(n);
    this.pendingScore = new Float64Array(n);
    this.pendingPlan = new Array<ExitPlan | null>(n).fill(null);
  }

  /**
   * Every timestamp of the merged timeline, in order, in chunks of `PROGRESS_EVERY` rows with
   * the progress report between them. The report is not a branch inside the row loop: V8
   * compiles that loop while it runs (on-stack replacement) from the feedback gathered so
   * far, and a branch first taken at row 65 536 (or the code after the loop) would throw the
   * compiled code away and start compiling again — tens of milliseconds of a one-off run.
   */
  loop(): void {
    const rows = this.timeline.length;
    const onProgress = this.onProgress;
    const single = this.n === 1 && this.skipFlatRows;
    for (let from = 0; from < rows; from += PROGRESS_EVERY) {
      const to = Math.min(rows, from + PROGRESS_EVERY);
      if (single) this.loopOne(from, to);
      else this.loopRows(from, to);
      if (to < rows && onProgress !== null) onProgress(to, rows);
    }
    if (onProgress !== null) onProgress(rows, rows);
  }

  /**
   * Rows [from, to) of a signal-driven run of one symbol: `loopRows` with the symbol's bars
   * as the rows (bar i is row i) — no search for the symbols active at a row, no loops over
   * them. Step for step the same as `loopRows`.
   */
  loopOne(from: number, to: number): void {
    const ex = this.ex;
    const book = this.book;
    const account = ex.account;
    const nextFunding = this.funding.nextTime;
    const time = this.time[0];
    const close = this.close[0];
    const timeframe = this.timeframe[0];
    const lastClose = this.lastClose;
    const pendingExit = this.pendingExit;
    const pendingSide = this.pendingSide;
    const signalIndex = this.signalIndex[0];
    const signalCount = this.signalCount[0];
    const signalCursor = this.signalCursor;
    const cursor = this.cursor;
    const trailOnClose = this.trailOnClose;
    const series = this.bars[0];
    const quiet = this.quietHolds;
    for (let i = from; i < to; i++) {
      if (account.openPositions === 0 && this.pendingEntries === 0) {
        i = this.skipFlat(i, to);
        if (i === to) break;
      } else if (quiet && book.side[0] !== 0 && pendingSide[0] === 0 && pendingExit[0] === 0 && (book.plan[0] as ExitPlan).trailing === null) {
        i = this.holdQuietly(i, to);
        if (i === to) break;
      }
      const t = time[i];
      this.barCount++;
      // Step 1.
      if (nextFunding[0] < t) this.settleGap(0, i);
      if (pendingExit[0] === 1) this.exitOnSignal(0, i);
      if (pendingSide[0] !== 0) this.fillEntry(0, i);
      // Steps 2–4.
      if (nextFunding[0] < t + timeframe) this.settleInBar(0, i, i);
      if (book.side[0] !== 0) {
        book.barsHeld[0]++;
        if (this.manager.manage(0, series, i)) this.gates.lastEntryOrExitTime[0] = t;
        else if (book.barsHeld[0] >= book.maxHoldingBars[0]) this.exitOnTime(0, i, i);
      }
      if (trailOnClose && book.side[0] !== 0) ratchetTrailOnClose(ex, 0, series, i);
      lastClose[0] = close[i];
      // Step 5.
      this.equity.record(i, ex, lastClose);
      // Steps 6–10.
      cursor[0] = i + 1;
      const k = signalCursor[0];
      if (k < signalCount && signalIndex[k] === i) {
        signalCursor[0] = k + 1;
        this.decide(0, i, k, i);
        if (this.tradeOnClose) this.fillAtClose(0, i, i);
      }
    }
  }

  /**
   * Bars [from, end) of one symbol's open position on which the step can only count the bar
   * held, move the excursions and mark the position to the close (engine/quietBars.ts), up to
   * the next signal, bar a level can fill in, or time exit; a funding time is paid as steps 1–2
   * of `loopOne` would (its bar is then quiet or not with the new liquidation price). The
   * caller has ruled out a trailing stop and, by `quietHolds`, mark prices, detail bars and a
   * close-referenced trail. Returns `end`, the first bar left to `loopOne`: at most its steps
   * 1–2 are done, and `loopOne` finds nothing left for them.
   */
  private holdQuietly(from: number, to: number): number {
    const ex = this.ex;
    const book = ex.book;
    const series = this.bars[0];
    const time = series.time;
    const timeframe = series.timeframeMs;
    const nextFunding = this.funding.nextTime;
    const k = this.signalCursor[0];
    const last = k < this.signalCount[0] ? Math.min(to, this.signalIndex[0][k]) : to;
    let i = from;
    for (;;) {
      const end = quietBarsEnd(book, 0, series, i, last, nextFunding[0]);
      if (end > i) {
        holdThrough(book, 0, series, i, end);
        this.equity.recordHeld(i, end, ex, 0, series.close);
        this.lastClose[0] = series.close[end - 1];
        this.barCount += end - i;
        this.cursor[0] = end;
        i = end;
      }
      if (i === last || !(nextFunding[0] < time[i] + timeframe)) return i;
      if (nextFunding[0] < time[i]) this.settleGap(0, i);
      this.settleInBar(0, i, i);
      if (book.side[0] === 0) return i;
    }
  }

  /** Rows [from, to) of the merged timeline. */
  loopRows(from: number, to: number): void {
    const n = this.n;
    const timeline = this.timeline;
    const ex = this.ex;
    const book = this.book;
    const gates = this.gates;
    const funding = this.funding;
    const cursor = this.cursor;
    const active = this.active;
    const lastClose = this.lastClose;
    const time = this.time;
    const open = this.open;
    const close = this.close;
    const length = this.length;
    const timeframe = this.timeframe;
    const pendingExit = this.pendingExit;
    const pendingSide = this.pendingSide;
    const signalIndex = this.signalIndex;
    const signalCount = this.signalCount;
    const signalCursor = this.signalCursor;
    const broker = this.broker;
    const trailOnClose = this.trailOnClose;
    const account = ex.account;
    const skipFlatRows = this.skipFlatRows;
    for (let row = from; row < to; row++) {
      // Nothing open, nothing queued: jump to the next row with a signal (see skipFlat).
      if (skipFlatRows && account.openPositions === 0 && this.pendingEntries === 0) {
        row = this.skipFlat(row, to);
        if (row === to) break;
      }
      const t = timeline[row];
      let activeCount = 0;
      for (let s = 0; s < n; s++) {
        const i = cursor[s];
        if (i < length[s] && time[s][i] === t) active[activeCount++] = s;
      }
      this.barCount += activeCount;

      // Step 1: funding times that fell in a data gap are paid at the last close before them,
      // on the quantity open then; then queued orders fill at the open, exits before entries.
      // (No double such as `t` is passed to a call from this loop: V8 would box it once per
      // row, on every row. The rare branches take the row and read the time themselves.)
      for (let a = 0; a < activeCount; a++) {
        const s = active[a];
        if (funding.nextTime[s] < t) this.settleGap(s, row);
        if (pendingExit[s] === 1) this.exitOnSignal(s, row);
        if (broker !== null) this.openOrders(s, row);
      }
      if (this.pendingEntries > 0) {
        for (let a = 0; a < activeCount; a++) {
          const s = active[a];
          if (pendingSide[s] !== 0) this.fillEntry(s, row);
        }
      }

      for (let a = 0; a < activeCount; a++) {
        const s = active[a];
        const i = cursor[s];
        // Step 2: funding times inside this bar, paid on what is open now, at the open.
        if (funding.nextTime[s] < t + timeframe[s]) this.settleInBar(s, row, i);
        // Step 3: manage the open position along the intrabar path.
        if (book.side[s] !== 0) {
          book.barsHeld[s]++;
          if (this.manager.manage(s, this.bars[s], i)) gates.lastEntryOrExitTime[s] = t;
          // Step 4: time exit at this bar's close.
          else if (book.barsHeld[s] >= book.maxHoldingBars[s]) this.exitOnTime(s, row, i);
        } else if (broker !== null && broker.hasResting(s)) this.walkResting(s, row, i);
        if (trailOnClose && book.side[s] !== 0) ratchetTrailOnClose(this.ex, s, this.bars[s], i);
        lastClose[s] = close[s][i];
      }

      // Step 5: mark to market.
      this.equity.record(row, ex, lastClose);

      // Steps 6–10: signals at the close, gates, sizing, exit plan, queue for the next open.
      for (let a = 0; a < activeCount; a++) {
        const s = active[a];
        const i = cursor[s];
        cursor[s] = i + 1;
        const k = signalCursor[s];
        if (k < signalCount[s] && signalIndex[s][k] === i) {
          signalCursor[s] = k + 1;
          this.decide(s, i, k, row);
          if (this.tradeOnClose) this.fillAtClose(s, i, row);
        }
        if (broker !== null) this.strategyAtClose(s, i, row);
      }
    }
  }

  /**
   * Rows [row, end) of a signal-driven run in which every symbol is flat with no exit or entry
   * queued, up to the first row holding a symbol's next signal (or `to`): on them the replay
   * would only pass funding times unpaid (counted), keep each symbol's last close and record
   * the cash as equity — done here for the whole run of rows at once. Returns `end`, the
   * row the loop replays next. With one symbol its bars are the timeline's rows.
   */
  private skipFlat(row: number, to: number): number {
    const n = this.n;
    let endTime = Infinity;
    for (let s = 0; s < n; s++) {
      if (this.pendingExit[s] !== 0 || this.pendingSide[s] !== 0) return row;
      const k = this.signalCursor[s];
      if (k < this.signalCount[s]) endTime = Math.min(endTime, this.time[s][this.signalIndex[s][k]]);
    }
    const timeline = this.timeline;
    const end = n === 1 ? Math.min(to, this.signalCursor[0] < this.signalCount[0] ? this.signalIndex[0][this.signalCursor[0]] : to)
      : firstAtOrAfter(timeline, row, to, endTime);
    if (end === row) return row;
    const endRowTime = end < timeline.length ? timeline[end] : Infinity;
    for (let s = 0; s < n; s++) {
      const first = this.cursor[s];
      const next = n === 1 ? end : firstAtOrAfter(this.time[s], first, this.length[s], endRowTime);
      if (next === first) continue;
      this.barCount += next - first;
      this.lastClose[s] = this.close[s][next - 1];
      const limit = this.time[s][next - 1] + this.timeframe[s];
      if (this.funding.nextTime[s] < limit) this.funding.settleBefore(this.ex, s, limit, NaN, this.time[s][next - 1]);
      this.cursor[s] = next;
    }
    this.equity.recordFlat(row, end, this.ex, this.lastClose);
    return end;
  }

  /** Step 1: funding times in a data gap before row `row`, paid at the last close before them. */
  private settleGap(s: number, row: number): void {
    this.funding.settleBefore(this.ex, s, this.timeline[row], this.lastClose[s], this.timeline[row]);
  }

  /** Step 2: funding times inside bar `i` of symbol `s`, paid at its open. */
  private settleInBar(s: number, row: number, i: number): void {
    this.funding.settleBefore(this.ex, s, this.timeline[row] + this.timeframe[s], this.open[s][i], this.timeline[row]);
  }

  /** Step 1: an exit queued at the previous close (a close or reverse signal) fills at this open. */
  private exitOnSignal(s: number, row: number): void {
    this.pendingExit[s] = 0;
    if (this.book.side[s] === 0) return;
    const t = this.timeline[row];
    this.ex.closeAtMarket(s, REASON_SIGNAL, this.open[s][this.cursor[s]], t);
    this.gates.lastEntryOrExitTime[s] = t;
  }

  /** Step 4: the plan's time limit closes the position at this bar's close. */
  private exitOnTime(s: number, row: number, i: number): void {
    const t = this.timeline[row];
    this.ex.closeAtMarket(s, REASON_TIME, this.close[s][i], t);
    this.gates.lastEntryOrExitTime[s] = t;
  }

  /** Step 1 for a version-2 strategy: its close, then its market entries, at this open. */
  private openOrders(s: number, row: number): void {
    const t = this.timeline[row];
    (this.broker as Broker).atOpen(s, this.cursor[s], t);
    if (this.book.side[s] !== 0 && this.book.entryTime[s] === t) this.gates.lastEntryOrExitTime[s] = t;
  }

  /** Step 3 for a flat symbol with resting orders: they act along the path; a fill is managed along the rest of it. */
  private walkResting(s: number, row: number, i: number): void {
    (this.broker as Broker).walkResting(s, i);
    const book = this.book;
    if (book.side[s] !== 0 && book.barsHeld[s] >= book.maxHoldingBars[s]) this.exitOnTime(s, row, i);
  }

  /** Steps 6–10 for a version-2 strategy: expiry, `onBar(view, ctx)`, trade-on-close fills. */
  private strategyAtClose(s: number, i: number, row: number): void {
    (this.broker as Broker).atClose(s, i, this.timeline[row]);
  }

  /** `fillTiming: signal-close`: the exit and entry just decided fill at this bar's close (trade on close). */
  private fillAtClose(s: number, i: number, row: number): void {
    const t = this.timeline[row];
    if (this.pendingExit[s] === 1) {
      this.pendingExit[s] = 0;
      if (this.book.side[s] !== 0) {
        this.ex.closeAtMarket(s, REASON_SIGNAL, this.close[s][i], t);
        this.gates.lastEntryOrExitTime[s] = t;
      }
    }
    if (this.pendingSide[s] !== 0) this.fillEntryAt(s, row, this.close[s][i]);
  }

  /** Step 1 for an entry queued at the previous close: it fills at this bar's open. */
  private fillEntry(s: number, row: number): void {
    this.fillEntryAt(s, row, this.open[s][this.cursor[s]]);
  }

  private fillEntryAt(s: number, row: number, price: number): void {
    const t = this.timeline[row];
    const side = this.pendingSide[s] as 1 | -1;
    this.pendingSide[s] = 0;
    this.pendingEntries--;
    const plan = this.pendingPlan[s] as ExitPlan;
    this.pendingPlan[s] = null;
    if (this.book.side[s] !== 0) return;
    if (this.ex.openPosition(s, side, price, t, this.pendingMargin[s], this.pendingQuantity[s],
      this.pendingLeverage[s], this.pendingConfidence[s], this.pendingScore[s], plan, this.pendingDecisionId[s])) {
      this.gates.lastEntryOrExitTime[s] = t;
    }
  }

  /** Steps 6–10 for signal `k` of symbol `s` at the close of bar `i` (row `row`). */
  private decide(s: number, i: number, k: number, row: number): void {
    const t = this.timeline[row];
    const input = this.input;
    const ex = this.ex;
    const side = this.signalAction[s][k] as 1 | -1;
    this.signalsSeen++;
    const decisionTime = t + this.timeframe[s];
    const confidence = this.signalConfidence[s][k];
    const score = this.signalScore[s][k];
    const decision = evaluateGates(this.gates, input.gates, s, side, confidence, decisionTime, this.book.side[s],
      ex.account.openPositions + this.pendingEntries, this.spot);
    if (decision === DECISION_DROP) return;
    this.intents++;
    if (decision === DECISION_CLOSE || decision === DECISION_REVERSE) this.pendingExit[s] = 1;
    if (decision === DECISION_CLOSE) return;
    const context = new Decision(
      this.symbols[s], s, this.bars[s], i, decisionTime, side, confidence, score, this.signalSize[s][k],
      this.equity.lastEquity(), ex, input.gates.maxOpenPositions,
    );
    const sizing = input.sizeEntry(context);
    const quantity = sizing?.quantity ?? 0;
    if (sizing === null || !(sizing.marginUsd > 0 || quantity > 0)) {
      this.gates.drop(GATE_SIZING);
      return;
    }
    // Spot trades without leverage (SPEC §6.1); perps are capped by RM_MAX_LEVERAGE.
    const leverage = this.spot ? 1 : Math.max(1, Math.min(sizing.leverage, input.maxLeverage));
    // Object.assign, not a spread: the same own properties in the same order, but V8 ran
    // `{ ...sizing, leverage, quantity }` through its slow path on every decision (most of
    // decide's time in the bench's ai scenario).
    let sized: SizingDecision = Object.assign({}, sizing, { leverage, quantity });
    let plan = input.planExit(context, sized);
    if (this.capToStop && plan.stopLossPct !== null) {
      // Liquidation sits 1/L − mmr from the entry; the stop must be nearer: L < 1/(sl + mmr).
      const capped = cappedLeverageForStop(leverage, plan.stopLossPct, input.exchange.maintenanceMarginRate);
      if (capped !== null) {
        sized = { ...sized, leverage: capped };
        plan = input.planExit(context, sized);
        this.leverageCapped++;
      }
    }
    this.pendingSide[s] = side;
    this.pendingMargin[s] = sized.marginUsd;
    this.pendingLeverage[s] = sized.leverage;
    this.pendingQuantity[s] = quantity;
    this.pendingDecisionId[s] = sizing.decisionId ?? NaN;
    this.pendingConfidence[s] = confidence;
    this.pendingScore[s] = score;
    this.pendingPlan[s] = plan;
    this.pendingEntries++;
  }

  /** After the last bar: record what is still open, close it at its last close (END), summarise. */
  finish(): RunResult {
    const ex = this.ex;
    this.broker?.finish();
    const openAtEnd = collectOpenPositions(ex);
    for (let s = 0; s < this.n; s++) {
      if (this.book.side[s] === 0) continue;
      const series = this.bars[s];
      ex.closeAtMarket(s, REASON_END, series.close[series.length - 1], series.time[series.length - 1]);
    }
    if (this.timeline.length > 0) this.equity.record(this.timeline.length - 1, ex, this.lastClose);
    const funding = this.funding;
    return summarizeRun(ex, this.equity.curve(), openAtEnd, this.n === 0 ? 0 : this.bars[0].timeframeMs, this.gates.dropCounts(), {
      bars: this.barCount,
      timestamps: this.timeline.length,
      signals: this.signalsSeen,
      intents: this.intents,
      pathDependentFills: this.manager.pathDependentFills,
      detailFallbacks: this.manager.detailFallbacks,
      detailBarsUsed: this.manager.detailBarsUsed,
      fundingTimesPaid: funding.timesPaid,
      fundingTimesFromData: funding.timesFromData,
      fundingTimesFromConstant: funding.timesFromConstant,
      fundingTimesUncovered: funding.timesUncovered,
      leverageCappedToStop: this.leverageCapped,
      unfilledAtEnd: this.pendingEntries,
      orders: this.broker === null ? null : this.broker.counters,
      liquidation: liquidationCounters(ex, this.manager.mark),
      execution: this.ex.liquidationOff || this.tradeOnClose || this.trailOnClose || this.broker !== null ? this.input.execution ?? DEFAULT_EXECUTION : null,
    });
  }
}

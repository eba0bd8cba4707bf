import { FundingLedger } from "./fundingLedger.js";
import { buildFundingSchedule, fundingScheduleOf } from "./fundingSchedule.js";
import { GateState, type GateSettings } from "./gates.js";
import { MODE_DEFAULT, MODE_OPTIMISTIC, MODE_PESSIMISTIC } from "./intrabar.js";
import { PositionManager } from "./positionManager.js";
import { MarkPrices } from "./markPrices.js";
import { PaperExchange } from "./paperExchange.js";
import { EquityRecorder } from "./equityRecorder.js";
import { activeReplayBuffers, EQUITY_COLUMNS_FROM } from "./replayBuffers.js";
import { mergeTimelines } from "./timeline.js";
import { asSparseSignals } from "./sparseSignals.js";
import { Broker } from "./broker.js";
import { LevelTrace } from "./levelTrace.js";
import type { BarCloseStrategy } from "./orderTypes.js";
import { OrderWalker } from "./orderWalk.js";
import { createOrderResolver } from "./resolveOrder.js";
import {
  DEFAULT_EXECUTION, type BarSeries, type ExchangeSettings, type ExecutionSettings, type ExitPlan, type IntrabarMode, type MarketData,
  type PlanSource, type SignalSet, type SparseSignals, type Trade,
} from "./types.js";

import type { DecisionContext, SizingDecision } from "./decisionTypes.js";

/** The most trades the ledgers reserve room for at the start (~2.5 MB of trade and fill columns). */
const LEDGER_RESERVE_TRADES = 1 << 14;

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
   * nothing is open (`Replay.loopOne`, engine/skipFlat.ts). The results are the same bytes either
   * way; tests run both and compare them. Default false.
   */
  readonly generalLoop?: boolean;
}

const MODES: Record<IntrabarMode, number> = { default: MODE_DEFAULT, pessimistic: MODE_PESSIMISTIC, optimistic: MODE_OPTIMISTIC };
const NO_FUNDING = buildFundingSchedule(undefined, null, 1, 0, 0);
const NO_SIGNALS: SparseSignals = {
  sparse: true, length: 0, index: new Int32Array(0), action: new Int8Array(0),
  confidence: new Float64Array(0), score: new Float64Array(0), sizeMultiplier: new Float64Array(0),
};

/**
 * The state of one replay; engine/replay.ts `Replay` adds the loop over its timeline. The
 * per-timestamp loops (`loopRows`: engine/replayRows.ts, `loopOne`: engine/replayOneSymbol.ts)
 * are functions of their own with nothing after them, reading only this object's fields: V8
 * then optimises each once and keeps the optimised code from run to run (a sweep runs
 * thousands in one process). Code that runs once per run, or once per signal, lives in other
 * functions (engine/replaySteps.ts, engine/replayEntries.ts, engine/skipFlat.ts,
 * engine/finishReplay.ts) so that its first execution cannot discard a loop's optimised code.
 * They are free functions taking the state, not closures; they only ever see `Replay`
 * instances (one object shape), so they stay monomorphic as the methods they were. The fields
 * are public for them; the package exports only `runBacktest` (engine/index.ts).
 */
export class ReplayState {
  readonly input: RunInput;
  readonly bars: readonly BarSeries[];
  readonly n: number;
  readonly symbols: readonly string[];
  readonly ex: PaperExchange;
  readonly book: PaperExchange["book"];
  readonly gates: GateState;
  readonly spot: boolean;
  readonly timeline: Float64Array;
  readonly equity: EquityRecorder;
  readonly funding: FundingLedger;
  readonly manager: PositionManager;
  readonly onProgress: ((done: number, total: number) => void) | null;
  readonly capToStop: boolean;
  /** The version-2 strategy's broker, or null (signals drive the run). */
  readonly broker: Broker | null;
  readonly tradeOnClose: boolean;
  readonly trailOnClose: boolean;
  /** Rows where nothing is open or queued may be skipped (`skipFlat`); false with `generalLoop`. */
  readonly skipFlatRows: boolean;
  /** One symbol's quiet bars may be run by `holdQuietly`: no mark prices, detail bars or close-referenced trail. */
  readonly quietHolds: boolean;

  /** Bar columns per symbol, copied out of the series so the loop sees one object shape. */
  readonly time: Float64Array[];
  readonly open: Float64Array[];
  readonly close: Float64Array[];
  readonly length: Int32Array;
  readonly timeframe: Float64Array;

  /** Sparse signals per symbol, as columns. */
  readonly signalIndex: Int32Array[];
  readonly signalAction: Int8Array[];
  readonly signalConfidence: Float64Array[];
  readonly signalScore: Float64Array[];
  readonly signalSize: Float64Array[];
  readonly signalCount: Int32Array;
  readonly signalCursor: Int32Array;

  readonly cursor: Int32Array;
  readonly lastClose: Float64Array;
  readonly active: Int32Array;
  readonly pendingExit: Uint8Array;
  readonly pendingSide: Int8Array;
  readonly pendingMargin: Float64Array;
  readonly pendingLeverage: Float64Array;
  readonly pendingQuantity: Float64Array;
  readonly pendingDecisionId: Float64Array;
  readonly pendingConfidence: Float64Array;
  readonly pendingScore: Float64Array;
  readonly pendingPlan: (ExitPlan | null)[];

  pendingEntries = 0;
  signalsSeen = 0;
  intents = 0;
  barCount = 0;
  leverageCapped = 0;

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
    buffers?.beginRun();
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
}

import { ExitlabError, type MarketData } from "../../engine/index.js";
import { dailyReturnsOf } from "../../reports/overfitting/dailyReturns.js";
import { numericStatNames, numericStatOf } from "../../reports/workflows/statFields.js";
import { ledgerTradeFingerprint, tradeFingerprint } from "../../reports/workflows/tradeFingerprint.js";
import type { SignalInputs } from "../../strategies/buildRun.js";
import { configSchema, type RunConfig } from "../../strategies/config.js";
import type { WarnedSignalSet } from "../../strategies/warnings/signalWarnings.js";
import type { CellOutcome, CellRun } from "../sweep/cellRunner.js";
import { canonicalJson, deepFreeze } from "../sweep/grid.js";
import { viewMarketData, type SharedMarketData } from "../sweep/sharedData.js";
import { runSegment, segmentSignals, segmentView, type Segment, type SegmentView } from "./segment.js";

/**
 * One in-sample cell of a walk-forward window, run in a worker thread of the walk-forward's
 * pool: the sweep cell's outcome (every scalar metric, the trade fingerprint, daily returns),
 * measured over the window's training part only (segment.ts), so the sweep's ranking, TPE loss
 * and overfitting statistics apply unchanged.
 */
export interface WindowCellTask {
  readonly cellId: string;
  readonly config: unknown;
  readonly data: SharedMarketData;
  readonly segment: Segment;
  /** Names the part in errors, e.g. "window 2 (train)". */
  readonly label: string;
}

// Per thread: the views over the shared data, and each segment's view and signals by signal config.
let viewed: { hash: string; data: MarketData } | null = null;
const prepared = new Map<string, Promise<{ view: SegmentView; inputs: SignalInputs; signals: WarnedSignalSet }>>();

export async function runWindowCell(task: WindowCellTask): Promise<CellRun> {
  const startedMs = performance.now();
  if (viewed === null || viewed.hash !== task.data.hash) {
    viewed = { hash: task.data.hash, data: viewMarketData(task.data) };
    prepared.clear();
  }
  const config = deepFreeze(configSchema.parse(task.config)) as RunConfig;
  const outcome = await windowCellOutcome(config, viewed.data, task.segment, task.label);
  return { outcome, elapsedMs: Math.round(performance.now() - startedMs) };
}

async function windowCellOutcome(config: RunConfig, data: MarketData, segment: Segment, label: string): Promise<CellOutcome> {
  try {
    const key = `${segment.warmFromMs}|${segment.fromMs}|${segment.toMs}|${canonicalJson(config.signals)}`;
    let ready = prepared.get(key);
    if (ready === undefined) {
      const view = segmentView(data, segment, label);
      ready = segmentSignals(config, view).then((made) => ({ view, ...made }));
      prepared.set(key, ready);
    }
    const { view, inputs, signals } = await ready;
    const { run, equity, stats } = runSegment(config, view, inputs, signals, segment);
    const metrics: Record<string, number | null> = {};
    for (const name of numericStatNames(stats)) metrics[name] = numericStatOf(stats, name) ?? null;
    const ledgers = run.result.ledgers;
    return {
      status: "done", metrics,
      tradeFingerprint: ledgers === undefined ? tradeFingerprint(run.result.trades) : ledgerTradeFingerprint(ledgers.trades),
      dailyReturns: dailyReturnsOf(equity.time, equity.equity, config.initialBalance),
    };
  } catch (error) {
    if (error instanceof ExitlabError) return { status: "failed", message: error.oneLine() };
    throw error;
  }
}

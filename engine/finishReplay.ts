import { liquidationCounters } from "./liquidationCounters.js";
import { REASON_END } from "./ledgers.js";
import { collectOpenPositions, summarizeRun } from "./runSummary.js";
import type { ReplayState } from "./replayState.js";
import { DEFAULT_EXECUTION, type RunResult } from "./types.js";

/** After the last bar: record what is still open, close it at its last close (END), summarise. */
export function finishReplay(replay: ReplayState): RunResult {
  const ex = replay.ex;
  replay.broker?.finish();
  const openAtEnd = collectOpenPositions(ex);
  for (let s = 0; s < replay.n; s++) {
    if (replay.book.side[s] === 0) continue;
    const series = replay.bars[s];
    ex.closeAtMarket(s, REASON_END, series.close[series.length - 1], series.time[series.length - 1]);
  }
  if (replay.timeline.length > 0) replay.equity.record(replay.timeline.length - 1, ex, replay.lastClose);
  const funding = replay.funding;
  return summarizeRun(ex, replay.equity.curve(), openAtEnd, replay.n === 0 ? 0 : replay.bars[0].timeframeMs, replay.gates.dropCounts(), {
    bars: replay.barCount,
    timestamps: replay.timeline.length,
    signals: replay.signalsSeen,
    intents: replay.intents,
    pathDependentFills: replay.manager.pathDependentFills,
    detailFallbacks: replay.manager.detailFallbacks,
    detailBarsUsed: replay.manager.detailBarsUsed,
    fundingTimesPaid: funding.timesPaid,
    fundingTimesFromData: funding.timesFromData,
    fundingTimesFromConstant: funding.timesFromConstant,
    fundingTimesUncovered: funding.timesUncovered,
    leverageCappedToStop: replay.leverageCapped,
    unfilledAtEnd: replay.pendingEntries,
    orders: replay.broker === null ? null : replay.broker.counters,
    liquidation: liquidationCounters(ex, replay.manager.mark),
    execution: replay.ex.liquidationOff || replay.tradeOnClose || replay.trailOnClose || replay.broker !== null ? replay.input.execution ?? DEFAULT_EXECUTION : null,
  });
}

import { REASON_SIGNAL, REASON_TIME } from "./ledgers.js";
import type { Broker } from "./broker.js";
import type { ReplayState } from "./replayState.js";

/**
 * The steps of SPEC §1 a replay row runs only when they have work — funding in a gap or in the
 * bar, a queued or timed exit, a version-2 strategy's orders — out of the row loops
 * (engine/replayRows.ts, engine/replayOneSymbol.ts) so that their first run cannot discard
 * the loops' optimised code. They take the row, not its time: a double passed from the loop
 * would be boxed on every row.
 */

/** Step 1: funding times in a data gap before row `row`, paid at the last close before them. */
export function settleGap(replay: ReplayState, s: number, row: number): void {
  replay.funding.settleBefore(replay.ex, s, replay.timeline[row], replay.lastClose[s], replay.timeline[row]);
}

/** Step 2: funding times inside bar `i` of symbol `s`, paid at its open. */
export function settleInBar(replay: ReplayState, s: number, row: number, i: number): void {
  replay.funding.settleBefore(replay.ex, s, replay.timeline[row] + replay.timeframe[s], replay.open[s][i], replay.timeline[row]);
}

/** Step 1: an exit queued at the previous close (a close or reverse signal) fills at this open. */
export function exitOnSignal(replay: ReplayState, s: number, row: number): void {
  replay.pendingExit[s] = 0;
  if (replay.book.side[s] === 0) return;
  const t = replay.timeline[row];
  replay.ex.closeAtMarket(s, REASON_SIGNAL, replay.open[s][replay.cursor[s]], t);
  replay.gates.lastEntryOrExitTime[s] = t;
}

/** Step 4: the plan's time limit closes the position at this bar's close. */
export function exitOnTime(replay: ReplayState, s: number, row: number, i: number): void {
  const t = replay.timeline[row];
  replay.ex.closeAtMarket(s, REASON_TIME, replay.close[s][i], t);
  replay.gates.lastEntryOrExitTime[s] = t;
}

/** Step 1 for a version-2 strategy: its close, then its market entries, at this open. */
export function openOrders(replay: ReplayState, s: number, row: number): void {
  const t = replay.timeline[row];
  (replay.broker as Broker).atOpen(s, replay.cursor[s], t);
  if (replay.book.side[s] !== 0 && replay.book.entryTime[s] === t) replay.gates.lastEntryOrExitTime[s] = t;
}

/** Step 3 for a flat symbol with resting orders: they act along the path; a fill is managed along the rest of it. */
export function walkResting(replay: ReplayState, s: number, row: number, i: number): void {
  (replay.broker as Broker).walkResting(s, i);
  const book = replay.book;
  if (book.side[s] !== 0 && book.barsHeld[s] >= book.maxHoldingBars[s]) exitOnTime(replay, s, row, i);
}

/** Steps 6–10 for a version-2 strategy: expiry, `onBar(view, ctx)`, trade-on-close fills. */
export function strategyAtClose(replay: ReplayState, s: number, i: number, row: number): void {
  (replay.broker as Broker).atClose(s, i, replay.timeline[row]);
}

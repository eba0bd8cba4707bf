import { ratchetTrailOnClose } from "./intrabar.js";
import { skipFlat } from "./skipFlat.js";
import { exitOnSignal, exitOnTime, openOrders, settleGap, settleInBar, strategyAtClose, walkResting } from "./replaySteps.js";
import { decide, fillAtClose, fillEntry } from "./replayEntries.js";
import type { ReplayState } from "./replayState.js";

/**
 * Rows [from, to) of the merged timeline: the general loop, any number of symbols, signals or a
 * version-2 strategy (engine/replay.ts `loopRows`). Steps 1–10 of SPEC §1 in the spec's order,
 * over typed arrays; the rare steps are calls out of the loop (engine/replaySteps.ts).
 */
export function replayRows(replay: ReplayState, from: number, to: number): void {
  const n = replay.n;
  const timeline = replay.timeline;
  const ex = replay.ex;
  const book = replay.book;
  const gates = replay.gates;
  const funding = replay.funding;
  const cursor = replay.cursor;
  const active = replay.active;
  const lastClose = replay.lastClose;
  const time = replay.time;
  const open = replay.open;
  const close = replay.close;
  const length = replay.length;
  const timeframe = replay.timeframe;
  const pendingExit = replay.pendingExit;
  const pendingSide = replay.pendingSide;
  const signalIndex = replay.signalIndex;
  const signalCount = replay.signalCount;
  const signalCursor = replay.signalCursor;
  const broker = replay.broker;
  const trailOnClose = replay.trailOnClose;
  const account = ex.account;
  const skipFlatRows = replay.skipFlatRows;
  for (let row = from; row < to; row++) {
    // Nothing open, nothing queued: jump to the next row with a signal (see skipFlat).
    if (skipFlatRows && account.openPositions === 0 && replay.pendingEntries === 0) {
      row = skipFlat(replay, row, to);
      if (row === to) break;
    }
    const t = timeline[row];
    let activeCount = 0;
    for (let s = 0; s < n; s++) {
      const i = cursor[s];
      if (i < length[s] && time[s][i] === t) active[activeCount++] = s;
    }
    replay.barCount += activeCount;

    // Step 1: funding times that fell in a data gap are paid at the last close before them,
    // on the quantity open then; then queued orders fill at the open, exits before entries.
    // (No double such as `t` is passed to a call from this loop: V8 would box it once per
    // row, on every row. The rare branches take the row and read the time themselves.)
    for (let a = 0; a < activeCount; a++) {
      const s = active[a];
      if (funding.nextTime[s] < t) settleGap(replay, s, row);
      if (pendingExit[s] === 1) exitOnSignal(replay, s, row);
      if (broker !== null) openOrders(replay, s, row);
    }
    if (replay.pendingEntries > 0) {
      for (let a = 0; a < activeCount; a++) {
        const s = active[a];
        if (pendingSide[s] !== 0) fillEntry(replay, s, row);
      }
    }

    for (let a = 0; a < activeCount; a++) {
      const s = active[a];
      const i = cursor[s];
      // Step 2: funding times inside this bar, paid on what is open now, at the open.
      if (funding.nextTime[s] < t + timeframe[s]) settleInBar(replay, s, row, i);
      // Step 3: manage the open position along the intrabar path.
      if (book.side[s] !== 0) {
        book.barsHeld[s]++;
        if (replay.manager.manage(s, replay.bars[s], i)) gates.lastEntryOrExitTime[s] = t;
        // Step 4: time exit at this bar's close.
        else if (book.barsHeld[s] >= book.maxHoldingBars[s]) exitOnTime(replay, s, row, i);
      } else if (broker !== null && broker.hasResting(s)) walkResting(replay, s, row, i);
      if (trailOnClose && book.side[s] !== 0) ratchetTrailOnClose(replay.ex, s, replay.bars[s], i);
      lastClose[s] = close[s][i];
    }

    // Step 5: mark to market.
    replay.equity.record(row, ex, lastClose);

    // Steps 6–10: signals at the close, gates, sizing, exit plan, queue for the next open.
    for (let a = 0; a < activeCount; a++) {
      const s = active[a];
      const i = cursor[s];
      cursor[s] = i + 1;
      const k = signalCursor[s];
      if (k < signalCount[s] && signalIndex[s][k] === i) {
        signalCursor[s] = k + 1;
        decide(replay, s, i, k, row);
        if (replay.tradeOnClose) fillAtClose(replay, s, i, row);
      }
      if (broker !== null) strategyAtClose(replay, s, i, row);
    }
  }
}

import { ratchetTrailOnClose } from "./intrabar.js";
import { holdThrough, quietBarsEnd } from "./quietBars.js";
import { skipFlat } from "./skipFlat.js";
import { exitOnSignal, exitOnTime, settleGap, settleInBar } from "./replaySteps.js";
import { decide, fillAtClose, fillEntry } from "./replayEntries.js";
import type { ReplayState } from "./replayState.js";
import type { ExitPlan } from "./types.js";

/**
 * Rows [from, to) of a signal-driven run of one symbol: `loopRows` with the symbol's bars
 * as the rows (bar i is row i) — no search for the symbols active at a row, no loops over
 * them. Step for step the same as `loopRows`.
 */
export function replayOneSymbol(replay: ReplayState, from: number, to: number): void {
  const ex = replay.ex;
  const book = replay.book;
  const account = ex.account;
  const nextFunding = replay.funding.nextTime;
  const time = replay.time[0];
  const close = replay.close[0];
  const timeframe = replay.timeframe[0];
  const lastClose = replay.lastClose;
  const pendingExit = replay.pendingExit;
  const pendingSide = replay.pendingSide;
  const signalIndex = replay.signalIndex[0];
  const signalCount = replay.signalCount[0];
  const signalCursor = replay.signalCursor;
  const cursor = replay.cursor;
  const trailOnClose = replay.trailOnClose;
  const series = replay.bars[0];
  const quiet = replay.quietHolds;
  for (let i = from; i < to; i++) {
    if (account.openPositions === 0 && replay.pendingEntries === 0) {
      i = skipFlat(replay, i, to);
      if (i === to) break;
    } else if (quiet && book.side[0] !== 0 && pendingSide[0] === 0 && pendingExit[0] === 0 && (book.plan[0] as ExitPlan).trailing === null) {
      i = holdQuietly(replay, i, to);
      if (i === to) break;
    }
    const t = time[i];
    replay.barCount++;
    // Step 1.
    if (nextFunding[0] < t) settleGap(replay, 0, i);
    if (pendingExit[0] === 1) exitOnSignal(replay, 0, i);
    if (pendingSide[0] !== 0) fillEntry(replay, 0, i);
    // Steps 2–4.
    if (nextFunding[0] < t + timeframe) settleInBar(replay, 0, i, i);
    if (book.side[0] !== 0) {
      book.barsHeld[0]++;
      if (replay.manager.manage(0, series, i)) replay.gates.lastEntryOrExitTime[0] = t;
      else if (book.barsHeld[0] >= book.maxHoldingBars[0]) exitOnTime(replay, 0, i, i);
    }
    if (trailOnClose && book.side[0] !== 0) ratchetTrailOnClose(ex, 0, series, i);
    lastClose[0] = close[i];
    // Step 5.
    replay.equity.record(i, ex, lastClose);
    // Steps 6–10.
    cursor[0] = i + 1;
    const k = signalCursor[0];
    if (k < signalCount && signalIndex[k] === i) {
      signalCursor[0] = k + 1;
      decide(replay, 0, i, k, i);
      if (replay.tradeOnClose) fillAtClose(replay, 0, i, i);
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
export function holdQuietly(replay: ReplayState, from: number, to: number): number {
  const ex = replay.ex;
  const book = ex.book;
  const series = replay.bars[0];
  const time = series.time;
  const timeframe = series.timeframeMs;
  const nextFunding = replay.funding.nextTime;
  const k = replay.signalCursor[0];
  const last = k < replay.signalCount[0] ? Math.min(to, replay.signalIndex[0][k]) : to;
  let i = from;
  for (;;) {
    const end = quietBarsEnd(book, 0, series, i, last, nextFunding[0]);
    if (end > i) {
      holdThrough(book, 0, series, i, end);
      replay.equity.recordHeld(i, end, ex, 0, series.close);
      replay.lastClose[0] = series.close[end - 1];
      replay.barCount += end - i;
      replay.cursor[0] = end;
      i = end;
    }
    if (i === last || !(nextFunding[0] < time[i] + timeframe)) return i;
    if (nextFunding[0] < time[i]) settleGap(replay, 0, i);
    settleInBar(replay, 0, i, i);
    if (book.side[0] === 0) return i;
  }
}


import type { ReplayState } from "./replayState.js";

/**
 * The first fast path of a signal-driven replay (engine/replay.ts `loopOne`, `loopRows`): rows
 * where every symbol is flat and nothing is queued are run as one block instead of row by row.
 * A free function of the replay's state, not a closure: the loops call it with one object shape.
 */

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

/**
 * Rows [row, end) of a signal-driven run in which every symbol is flat with no exit or entry
 * queued, up to the first row holding a symbol's next signal (or `to`): on them the replay
 * would only pass funding times unpaid (counted), keep each symbol's last close and record
 * the cash as equity — done here for the whole run of rows at once. Returns `end`, the
 * row the loop replays next. With one symbol its bars are the timeline's rows.
 */
export function skipFlat(replay: ReplayState, row: number, to: number): number {
  const n = replay.n;
  let endTime = Infinity;
  for (let s = 0; s < n; s++) {
    if (replay.pendingExit[s] !== 0 || replay.pendingSide[s] !== 0) return row;
    const k = replay.signalCursor[s];
    if (k < replay.signalCount[s]) endTime = Math.min(endTime, replay.time[s][replay.signalIndex[s][k]]);
  }
  const timeline = replay.timeline;
  const end = n === 1 ? Math.min(to, replay.signalCursor[0] < replay.signalCount[0] ? replay.signalIndex[0][replay.signalCursor[0]] : to)
    : firstAtOrAfter(timeline, row, to, endTime);
  if (end === row) return row;
  const endRowTime = end < timeline.length ? timeline[end] : Infinity;
  for (let s = 0; s < n; s++) {
    const first = replay.cursor[s];
    const next = n === 1 ? end : firstAtOrAfter(replay.time[s], first, replay.length[s], endRowTime);
    if (next === first) continue;
    replay.barCount += next - first;
    replay.lastClose[s] = replay.close[s][next - 1];
    const limit = replay.time[s][next - 1] + replay.timeframe[s];
    if (replay.funding.nextTime[s] < limit) replay.funding.settleBefore(replay.ex, s, limit, NaN, replay.time[s][next - 1]);
    replay.cursor[s] = next;
  }
  replay.equity.recordFlat(row, end, replay.ex, replay.lastClose);
  return end;
}

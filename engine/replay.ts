import { ReplayState } from "./replayState.js";
import { replayOneSymbol } from "./replayOneSymbol.js";
import { replayRows } from "./replayRows.js";
import { finishReplay } from "./finishReplay.js";
import type { RunInput } from "./replayState.js";
import type { RunResult } from "./types.js";

export type { DecisionContext, SizingDecision } from "./decisionTypes.js";
export type { RunInput } from "./replayState.js";

const PROGRESS_EVERY = 0x10000;

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
 * One replay: its state (engine/replayState.ts) and the loop over its timeline. The loops and
 * steps are free functions of the state in files of their own (see ReplayState); they only
 * ever see instances of this one class, so their property accesses stay monomorphic.
 */
export class Replay extends ReplayState {
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
   * Rows [from, to) of a signal-driven run of one symbol (engine/replayOneSymbol.ts). A method,
   * called once per chunk, so that tests can see which loop ran.
   */
  loopOne(from: number, to: number): void {
    replayOneSymbol(this, from, to);
  }

  /** Rows [from, to) of the merged timeline (engine/replayRows.ts). */
  loopRows(from: number, to: number): void {
    replayRows(this, from, to);
  }

  /** After the last bar: record what is still open, close it at its last close (END), summarise. */
  finish(): RunResult {
    return finishReplay(this);
  }
}

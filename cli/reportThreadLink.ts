/**
 * The command's side of the report thread (reportThread.ts): `reportRendererOver` posts a
 * run's report input to the thread and later waits for its answer — the sha256 of the
 * report.html it wrote, or the error it met — without the event loop (the worker is busy in
 * synchronous code), on a shared word the thread sets after posting.
 *
 * What is posted is what the page reads (`portableReportInput`): the equity curve's time,
 * equity and drawdown and the bars' prices, not their other columns, so the copy is ~13 MB
 * instead of ~22 MB for 200,000 bars. `revivedReportInput` gives the rest back as empty
 * columns; a page that read them would differ, which tests/cli/reportThread.test.ts would catch.
 */
import { receiveMessageOnPort } from "node:worker_threads";
import { LevelTrace, OtherPathTrace, type BarSeries, type EquityCurve } from "../engine/index.js";
import type { ReportRenderer } from "../reports/html/reportElsewhere.js";
import type { RunReportInput } from "../reports/html/reportInput.js";
import { phaseClock } from "./timings.js";
import { REPORT_THREAD_GONE, REPORT_WAITING, type ReportThreadLink } from "./interruptProtocol.js";

/** What the report thread posts back. */
export type ReportAnswer = { readonly sha256: string; readonly ms: number } | { readonly error: string };

/** A report for the thread to write. */
export interface ReportTask {
  readonly input: RunReportInput;
  readonly path: string;
}

/** A renderer that posts to the report thread, which writes one report (a run's) and ends. */
export function reportRendererOver(link: ReportThreadLink): ReportRenderer {
  const word = new Int32Array(link.answer);
  let used = false;
  return (input, path) => {
    if (used || Atomics.load(word, 0) === REPORT_THREAD_GONE) throw new Error("the report thread has ended; report.html was not written");
    used = true;
    const task: ReportTask = { input: portableReportInput(input), path };
    link.port.postMessage(task);
    return () => {
      Atomics.wait(word, 0, REPORT_WAITING);
      const answer = receiveMessageOnPort(link.port)?.message as ReportAnswer | undefined;
      if (answer === undefined) throw new Error("the report thread ended before it wrote report.html");
      if ("error" in answer) throw new Error(`report.html could not be written by the report thread:\n${answer.error}`);
      phaseClock.elsewhere("report.html", answer.ms);
      return answer.sha256;
    };
  };
}

const NO_VALUES = new Float64Array(0);

/** `input` with only the columns the page reads (a structured clone copies every typed array it holds). */
export function portableReportInput(input: RunReportInput): RunReportInput {
  const { equity, price } = input;
  return {
    ...input,
    equity: { length: equity.length, time: equity.time, equity: equity.equity, drawdown: equity.drawdown } as EquityCurve,
    ...(price === undefined ? {} : {
      price: {
        ...price,
        bars: price.bars.map(({ symbol, timeframeMs, length, time, open, high, low, close }) => ({ symbol, timeframeMs, length, time, open, high, low, close }) as BarSeries),
      },
    }),
  };
}

/** The report input as posted (a structured clone: plain objects), made whole again: the columns left out empty, the level trace a LevelTrace. */
export function revivedReportInput(posted: RunReportInput): RunReportInput {
  const { equity, price } = posted;
  return {
    ...posted,
    equity: { ...equity, balance: NO_VALUES, unrealizedPnl: NO_VALUES, marginUsed: NO_VALUES, exposure: NO_VALUES },
    ...(price === undefined ? {} : {
      price: { ...price, bars: price.bars.map((series) => ({ ...series, volume: NO_VALUES })), levels: revivedLevelTrace(price.levels) },
    }),
  };
}

/** A clone keeps a class instance's fields but not its class: give the trace (and its other-path part) theirs back. */
function revivedLevelTrace(levels: LevelTrace | null): LevelTrace | null {
  if (levels === null) return null;
  Object.setPrototypeOf(levels.otherPath, OtherPathTrace.prototype);
  return Object.setPrototypeOf(levels, LevelTrace.prototype) as LevelTrace;
}

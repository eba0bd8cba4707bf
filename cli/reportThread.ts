/**
 * The report thread: started by the CLI's shell beside the worker of a `backtest` or `tiers`
 * command (interruptShell.ts), it waits for the run's report input, renders report.html into
 * the run's work folder and answers with the file's sha256 — while the worker writes the
 * CSVs and equity.arrow (README "Performance"). It writes only the path it is given, inside
 * the work folder the worker created; a stopped run's folder is removed with it. A run writes
 * one report, so the thread ends once it has answered: its heap is torn down while the worker
 * finishes the folder, not when the process exits.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { renderRunReportParts } from "../reports/html/renderReport.js";
import { writeStreamedFile } from "../reports/outputFolder.js";
import { REPORT_ANSWERED, type ReportThreadLink } from "./interruptProtocol.js";
import { revivedReportInput, type ReportAnswer, type ReportTask } from "./reportThreadLink.js";

const link = workerData as ReportThreadLink;
const word = new Int32Array(link.answer);
const port: MessagePort = link.port;

port.once("message", (task: ReportTask) => {
  let answer: ReportAnswer;
  const started = performance.now();
  try {
    const parts = renderRunReportParts(revivedReportInput(task.input));
    const sha256 = writeStreamedFile(task.path, (sink) => parts.forEach((part) => sink(part)));
    answer = { sha256, ms: performance.now() - started };
  } catch (error) {
    answer = { error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  // cli/bundle.mjs is making the code cache: save it before the answer lets the process end.
  (globalThis as { __exitlabWriteCodeCache?: () => void }).__exitlabWriteCodeCache?.();
  port.postMessage(answer);
  Atomics.store(word, 0, REPORT_ANSWERED);
  Atomics.notify(word, 0);
  // The answer stays on the worker's port after this thread is gone.
  process.exit(0);
});

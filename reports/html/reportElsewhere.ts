/**
 * Where report.html is rendered. By default by the thread that writes the run folder, after
 * the other files. The CLI's `backtest` and `tiers` render it on a thread of their own
 * (cli/reportThread.ts), started with the command: the page, the largest output of a long
 * run, is then made while this thread writes the CSVs and equity.arrow. The bytes are the
 * same either way (tests/cli/reportThread.test.ts).
 */
import type { RunReportInput } from "./reportInput.js";

/** Starts writing `input`'s page to `path` elsewhere; the returned function waits for it and gives the file's sha256. */
export type ReportRenderer = (input: RunReportInput, path: string) => () => string;

let renderer: ReportRenderer | null = null;

export function setReportRenderer(next: ReportRenderer | null): void {
  renderer = next;
}

/** The renderer set for this thread, or null (render here). */
export function reportRenderer(): ReportRenderer | null {
  return renderer;
}

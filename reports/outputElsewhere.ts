/**
 * Where a run folder's larger files are made. By default by the thread that writes the folder,
 * one after the other. The CLI's `backtest` and `tiers` hand equity.csv, trades.csv, fills.csv
 * and equity.arrow to a thread of their own (cli/outputThread.ts), started with the command,
 * which writes them while this thread renders report.html. The bytes are the same either way
 * (fileTasks.ts; tests/cli/outputThread.test.ts).
 */
import type { FileTask } from "./fileTasks.js";
import { streamOfFileTask } from "./fileTasks.js";
import type { StreamedContent } from "./outputFolder.js";

/** Starts writing `task`'s file to `path` elsewhere; the returned function waits for it and gives the file's sha256. */
export type FileWriterElsewhere = (task: FileTask, path: string) => () => string;

let writer: FileWriterElsewhere | null = null;

export function setFileWriterElsewhere(next: FileWriterElsewhere | null): void {
  writer = next;
}

/** A file's content: streamed here, or written elsewhere when this thread has a writer there. */
export function fileTaskContent(task: FileTask): StreamedContent {
  const stream = streamOfFileTask(task);
  const elsewhere = writer;
  return elsewhere === null ? { stream } : { stream, elsewhere: (path) => elsewhere(task, path) };
}

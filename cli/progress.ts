import { createRequire } from "node:module";

/**
 * A progress bar on stderr for long runs (cli-progress), shown only when stderr is a
 * terminal and the run is not `--quiet`: pipes, CI logs and tests see nothing.
 */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

/** Where the bar is drawn: the process's stderr, or (in the CLI's worker thread) a stand-in for it. */
export interface ProgressTerminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

let terminal: ProgressTerminal = process.stderr;

/** Draws the bars on `next` (cli/runWorker.ts: the shell's stderr, through messages). */
export function setProgressTerminal(next: ProgressTerminal): void {
  terminal = next;
}

export function createProgress(label: string, quiet: boolean): Progress {
  if (quiet || terminal.isTTY !== true) return SILENT;
  // Loaded only when a bar is shown (~15 ms of start-up otherwise paid by every run).
  const cliProgress = createRequire(import.meta.url)("cli-progress") as typeof import("cli-progress");
  const bar = new cliProgress.SingleBar({
    stream: terminal as NodeJS.WritableStream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

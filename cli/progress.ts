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

export function createProgress(label: string, quiet: boolean): Progress {
  if (quiet || process.stderr.isTTY !== true) return SILENT;
  // Loaded only when a bar is shown (~15 ms of start-up otherwise paid by every run).
  const cliProgress = createRequire(import.meta.url)("cli-progress") as typeof import("cli-progress");
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
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

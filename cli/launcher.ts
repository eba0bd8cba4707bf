import { hostname } from "node:os";

/**
 * `bin/exitlab.js` runs `sweep` and `worker` in a child process started with
 * `--single-threaded-gc` (see the launcher for why). For the user that child is invisible: the
 * process they started, see in `ps` and kill is the launcher. These helpers keep it so.
 */

/** The launcher's pid when this process was started by it, else null. */
function launcherPid(): string | null {
  return process.env.EXITLAB_LAUNCHER_PID ?? null;
}

/** `host:pid` of the process the user started — how a sweep's journal and table name who ran a cell. */
export function processLabel(): string {
  return `${hostname()}:${launcherPid() ?? process.pid}`;
}

/**
 * Called right before a result is recorded (a journal line, a finished queue job). A launcher
 * killed by SIGKILL cannot pass the signal on, and the child only learns of it when its IPC
 * channel closes (main.ts); in that moment it must not record one more cell than the killed
 * process had. A child whose parent is gone has been re-parented, so its ppid has changed.
 */
export function stopIfLauncherGone(): void {
  const launcher = launcherPid();
  if (launcher !== null && String(process.ppid) !== launcher) process.kill(process.pid, "SIGKILL");
}

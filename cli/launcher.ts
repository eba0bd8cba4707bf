import { hostname } from "node:os";
import { setSweepProcessHooks } from "../workflows/sweep/processHooks.js";

/**
 * `bin/exitlab.js` runs `sweep` and `worker` in a child process started with
 * `--single-threaded-gc` (see the launcher for why). For the user that child is invisible: the
 * process they started, see in `ps` and kill is the launcher. These helpers keep it so.
 */

/** The launcher's pid once `adoptLauncher` found one, else null. */
let launcherPid: string | null = null;

/**
 * Called first thing by main.ts. A process started by the launcher has its pid in
 * EXITLAB_LAUNCHER_PID and an IPC channel to it. When the launcher dies — even by SIGKILL,
 * which it cannot pass on — the channel closes, and this process dies the same way instead of
 * living on unseen. The variable is removed so that processes started from here do not inherit it.
 */
export function adoptLauncher(): void {
  const pid = process.env.EXITLAB_LAUNCHER_PID;
  delete process.env.EXITLAB_LAUNCHER_PID;
  if (pid === undefined || process.channel === undefined) return;
  launcherPid = pid;
  setSweepProcessHooks({ label: processLabel, beforeRecord: stopIfLauncherGone });
  process.on("disconnect", () => process.kill(process.pid, "SIGKILL"));
  process.channel.unref();
}

/** `host:pid` of the process the user started — how a sweep's journal and table name who ran a cell. */
export function processLabel(): string {
  return `${hostname()}:${launcherPid ?? process.pid}`;
}

/**
 * Called right before a result is recorded (a journal line, a finished queue job). The IPC
 * channel's close reaches this process only through its event loop; in that moment it must not
 * record one more cell than the killed launcher had. A child whose parent is gone has been
 * re-parented, so its ppid has changed.
 */
export function stopIfLauncherGone(): void {
  if (launcherPid !== null && String(process.ppid) !== launcherPid) process.kill(process.pid, "SIGKILL");
}

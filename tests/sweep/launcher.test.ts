import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSuiteFolder } from "../cli/cliHarness.js";
import { readCellLines, spawnExitlab, waitForOutput, writeSweepFile, writeSynthData } from "./sweepHarness.js";

/**
 * bin/exitlab.js runs `sweep` and `worker` in a child process with --single-threaded-gc. The
 * child must be invisible: it dies with the launcher, even when the launcher is SIGKILLed, and
 * records no cell after that. Reads /proc (Linux, as CI).
 */

let folder = "";
let data = "";
let sweepFile = "";

/** Pid and state ("R", "S", "Z" …) of the processes whose parent is `parent`, from /proc. */
function childrenOf(parent: number): Array<{ pid: number; state: string }> {
  const found: Array<{ pid: number; state: string }> = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat = "";
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(ppid) === parent) found.push({ pid: Number(name), state });
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}

describe("the launcher of sweep and worker", { timeout: 60_000 }, () => {
  beforeAll(() => {
    folder = makeSuiteFolder();
    data = writeSynthData(join(folder, "data"), 100_000);
    sweepFile = writeSweepFile(folder, "sweep.json", {
      grid: { "exits.stopLossPct": [0.01, 0.02, 0.03, 0.04, 0.05, 0.06], "sizing.leverage": [1, 2, 3, 4] },
    });
  }, 60_000);

  it("runs the sweep in a child on single-threaded GC that dies with the launcher, recording nothing after", async () => {
    const out = join(folder, "killed");
    const run = spawnExitlab(["sweep", "--grid", sweepFile, "--data", data, "--out", out, "--workers", "1"]);
    await waitForOutput(run, (text) => /\[1\/24\] cell [0-9a-f]{16} done/.test(text), 30_000);
    const launcher = run.child.pid as number;
    const [child] = childrenOf(launcher);
    expect(child, "the launcher's child process").toBeDefined();
    const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0");
    expect(commandLine).toContain("--single-threaded-gc");
    // The bundled CLI (npm test builds it after tsc, so it is current): the launcher runs it, not the tsc output.
    expect(commandLine.some((arg) => arg.endsWith(join("dist", "bundle", "cli", "main.js")))).toBe(true);
    // The journal names the launcher, the process the user started.
    expect(readCellLines(out)[0].ranBy).toMatch(new RegExp(`:${launcher}$`));

    run.child.kill("SIGKILL");
    await run.exited;
    const recorded = readCellLines(out).length;
    const deadline = Date.now() + 5_000;
    while (isAlive(child.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isAlive(child.pid), "the child outlived its killed launcher").toBe(false);
    expect(readCellLines(out)).toHaveLength(recorded);
    expect(recorded).toBeLessThan(24);
    expect(existsSync(join(out, "sweep.csv"))).toBe(false);
  });

  it("exits with the child's status and keeps V8's default GC when EXITLAB_PARALLEL_GC=1", async () => {
    const out = join(folder, "default-gc");
    const small = writeSweepFile(folder, "small.json", { grid: { "sizing.leverage": [1, 2] } });
    const failing = spawnExitlab(["sweep", "--grid", join(folder, "missing.json"), "--data", data, "--out", out]);
    expect(await failing.exited).toBe(2);
    expect(failing.output()).toMatch(/^exitlab: .*missing\.json/m);
    const inProcess = spawnExitlab(["sweep", "--grid", small, "--data", data, "--out", out, "--workers", "1"], { EXITLAB_PARALLEL_GC: "1" });
    await waitForOutput(inProcess, (text) => text.includes("running 2"), 30_000);
    const launcher = inProcess.child.pid as number;
    expect(childrenOf(launcher).filter((found) => readFileSync(`/proc/${found.pid}/cmdline`, "utf8").includes("main.js"))).toEqual([]);
    expect(await inProcess.exited).toBe(0);
  });
});

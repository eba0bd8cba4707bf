import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { receiveStart, runsInCommandThread, startCommandThreadEarly, takeCommandThread } from "../../cli/commandThread.js";
import { makeTempFolder, runExitlab } from "./cliHarness.js";

/** cli/commandThread.ts: the computing command's worker thread, started by bin/exitlab.js before the shell's code loads. */

/** Resolves once `worker` has ended (its threadId is -1 then), without listening to it. */
async function ended(worker: Worker): Promise<void> {
  while (worker.threadId !== -1) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A stand-in CLI folder whose runWorker.js is `code` (an ES module), for `startCommandThreadEarly`. */
function standInCli(code: string): URL {
  const folder = makeTempFolder();
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(folder, "runWorker.js"), code);
  return pathToFileURL(join(folder, "main.js"));
}

describe("runsInCommandThread", () => {
  it("is the computing commands, not their help, not the main-thread commands, not with EXITLAB_IN_PROCESS=1", () => {
    for (const args of [["backtest"], ["compare", "--plans", "static,ai"], ["--quiet", "tiers"], ["data", "synth", "--rows", "10"], ["walkforward"]]) {
      expect(runsInCommandThread(args, {}), args.join(" ")).toBe(true);
    }
    for (const args of [[], ["--help"], ["backtest", "--help"], ["compare", "-h"], ["sweep"], ["worker"], ["data", "download"], ["data"], ["nonsense"]]) {
      expect(runsInCommandThread(args, {}), args.join(" ")).toBe(false);
    }
    expect(runsInCommandThread(["backtest"], { EXITLAB_IN_PROCESS: "1" })).toBe(false);
  });
});

describe("a command thread started ahead", () => {
  it("waits for the start data the shell posts, with what it transfers", async () => {
    const main = standInCli(`
      import { parentPort, workerData } from "node:worker_threads";
      import { receiveStart } from ${JSON.stringify(pathToFileURL(join(process.cwd(), "dist", "cli", "commandThread.js")).href)};
      const { start, waitedMs } = receiveStart(workerData);
      start.port.postMessage("hello through the transferred port");
      parentPort.postMessage({ args: start.args, waited: typeof waitedMs });
    `);
    startCommandThreadEarly(main, ["backtest", "--quiet"], {});
    const thread = takeCommandThread();
    expect(thread).not.toBeNull();
    expect(takeCommandThread()).toBeNull(); // taken once
    const { MessageChannel } = await import("node:worker_threads");
    const channel = new MessageChannel();
    const viaPort = new Promise((resolve) => channel.port2.once("message", resolve));
    const reply = new Promise((resolve) => thread!.worker.once("message", resolve));
    // Posted late on purpose: the thread has booted and is waiting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    thread!.begin({ args: ["backtest", "--quiet"], port: channel.port1 }, [channel.port1]);
    thread!.replayEarlyEvents();
    expect(await reply).toEqual({ args: ["backtest", "--quiet"], waited: "number" });
    expect(await viaPort).toBe("hello through the transferred port");
    channel.port2.close();
    await ended(thread!.worker);
  });

  it("keeps an error and the exit that came before the shell listened, and hands them to the shell's listeners", async () => {
    const main = standInCli(`throw new Error("the thread's code is broken");`);
    startCommandThreadEarly(main, ["backtest"], {});
    const thread = takeCommandThread()!;
    await ended(thread.worker); // the thread failed before anyone listened: nothing was thrown here
    const seen: string[] = [];
    thread.worker.on("error", (error: Error) => seen.push(`error: ${error.message}`));
    thread.worker.on("exit", (code: number) => seen.push(`exit ${code}`));
    thread.replayEarlyEvents();
    expect(seen).toEqual(["error: the thread's code is broken", "exit 1"]);
  });

  it("is not started for a command that runs on the main thread", () => {
    startCommandThreadEarly(standInCli(""), ["sweep"], {});
    expect(takeCommandThread()).toBeNull();
  });

  it("takes workerData as the start data when the thread was started with them", () => {
    expect(receiveStart({ args: ["backtest"] })).toEqual({ start: { args: ["backtest"] }, waitedMs: null });
  });
});

describe("bin/exitlab.js", () => {
  it("runs a computing command in the thread it started ahead; EXITLAB_IN_PROCESS=1 runs it on the main thread", async () => {
    const folder = makeTempFolder();
    const ahead = await runExitlab(["backtest", "--out", join(folder, "ahead"), "--quiet"], { spawn: true, env: { EXITLAB_TIMINGS: "json" } });
    expect(ahead.status, ahead.stderr).toBe(0);
    const timings = JSON.parse(/^exitlab timings (.*)$/m.exec(ahead.stderr)![1]) as { startedAhead?: { waitedMs: number } };
    expect(timings.startedAhead?.waitedMs).toBeGreaterThanOrEqual(0);
    const inProcess = await runExitlab(["backtest", "--out", join(folder, "in-process"), "--quiet"], { spawn: true, env: { EXITLAB_TIMINGS: "json", EXITLAB_IN_PROCESS: "1" } });
    expect(inProcess.status, inProcess.stderr).toBe(0);
    expect(JSON.parse(/^exitlab timings (.*)$/m.exec(inProcess.stderr)![1])).not.toHaveProperty("startedAhead");
  });
});

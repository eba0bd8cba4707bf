/**
 * The output thread (cli/outputThread.ts): the CLI's backtest and tiers hand equity.csv,
 * trades.csv, fills.csv and equity.arrow to a thread of their own while the worker renders
 * report.html. The folder, marker included, is the same bytes as when the worker writes every
 * file itself (EXITLAB_OUTPUT_THREAD=0); equity.csv's task carries only its rows; a thread
 * that fails or has ended fails the run instead of leaving it waiting.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { OUTPUT_ANSWERS, OUTPUT_THREAD_ENDED, type OutputThreadLink } from "../../cli/interruptProtocol.js";
import { fileWriterOver, offerOutputThread, OUTPUT_THREAD_MIN_BARS, postableTask, useOutputThreadFor } from "../../cli/outputThreadLink.js";
import { equityCsvTask, streamOfFileTask, type FileTask } from "../../reports/fileTasks.js";
import { writeRunFolder } from "../../reports/outputFolder.js";
import { buildSampleReportInput } from "../e2e/sampleRun.js";
import { makeTempFolder, PROJECT_ROOT } from "./cliHarness.js";

function exitlab(args: readonly string[], env: Record<string, string> = {}): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [join(PROJECT_ROOT, "bin", "exitlab.js"), ...args], {
    cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, EXITLAB_IN_PROCESS: "", ...env },
  });
  return { status: run.status, stderr: run.stderr };
}

/** Every file of a folder, the marker included, as bytes by name. */
function folderBytes(folder: string): Map<string, Buffer> {
  return new Map(readdirSync(folder).sort().map((name) => [name, readFileSync(join(folder, name))]));
}

describe("the run folder's files on the output thread, through the CLI", () => {
  it.each([
    ["backtest", ["--exit", "ai", "--sizing", "math"]],
    ["tiers", ["--data", "data/samples/binance-spot-1h", "--market", "spot", "--signals", "strategies/signals/examples/smaCross.mjs", "--exit", "harvest"]],
  ])("%s writes the same folder, byte for byte, as when the worker writes every file itself", (command, flags) => {
    const out = makeTempFolder();
    // The same --out (summary.json names it), the first run moved aside.
    // The samples are smaller than a run that starts the thread by itself (OUTPUT_THREAD_MIN_BARS): asked for.
    const threaded = exitlab([command, ...flags, "--out", join(out, "run"), "--no-cache", "--quiet"], { EXITLAB_TIMINGS: "json", EXITLAB_OUTPUT_THREAD: "1" });
    renameSync(join(out, "run"), join(out, "thread"));
    const inline = exitlab([command, ...flags, "--out", join(out, "run"), "--no-cache", "--quiet"], { EXITLAB_OUTPUT_THREAD: "0", EXITLAB_TIMINGS: "json" });
    expect([threaded.status, inline.status], threaded.stderr + inline.stderr).toEqual([0, 0]);
    // The files were written on the output thread in the first run only (their times are reported apart).
    expect(threaded.stderr).toMatch(/"elsewhere":\{"equity.csv":[\d.]+,"trades.csv":[\d.]+,"fills.csv":[\d.]+(,"equity.arrow":[\d.]+)?\}/);
    expect(inline.stderr).not.toContain('"elsewhere"');
    const a = folderBytes(join(out, "thread"));
    const b = folderBytes(join(out, "run"));
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect(a.get("trades.csv")!.length).toBeGreaterThan(1_000);
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!), name).toBe(true);
  });
});

describe("when the output thread is started", () => {
  it("is once the data is loaded, for a run of OUTPUT_THREAD_MIN_BARS bars or more, or any run with EXITLAB_OUTPUT_THREAD=1", () => {
    let started = 0;
    offerOutputThread(() => started++);
    useOutputThreadFor(OUTPUT_THREAD_MIN_BARS - 1, {});
    expect(started).toBe(0);
    useOutputThreadFor(OUTPUT_THREAD_MIN_BARS, {});
    useOutputThreadFor(OUTPUT_THREAD_MIN_BARS, {});
    expect(started).toBe(1);
    offerOutputThread(() => started++);
    useOutputThreadFor(10, { EXITLAB_OUTPUT_THREAD: "1" });
    expect(started).toBe(2);
  });

  it("is not for the shipped sample's backtest by itself (a small run: its files take milliseconds)", () => {
    const out = makeTempFolder();
    const run = exitlab(["backtest", "--out", join(out, "run"), "--no-cache", "--quiet"], { EXITLAB_TIMINGS: "json", EXITLAB_OUTPUT_THREAD: "" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('"phases"');
    expect(run.stderr).not.toContain('"elsewhere"');
  });
});

describe("equity.csv's task", () => {
  it("carries only equity.csv's rows of the curve and makes the same bytes as the whole curve", async () => {
    const { equity } = await buildSampleReportInput();
    const rows = Uint32Array.from({ length: Math.floor(equity.length / 3) }, (_, k) => 3 * k + 1);
    const task = equityCsvTask(equity, rows);
    expect(task.kind === "equity.csv" && task.curve.time.length).toBe(rows.length);
    const bytesOf = (file: FileTask): Buffer => {
      const chunks: Buffer[] = [];
      streamOfFileTask(file)((bytes) => void chunks.push(Buffer.from(bytes)));
      return Buffer.concat(chunks);
    };
    const whole = bytesOf({ kind: "equity.csv", curve: equity, rows });
    expect(whole.toString("utf8").split("\n").length).toBe(rows.length + 2);
    expect(bytesOf(structuredClone(task)).equals(whole)).toBe(true);
  }, 60_000);
});

describe("equity.arrow's task as posted", () => {
  it("sends a curve column that is a view into a larger buffer as a copy of its own values, and a curve of whole buffers as it is", async () => {
    const { equity } = await buildSampleReportInput();
    const file = new Float64Array(equity.length * 6);
    file.set(equity.time, equity.length);
    const viewed: FileTask = { kind: "equity.arrow", curve: { ...equity, time: file.subarray(equity.length, 2 * equity.length) } };
    const posted = postableTask(viewed);
    expect(posted.kind === "equity.arrow" && posted.curve.time.buffer.byteLength).toBe(equity.length * 8);
    expect(posted.kind === "equity.arrow" && Array.from(posted.curve.time)).toEqual(Array.from(equity.time));
    expect(posted.kind === "equity.arrow" && posted.curve.equity).toBe(equity.equity);
    const whole: FileTask = { kind: "equity.arrow", curve: { ...equity, time: Float64Array.from(equity.time) } };
    expect(postableTask(whole)).toBe(whole);
  }, 60_000);
});

/** A stand-in output thread: answers each message as `script` says (evaluated CommonJS with `port`, `word` and `message`). */
function standIn(script: string): { link: OutputThreadLink; thread: Worker } {
  const { port1, port2 } = new MessageChannel();
  const answers = new SharedArrayBuffer(8);
  const thread = new Worker(`
    const { workerData } = require("node:worker_threads");
    const { port, answers } = workerData;
    const word = new Int32Array(answers);
    const answer = (message) => { port.postMessage(message); Atomics.add(word, 0, 1); Atomics.notify(word, 0); };
    port.on("message", (message) => { ${script} });`, { eval: true, workerData: { port: port2, answers }, transferList: [port2] });
  return { link: { port: port1, answers }, thread };
}

const TRADES: FileTask = { kind: "trades.csv", trades: [] };

describe("waiting for the output thread", () => {
  it("gives each file the sha256 the thread answers for it, whatever order the answers come in", async () => {
    const { link, thread } = standIn(`
      if (message.seq === 2) { answer({ seq: 2, sha256: "second", ms: 1 }); answer({ seq: 1, sha256: "first:" + message.path, ms: 1 }); }`);
    const write = fileWriterOver(link);
    const first = write(TRADES, "/x/trades.csv");
    const second = write({ kind: "fills.csv", fills: [] }, "/x/fills.csv");
    expect(first()).toBe("first:/x/fills.csv");
    expect(second()).toBe("second");
    await thread.terminate();
  });

  it("throws the thread's error, and says so when the thread has ended instead of waiting for ever", async () => {
    const { link, thread } = standIn(`answer({ seq: message.seq, error: "Error: boom\\n    at write" });`);
    expect(() => fileWriterOver(link)(TRADES, "/x/trades.csv")()).toThrow(/the output thread could not write the file:\nError: boom/);
    await thread.terminate();
    const silent = standIn("");
    const finish = fileWriterOver(silent.link)(TRADES, "/x/trades.csv");
    await silent.thread.terminate();
    // What the shell does when the thread ends: mark it, count an answer, wake the worker.
    const words = new Int32Array(silent.link.answers);
    Atomics.store(words, OUTPUT_THREAD_ENDED, 1);
    Atomics.add(words, OUTPUT_ANSWERS, 1);
    expect(() => finish()).toThrow("the output thread ended before it wrote trades.csv");
    expect(() => fileWriterOver(silent.link)(TRADES, "/x/trades.csv")).toThrow("the output thread has ended; trades.csv was not written");
  });
});

describe("a run folder with a file made elsewhere", () => {
  it("begins it before the other files, waits for it before summary.json and lists its hash in the marker", () => {
    const out = join(makeTempFolder(), "run");
    const order: string[] = [];
    const elsewhere = (path: string) => {
      order.push(`begin ${path.endsWith("report.html")}`);
      return () => {
        order.push("finish");
        return "cd".repeat(32);
      };
    };
    writeRunFolder(out, [
      { name: "summary.json", content: "{}\n" },
      { name: "trades.csv", content: { stream: (sink) => { order.push("trades"); sink(Buffer.from("id\n")); } } },
      { name: "report.html", content: { stream: () => order.push("streamed"), elsewhere } },
    ], { timeFile: (name, work) => { order.push(`time ${name}`); return work(); } });
    expect(order).toEqual(["time report.html", "begin true", "time trades.csv", "trades", "time report.html", "finish", "time summary.json"]);
    expect(JSON.parse(readFileSync(join(out, ".exitlab"), "utf8")).files["report.html"]).toBe("cd".repeat(32));
  });

  it("leaves no folder when the file made elsewhere fails, and waits for it when another file fails first", () => {
    const parent = makeTempFolder();
    const failing = () => () => {
      throw new Error("the output thread ended before it wrote trades.csv");
    };
    expect(() => writeRunFolder(join(parent, "a"), [{ name: "report.html", content: { stream: () => undefined, elsewhere: failing } }]))
      .toThrow("the output thread ended before it wrote trades.csv");
    let waited = false;
    expect(() => writeRunFolder(join(parent, "b"), [
      { name: "report.html", content: { stream: () => undefined, elsewhere: () => () => { waited = true; return "00".repeat(32); } } },
      { name: "trades.csv", content: { stream: () => { throw new Error("formatter bug"); } } },
    ])).toThrow("formatter bug");
    expect(waited).toBe(true);
    expect(existsSync(join(parent, "a")) || existsSync(join(parent, "b"))).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });
});

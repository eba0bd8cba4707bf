/**
 * report.html on the report thread (cli/reportThread.ts): the CLI's backtest and tiers render
 * the page on a thread of their own while the worker writes the other files. The page and
 * the folder's marker are the same bytes as when the worker renders it itself
 * (EXITLAB_REPORT_THREAD=0); the input the thread is sent holds only what the page reads; a
 * thread that fails or is gone fails the run instead of leaving it waiting.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, Worker } from "node:worker_threads";
import { beforeAll, describe, expect, it } from "vitest";
import { REPORT_THREAD_GONE, type ReportThreadLink } from "../../cli/interruptProtocol.js";
import { portableReportInput, reportRendererOver, revivedReportInput } from "../../cli/reportThreadLink.js";
import { renderRunReportParts } from "../../reports/html/renderReport.js";
import type { RunReportInput } from "../../reports/html/reportInput.js";
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

describe("report.html on the report thread, through the CLI", () => {
  it.each([
    ["backtest", ["--exit", "ai", "--sizing", "math"]],
    ["tiers", ["--data", "data/samples/binance-spot-1h", "--market", "spot", "--signals", "strategies/signals/examples/smaCross.mjs", "--exit", "harvest"]],
  ])("%s writes the same folder, byte for byte, as when the worker renders the page itself", (command, flags) => {
    const out = makeTempFolder();
    // The same --out (summary.json names it), the first run moved aside.
    const threaded = exitlab([command, ...flags, "--out", join(out, "run"), "--no-cache", "--quiet"], { EXITLAB_TIMINGS: "json" });
    renameSync(join(out, "run"), join(out, "thread"));
    const inline = exitlab([command, ...flags, "--out", join(out, "run"), "--no-cache", "--quiet"], { EXITLAB_REPORT_THREAD: "0", EXITLAB_TIMINGS: "json" });
    expect([threaded.status, inline.status], threaded.stderr + inline.stderr).toEqual([0, 0]);
    // The page was made on the report thread in the first run only (its time is reported apart).
    expect(threaded.stderr).toMatch(/"elsewhere":\{"report.html":[\d.]+\}/);
    expect(inline.stderr).not.toContain('"elsewhere"');
    const a = folderBytes(join(out, "thread"));
    const b = folderBytes(join(out, "run"));
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect(a.get("report.html")!.length).toBeGreaterThan(100_000);
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!), name).toBe(true);
  });
});

describe("the report input sent to the thread", () => {
  let sample: RunReportInput;
  beforeAll(async () => {
    sample = await buildSampleReportInput();
  }, 60_000);

  it("holds only the columns the page reads, and the page made from its clone is byte for byte the page", () => {
    const portable = portableReportInput(sample);
    expect(Object.keys(portable.equity).sort()).toEqual(["drawdown", "equity", "length", "time"]);
    expect(Object.keys(portable.price!.bars[0])).not.toContain("volume");
    const received = revivedReportInput(structuredClone(portable));
    const page = Buffer.concat(renderRunReportParts(received));
    expect(page.equals(Buffer.concat(renderRunReportParts(sample)))).toBe(true);
    expect(sample.price!.levels).not.toBeNull();
    expect(received.price!.levels!.byTrade()).toEqual(sample.price!.levels!.byTrade());
  });
});

/** A stand-in report thread: answers each task as `script` says (evaluated CommonJS with `port`, `word` and `task`). */
function standIn(script: string): { link: ReportThreadLink; thread: Worker } {
  const { port1, port2 } = new MessageChannel();
  const answer = new SharedArrayBuffer(4);
  const thread = new Worker(`
    const { workerData } = require("node:worker_threads");
    const { port, answer } = workerData;
    const word = new Int32Array(answer);
    port.on("message", (task) => { ${script} });`, { eval: true, workerData: { port: port2, answer }, transferList: [port2] });
  return { link: { port: port1, answer }, thread };
}

describe("waiting for the report thread", () => {
  it("gives the sha256 the thread answers with", async () => {
    const { link, thread } = standIn(`port.postMessage({ sha256: "ab".repeat(32) + ":" + task.path, ms: 1 }); Atomics.store(word, 0, 1); Atomics.notify(word, 0);`);
    const finish = reportRendererOver(link)({ equity: { length: 0, time: new Float64Array(0) } } as unknown as RunReportInput, "/x/report.html");
    expect(finish()).toBe(`${"ab".repeat(32)}:/x/report.html`);
    await thread.terminate();
  });

  it("throws the thread's error, and says so when the thread is gone instead of waiting for ever", async () => {
    const { link, thread } = standIn(`port.postMessage({ error: "Error: boom\\n    at render" }); Atomics.store(word, 0, 1); Atomics.notify(word, 0);`);
    const render = reportRendererOver(link);
    const input = { equity: { length: 0, time: new Float64Array(0) } } as unknown as RunReportInput;
    expect(() => render(input, "/x/report.html")()).toThrow(/report.html could not be written by the report thread:\nError: boom/);
    await thread.terminate();
    // It writes one report: a second, or one after the thread is gone, is refused at once.
    expect(() => render(input, "/x/report.html")).toThrow("the report thread has ended; report.html was not written");
    const gone = standIn("");
    Atomics.store(new Int32Array(gone.link.answer), 0, REPORT_THREAD_GONE);
    expect(() => reportRendererOver(gone.link)(input, "/x/report.html")).toThrow("the report thread has ended; report.html was not written");
    await gone.thread.terminate();
    const silent = standIn("");
    const finish = reportRendererOver(silent.link)(input, "/x/report.html");
    await silent.thread.terminate();
    Atomics.store(new Int32Array(silent.link.answer), 0, REPORT_THREAD_GONE);
    expect(() => finish()).toThrow("the report thread ended before it wrote report.html");
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
      throw new Error("the report thread ended before it wrote report.html");
    };
    expect(() => writeRunFolder(join(parent, "a"), [{ name: "report.html", content: { stream: () => undefined, elsewhere: failing } }]))
      .toThrow("the report thread ended before it wrote report.html");
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

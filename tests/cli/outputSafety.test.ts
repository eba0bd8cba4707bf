/**
 * The replace/keep rule (README "Safety"): exitlab replaces only what it wrote, never a
 * folder that is or contains the working directory, an input of the run or the home folder,
 * and keeps files it did not write — for run folders, synthetic bars, predictions CSVs and
 * saved Q-tables. Every refusal is one error line and changes nothing.
 */

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  entriesOf,
  expectNoOutputFolder,
  expectOneLineError,
  expectRunFolder,
  hourlyBarLines,
  makeTempFolder,
  readSummary,
  runExitlab,
  snapshotFolder,
  writeLines,
  writeText,
} from "./cliHarness.js";

const bars = hourlyBarLines(80);

/** A project folder as a user has it: a data folder and a notes file. */
function project(): { root: string; data: string } {
  const root = makeTempFolder();
  writeLines(root, "data/BTCUSDT.csv", bars);
  writeText(root, "notes.md", "my project notes\n");
  return { root, data: join(root, "data") };
}

/** Every file under `folder`, by relative path, with its content. */
function snapshotTree(folder: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(folder, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, snapshotTree(folder, path));
    else files[path] = readFileSync(join(folder, path), "base64");
  }
  return files;
}

function expectOk(run: { status: number | null; stderr: string }): void {
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
}

describe("exitlab backtest --out over folders it must never replace", () => {
  it("refuses --out . --force from a project folder and leaves the project as it was", async () => {
    const { root } = project();
    const before = snapshotTree(root);
    const run = await runExitlab(["backtest", "--data", "data", "--out", ".", "--force", "--no-cache"], { cwd: root });
    expectOneLineError(run, 1, "exitlab: .: ", "is the working directory");
    expect(snapshotTree(root)).toEqual(before);
    expect(readFileSync(join(root, "data", "BTCUSDT.csv"), "utf8")).toBe(`${bars.join("\n")}\n`);
  });

  it("refuses --out <a parent of the working directory> --force", async () => {
    const { root } = project();
    const inner = join(root, "work");
    mkdirSync(inner);
    const run = await runExitlab(["backtest", "--data", "../data", "--out", "..", "--force", "--no-cache"], { cwd: inner });
    expectOneLineError(run, 1, "contains the working directory");
    expect(existsSync(join(root, "notes.md"))).toBe(true);
  });

  it("refuses --out <the data folder> --force and keeps the data", async () => {
    const { root, data } = project();
    const before = snapshotFolder(data);
    const run = await runExitlab(["backtest", "--data", data, "--out", data, "--force", "--no-cache"]);
    expectOneLineError(run, 1, "is the data path");
    expect(snapshotFolder(data)).toEqual(before);
    expect(entriesOf(root)).toEqual(["data", "notes.md"]);
  });

  it("refuses an --out folder that contains the data, a predictions file or the config file", async () => {
    const { root, data } = project();
    mkdirSync(join(root, "inputs"));
    expect((await runExitlab(["data", "predictions", "--data", data, "--out", join(root, "inputs", "preds.csv")])).status).toBe(0);
    const config = writeText(root, "settings/run.json", "{}\n");
    expectOneLineError(await runExitlab(["backtest", "--data", data, "--out", root, "--force", "--no-cache"]), 1, "contains the data path");
    expectOneLineError(await runExitlab(["backtest", "--data", data, "--signals", join(root, "inputs", "preds.csv"), "--out", join(root, "inputs"), "--force", "--no-cache"]), 1, "contains the predictions file");
    expectOneLineError(await runExitlab(["backtest", "--config", config, "--data", data, "--out", join(root, "settings"), "--force", "--no-cache"]), 1, "contains the config file");
  });

  it("refuses the home folder as --out", async () => {
    const { root } = project();
    const run = await runExitlab(["backtest", "--data", "data", "--out", join(root, "home"), "--force", "--no-cache"], { cwd: root, env: { HOME: join(root, "home") } });
    expectOneLineError(run, 1, "is your home folder");
  });
});

describe("exitlab backtest rerun into an earlier run's folder", () => {
  it("keeps a notebook and a folder of plots the user added, and replaces exitlab's own files", async () => {
    const { root, data } = project();
    const out = join(root, "runs", "a");
    expectOk(await runExitlab(["backtest", "--data", data, "--out", out, "--quiet", "--no-cache"]));
    writeText(out, "analysis.ipynb", "{\"cells\": []}\n");
    writeText(out, "plots/equity.png", "PNG");
    expectOk(await runExitlab(["backtest", "--data", data, "--out", out, "--sl", "0.02", "--quiet", "--no-cache"]));
    expectRunFolder(out);
    expect(readSummary(out).config.exits.stopLossPct).toBe(0.02);
    expect(readFileSync(join(out, "analysis.ipynb"), "utf8")).toBe("{\"cells\": []}\n");
    expect(readFileSync(join(out, "plots", "equity.png"), "utf8")).toBe("PNG");
  });

  it("refuses to replace a file of the run the user edited, naming it, unless --force", async () => {
    const { root, data } = project();
    const out = join(root, "run");
    expectOk(await runExitlab(["backtest", "--data", data, "--out", out, "--quiet", "--no-cache"]));
    writeFileSync(join(out, "trades.csv"), "my annotated trades\n");
    const before = snapshotFolder(out);
    const refused = await runExitlab(["backtest", "--data", data, "--out", out, "--quiet", "--no-cache"]);
    expectOneLineError(refused, 1, join(out, "trades.csv"), "exitlab did not write (it was changed since)", "--force");
    expect(snapshotFolder(out)).toEqual(before);
    expectOk(await runExitlab(["backtest", "--data", data, "--out", out, "--quiet", "--no-cache", "--force"]));
    expect(readFileSync(join(out, "trades.csv"), "utf8")).not.toBe("my annotated trades\n");
  });
});

describe("exitlab data synth and data predictions over existing files", () => {
  it("refuses to overwrite a CSV in a data folder that exitlab did not write, writing nothing", async () => {
    const { data } = project();
    const before = snapshotFolder(data);
    const run = await runExitlab(["data", "synth", "--symbols", "ETHUSDT,BTCUSDT", "--bars", "50", "--out", data]);
    expectOneLineError(run, 1, join(data, "BTCUSDT.csv"), "refusing to replace a file exitlab did not write", "--force");
    expect(snapshotFolder(data)).toEqual(before);
  });

  it("rewrites its own synthetic files without --force, and the user's with --force", async () => {
    const { root, data } = project();
    const synth = join(root, "synth");
    expectOk({ ...(await runExitlab(["data", "synth", "--bars", "50", "--out", synth])), stderr: "" });
    expect((await runExitlab(["data", "synth", "--bars", "60", "--out", synth])).status).toBe(0);
    expect(readFileSync(join(synth, "SYNTHUSDT.csv"), "utf8").trim().split("\n")).toHaveLength(61);
    expect((await runExitlab(["data", "synth", "--symbols", "BTCUSDT", "--bars", "50", "--out", data, "--force"])).status).toBe(0);
    expect(readFileSync(join(data, "BTCUSDT.csv"), "utf8").trim().split("\n")).toHaveLength(51);
  });

  it("refuses to overwrite a predictions file exitlab did not write, and rewrites its own", async () => {
    const { root, data } = project();
    const mine = writeText(root, "preds.csv", "my model's output\n");
    const refused = await runExitlab(["data", "predictions", "--data", data, "--signals", "ema-cross", "--out", mine]);
    expectOneLineError(refused, 1, mine, "exitlab did not write");
    expect(readFileSync(mine, "utf8")).toBe("my model's output\n");
    const own = join(root, "generated.csv");
    expect((await runExitlab(["data", "predictions", "--data", data, "--signals", "ema-cross", "--out", own])).status).toBe(0);
    expect((await runExitlab(["data", "predictions", "--data", data, "--signals", "rsi-reversion", "--out", own])).status).toBe(0);
    expect((await runExitlab(["data", "predictions", "--data", data, "--out", mine, "--force"])).status).toBe(0);
    expect(readFileSync(mine, "utf8")).toMatch(/^timestamp,symbol,action/);
  });
});

describe("exitlab backtest --rl-save over an existing file", () => {
  it("refuses a file exitlab did not write before writing the run folder, and rewrites its own Q-table", async () => {
    const { root, data } = project();
    const table = writeText(root, "q.json", "precious\n");
    const out = join(root, "run");
    const refused = await runExitlab(["backtest", "--data", data, "--sizing", "rl", "--rl-save", table, "--out", out, "--no-cache"]);
    expectOneLineError(refused, 1, table, "exitlab did not write");
    expectNoOutputFolder(out);
    expect(readFileSync(table, "utf8")).toBe("precious\n");

    const own = join(root, "tables", "q.json");
    const train = ["backtest", "--data", data, "--sizing", "rl", "--rl-save", own, "--out", out, "--quiet", "--no-cache"];
    expectOk(await runExitlab(train));
    expectOk(await runExitlab([...train, "--rl-load", own]));
    expect(JSON.parse(readFileSync(own, "utf8"))).toBeTypeOf("object");
  });
});

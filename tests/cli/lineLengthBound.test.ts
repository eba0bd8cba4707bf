/**
 * A streamed CSV input without line breaks (NUL bytes, a binary dump, one endless line) fails
 * at once with one line naming the file and the line, in bounded memory — bars, funding and
 * predictions alike, plain or inside a .gz.
 */

import { spawnSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_CSV_LINE_BYTES } from "../../data/lineLengthGuard.js";
import { LineSlicer } from "../../data/lineSlicer.js";
import { PROJECT_ROOT, expectNoOutputFolder, expectOneLineError, hourlyBarLines, makeTempFolder, runExitlab, writeLines } from "./cliHarness.js";

/** A sparse file of `bytes` NUL bytes, made without writing them. */
function nulFile(path: string, bytes: number): string {
  const fd = openSync(path, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

describe("the line-length bound of streamed CSV inputs", () => {
  it("measures a line across chunks and stops at the first line above the bound", () => {
    const slicer = new LineSlicer(10, 4);
    const slices: string[] = [];
    const emit = (slice: Buffer): void => void slices.push(slice.toString());
    expect(slicer.push(Buffer.from("a,b\nccccc"), emit)).toBe(true);
    expect(slicer.push(Buffer.from("ccccc"), emit)).toBe(true);
    expect(slicer.push(Buffer.from("c\n"), emit)).toBe(false);
    expect([slices, slicer.overflowed]).toEqual([["a,b\n"], true]);
  });

  it("accepts a line exactly at the bound", () => {
    const slicer = new LineSlicer(4, 4);
    const slices: string[] = [];
    expect(slicer.push(Buffer.from("abcd\nabcd"), (slice) => void slices.push(slice.toString()))).toBe(true);
    slicer.end((slice) => void slices.push(slice.toString()));
    expect(slices).toEqual(["abcd\n", "abcd"]);
  });

  it("refuses 100 MB of NUL bytes as a bar file quickly, within a 96 MB heap", () => {
    const folder = makeTempFolder();
    const file = nulFile(join(folder, "BTCUSDT.csv"), 100_000_000);
    const out = join(folder, "out");
    const started = Date.now();
    // --max-old-space-size bounds the heap: collecting the line whole would fail with an out-of-memory crash.
    const child = spawnSync(process.execPath, ["--max-old-space-size=96", join(PROJECT_ROOT, "bin", "exitlab.js"), "backtest", "--data", file, "--out", out, "--no-cache"], {
      cwd: folder,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expectOneLineError({ status: child.status, stdout: child.stdout, stderr: child.stderr }, 1, `${file}:1`, `line 1 is longer than ${MAX_CSV_LINE_BYTES} bytes`);
    expectNoOutputFolder(out);
  });

  it("refuses a line without a break inside a .gz bar file, naming the line", async () => {
    const folder = makeTempFolder();
    const lines = hourlyBarLines(5);
    const text = `${lines.join("\n")}\n${"9".repeat(MAX_CSV_LINE_BYTES + 10)}`;
    const file = join(folder, "BTCUSDT.csv.gz");
    writeFileSync(file, gzipSync(text));
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["backtest", "--data", file, "--out", out]), 1, `${file}:${lines.length + 1}`, "longer than");
    expectNoOutputFolder(out);
  });

  it("refuses a funding file without line breaks", async () => {
    const folder = makeTempFolder();
    writeLines(folder, "data/BTCUSDT.csv", hourlyBarLines(50));
    mkdirSync(join(folder, "data", "funding"));
    const funding = nulFile(join(folder, "data", "funding", "BTCUSDT.csv"), 3 * MAX_CSV_LINE_BYTES);
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["backtest", "--data", join(folder, "data"), "--out", out, "--no-cache"]), 1, `${funding}:1`, "longer than");
    expectNoOutputFolder(out);
  });

  it("refuses a predictions file without line breaks", async () => {
    const folder = makeTempFolder();
    const bars = writeLines(folder, "BTCUSDT.csv", hourlyBarLines(50));
    const predictions = nulFile(join(folder, "predictions.csv"), 2 * MAX_CSV_LINE_BYTES);
    const out = join(folder, "out");
    expectOneLineError(await runExitlab(["backtest", "--data", bars, "--signals", predictions, "--out", out]), 1, `${predictions}:1`, "longer than");
    expectNoOutputFolder(out);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutputError } from "../../engine/errors.js";
import { isExitlabRunFolder, writeRunFolder, type OutputFile } from "../../reports/outputFolder.js";
import { stableStringify } from "../../reports/summary.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "exitlab-output-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const summaryFile = (engineName = "exitlab"): OutputFile => ({
  name: "summary.json",
  content: stableStringify({ engine: { name: engineName, version: "0.1.0" } }),
});

/** The folder's entries, sorted, so the test can see temp and old folders left behind. */
function entriesOf(folder: string): string[] {
  return readdirSync(folder).sort();
}

function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("writeRunFolder", () => {
  it("writes every file into a new folder, creating missing parents, and leaves no temp folder", () => {
    const outDir = join(root, "runs", "nested", "run-1");
    writeRunFolder(outDir, [summaryFile(), { name: "equity.csv", content: "timestamp\n1\n" }]);
    expect(entriesOf(outDir)).toEqual([".exitlab", "equity.csv", "summary.json"]);
    expect(readFileSync(join(outDir, "equity.csv"), "utf8")).toBe("timestamp\n1\n");
    expect(entriesOf(join(root, "runs", "nested"))).toEqual(["run-1"]);
  });

  it("writes binary content byte for byte", () => {
    const outDir = join(root, "run");
    const bytes = new Uint8Array([0, 255, 10, 13, 128]);
    writeRunFolder(outDir, [{ name: "blob.bin", content: bytes }]);
    expect(new Uint8Array(readFileSync(join(outDir, "blob.bin")))).toEqual(bytes);
  });

  it("replaces an earlier exitlab run completely", () => {
    const outDir = join(root, "run");
    writeRunFolder(outDir, [summaryFile(), { name: "old.csv", content: "old\n" }]);
    writeRunFolder(outDir, [summaryFile(), { name: "new.csv", content: "new\n" }]);
    expect(entriesOf(outDir)).toEqual([".exitlab", "new.csv", "summary.json"]);
    expect(entriesOf(root)).toEqual(["run"]);
    expect(isExitlabRunFolder(outDir)).toBe(true);
  });

  it("replaces an empty folder", () => {
    const outDir = join(root, "run");
    mkdirSync(outDir);
    writeRunFolder(outDir, [summaryFile()]);
    expect(entriesOf(outDir)).toEqual([".exitlab", "summary.json"]);
  });

  it("refuses to replace a folder that is not an exitlab run and suggests --force", () => {
    const outDir = join(root, "precious");
    mkdirSync(outDir);
    writeFileSync(join(outDir, "thesis.tex"), "years of work");
    const error = thrownBy(() => writeRunFolder(outDir, [summaryFile()]));
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).code).toBe("OUTPUT_FAILED");
    expect((error as OutputError).hint).toMatch(/--force/);
    expect(entriesOf(outDir)).toEqual(["thesis.tex"]);
    expect(entriesOf(root)).toEqual(["precious"]);
  });

  it("refuses a folder whose summary.json was written by another program", () => {
    const outDir = join(root, "other");
    mkdirSync(outDir);
    writeFileSync(join(outDir, "summary.json"), stableStringify({ engine: { name: "backtrader" } }));
    expect(() => writeRunFolder(outDir, [summaryFile()])).toThrow(OutputError);
  });

  it("refuses to replace a plain file", () => {
    const outDir = join(root, "file.txt");
    writeFileSync(outDir, "keep me");
    expect(() => writeRunFolder(outDir, [summaryFile()])).toThrow(OutputError);
    expect(readFileSync(outDir, "utf8")).toBe("keep me");
  });

  it("writes into a foreign folder when forced, keeping its files", () => {
    const outDir = join(root, "precious");
    mkdirSync(outDir);
    writeFileSync(join(outDir, "thesis.tex"), "years of work");
    writeRunFolder(outDir, [summaryFile()], { force: true });
    expect(entriesOf(outDir)).toEqual([".exitlab", "summary.json", "thesis.tex"]);
    expect(readFileSync(join(outDir, "thesis.tex"), "utf8")).toBe("years of work");
    expect(entriesOf(root)).toEqual(["precious"]);
  });

  it("leaves no output folder and no temp folder when a file fails mid-write", () => {
    const outDir = join(root, "run");
    const failing: OutputFile = {
      name: "trades.csv",
      get content(): string {
        throw new Error("formatter crashed");
      },
    };
    const error = thrownBy(() => writeRunFolder(outDir, [summaryFile(), failing]));
    expect(error).not.toBeInstanceOf(OutputError); // a bug keeps its own error and stack
    expect((error as Error).message).toBe("formatter crashed");
    expect(existsSync(outDir)).toBe(false);
    expect(entriesOf(root)).toEqual([]);
  });

  it("keeps the earlier run intact when the new one fails mid-write", () => {
    const outDir = join(root, "run");
    writeRunFolder(outDir, [summaryFile(), { name: "equity.csv", content: "old\n" }]);
    const failing: OutputFile = {
      name: "equity.csv",
      get content(): string {
        throw new Error("out of memory");
      },
    };
    expect(() => writeRunFolder(outDir, [summaryFile(), failing])).toThrow("out of memory");
    expect(readFileSync(join(outDir, "equity.csv"), "utf8")).toBe("old\n");
    expect(entriesOf(root)).toEqual(["run"]);
  });

  it("wraps a file-system failure in an OutputError and leaves nothing behind", () => {
    const outDir = join(root, "run");
    const tooLong = "x".repeat(300); // longer than any file-system's name limit
    const error = thrownBy(() => writeRunFolder(outDir, [summaryFile(), { name: tooLong, content: "x" }]));
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).message).toMatch(/ENAMETOOLONG/);
    expect(entriesOf(root)).toEqual([]);
  });

  it.each(["sub/equity.csv", "..\\equity.csv", "..", ""])(
    "rejects the file name %j and leaves nothing behind",
    (name) => {
      const outDir = join(root, "run");
      expect(() => writeRunFolder(outDir, [summaryFile(), { name, content: "x" }])).toThrow(OutputError);
      expect(existsSync(outDir)).toBe(false);
      expect(entriesOf(root)).toEqual([]);
    },
  );

  it("rejects a file name given twice", () => {
    const outDir = join(root, "run");
    expect(() => writeRunFolder(outDir, [summaryFile(), summaryFile()])).toThrow(OutputError);
    expect(entriesOf(root)).toEqual([]);
  });
});

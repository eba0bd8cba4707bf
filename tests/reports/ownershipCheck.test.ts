import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutputError } from "../../engine/errors.js";
import { writeRunFolder, type OutputFile } from "../../reports/outputFolder.js";
import { MARKER_NAME } from "../../reports/outputMarker.js";
import { verifyOwnedFiles } from "../../reports/ownershipCheck.js";

/**
 * An earlier run's files, proven exitlab's while the next run computes (reports/ownershipCheck.ts),
 * are replaced without being hashed again — but only while unchanged since the check: a file
 * edited after it is refused exactly as without it.
 */
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "exitlab-ownership-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const run = (text: string): OutputFile[] => [
  { name: "trades.csv", content: text },
  { name: "equity.csv", content: { stream: (sink) => sink(Buffer.from(`equity ${text}`)) } },
];

function refusal(action: () => void): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(OutputError);
    return (error as OutputError).message;
  }
  throw new Error("expected a refusal");
}

describe("the early check of an earlier run's files", () => {
  it("proves every file of an unchanged earlier run, streamed ones included, and they are replaced", async () => {
    const folder = join(root, "run");
    writeRunFolder(folder, run("first"));
    const verified = await verifyOwnedFiles(folder);
    expect([...verified.files.keys()].sort()).toEqual(["equity.csv", "trades.csv"]);
    writeRunFolder(folder, run("second"), { verified });
    expect(readFileSync(join(folder, "trades.csv"), "utf8")).toBe("second");
  });

  it("does not stand for a file edited after it: the edit is found and the file kept", async () => {
    const folder = join(root, "run");
    writeRunFolder(folder, run("first"));
    const verified = await verifyOwnedFiles(folder);
    writeFileSync(join(folder, "trades.csv"), "FIRST"); // same size, new content
    expect(refusal(() => writeRunFolder(folder, run("second"), { verified }))).toContain("changed since");
    expect(readFileSync(join(folder, "trades.csv"), "utf8")).toBe("FIRST");
  });

  it("does not stand for a file edited after it with its modification time set back", async () => {
    const folder = join(root, "run");
    writeRunFolder(folder, run("first"));
    const verified = await verifyOwnedFiles(folder);
    const path = join(folder, "trades.csv");
    const { atime, mtime } = statSync(path);
    writeFileSync(path, "FIRST");
    utimesSync(path, atime, mtime);
    expect(refusal(() => writeRunFolder(folder, run("second"), { verified }))).toContain("changed since");
  });

  it("proves nothing of a file that differs from its marker, or of a folder without one", async () => {
    const folder = join(root, "run");
    writeRunFolder(folder, run("first"));
    writeFileSync(join(folder, "trades.csv"), "edited before the check");
    expect([...(await verifyOwnedFiles(folder)).files.keys()]).toEqual(["equity.csv"]);
    rmSync(join(folder, MARKER_NAME));
    expect((await verifyOwnedFiles(folder)).files.size).toBe(0);
    expect((await verifyOwnedFiles(join(root, "absent"))).files.size).toBe(0);
  });
});

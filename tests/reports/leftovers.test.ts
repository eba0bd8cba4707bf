/**
 * Left-overs of killed runs (`<out>.tmp-<pid>-<n>/`, `<out>.old-<pid>-<n>/`): cleared when
 * they are exitlab's (marker) and their process is dead, the user's files in them moved
 * back; everything else is left alone; a left-over is never taken for a run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanLeftovers, isProcessAlive } from "../../reports/leftovers.js";
import { isExitlabRunFolder, writeRunFolder } from "../../reports/outputFolder.js";
import { formatMarker, sha256Of } from "../../reports/outputMarker.js";
import { stableStringify } from "../../reports/summary.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "exitlab-leftovers-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The id of a process that has just exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ["-e", ""]).pid;
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

const SUMMARY = stableStringify({ engine: { name: "exitlab", version: "0.1.0" } });

/** A work folder as a killed run leaves it: a marker listing summary.json, and the file. */
function leftover(name: string, extra: Record<string, string> = {}): string {
  const folder = join(root, name);
  mkdirSync(folder);
  writeFileSync(join(folder, ".exitlab"), formatMarker("run", new Map([["summary.json", sha256Of(SUMMARY)]])));
  writeFileSync(join(folder, "summary.json"), SUMMARY);
  for (const [file, content] of Object.entries(extra)) writeFileSync(join(folder, file), content);
  return folder;
}

describe("cleanLeftovers", () => {
  it("removes a temp folder of a dead process that holds only exitlab's files", () => {
    leftover(`run.tmp-${deadPid()}-0`);
    expect(cleanLeftovers(root)).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  it("moves a file the user had in the folder back into it, then removes the left-over", () => {
    mkdirSync(join(root, "run"));
    leftover(`run.tmp-${deadPid()}-3`, { "notebook.ipynb": "{}" });
    expect(cleanLeftovers(root)).toEqual([]);
    expect(readdirSync(root)).toEqual(["run"]);
    expect(readFileSync(join(root, "run", "notebook.ipynb"), "utf8")).toBe("{}");
  });

  it("leaves a user's file that clashes with one in the folder, with a note naming the left-over", () => {
    mkdirSync(join(root, "run"));
    writeFileSync(join(root, "run", "notes.txt"), "newer");
    const folder = leftover(`run.old-${deadPid()}-1`, { "notes.txt": "older" });
    const notes = cleanLeftovers(root);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(folder);
    expect(readFileSync(join(folder, "notes.txt"), "utf8")).toBe("older");
    expect(existsSync(join(folder, "summary.json"))).toBe(false);
  });

  it("keeps an edited file of the run: it is no longer exitlab's", () => {
    mkdirSync(join(root, "run"));
    const folder = leftover(`run.tmp-${deadPid()}-0`);
    writeFileSync(join(folder, "summary.json"), "edited by hand");
    cleanLeftovers(root);
    expect(readFileSync(join(root, "run", "summary.json"), "utf8")).toBe("edited by hand");
  });

  it("leaves alone a left-over of a live process, one without a marker, and a folder that only looks like one", () => {
    leftover(`run.tmp-${process.pid}-0`);
    const foreign = join(root, `run.tmp-${deadPid()}-0`);
    mkdirSync(foreign);
    writeFileSync(join(foreign, "summary.json"), "{}");
    mkdirSync(join(root, "backup.tmp-x-0"));
    expect(cleanLeftovers(root)).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(["backup.tmp-x-0", `run.tmp-${process.pid}-0`, foreign.slice(root.length + 1)].sort());
  });

  it("is run by writeRunFolder, so a rerun clears what a killed run left next to it", () => {
    leftover(`run.tmp-${deadPid()}-0`);
    writeRunFolder(join(root, "run"), [{ name: "summary.json", content: SUMMARY }]);
    expect(readdirSync(root)).toEqual(["run"]);
  });
});

describe("isExitlabRunFolder", () => {
  it("is false for a left-over folder even though it holds a marker and a summary", () => {
    const folder = leftover(`run.tmp-${deadPid()}-0`);
    expect(isExitlabRunFolder(folder)).toBe(false);
    writeRunFolder(join(root, "run"), [{ name: "summary.json", content: SUMMARY }]);
    expect(isExitlabRunFolder(join(root, "run"))).toBe(true);
  });
});

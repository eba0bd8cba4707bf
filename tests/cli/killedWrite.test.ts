/**
 * `kill -9` while a run folder is written: the work folder it leaves is exitlab's (marker),
 * the next run clears it, and files the user had in the folder being replaced come back.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, entriesOf, expectRunFolder, hourlyBarLines, makeTempFolder, runExitlab, writeLines, writeText } from "./cliHarness.js";

const HANG_ON_SWAP = join(PROJECT_ROOT, "tests", "fixtures", "hangOnSwap.cjs");

/**
 * Starts a backtest that hangs just before its work folder is renamed into place, and kills it
 * with SIGKILL there: once `last` — the last entry put into the work folder before the rename —
 * is in it.
 */
async function killDuringWrite(args: readonly string[], parent: string, last: string): Promise<string> {
  const child = spawn(process.execPath, ["--require", HANG_ON_SWAP, join(PROJECT_ROOT, "bin", "exitlab.js"), ...args], { cwd: PROJECT_ROOT });
  const closed = new Promise((resolve) => child.on("close", resolve));
  const deadline = Date.now() + 20_000;
  let work: string | undefined;
  while (work === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    work = readdirSync(parent).find((name) => name.includes(".tmp-") && existsSync(join(parent, name, last)));
  }
  child.kill("SIGKILL");
  await closed;
  expect(work, "the run never reached its final rename").toBeDefined();
  return join(parent, work!);
}

describe("a run killed with SIGKILL while it writes its folder", { timeout: 20_000 }, () => {
  it("leaves a work folder the next run clears, giving back the files the user had added", async () => {
    const root = makeTempFolder();
    const data = writeLines(root, "BTCUSDT.csv", hourlyBarLines(80));
    const out = join(root, "run");
    const args = ["backtest", "--data", data, "--out", out, "--quiet", "--no-cache"];
    expect((await runExitlab(args)).status).toBe(0);
    writeText(out, "notebook.ipynb", "{}\n");

    const work = await killDuringWrite(args, root, "notebook.ipynb");
    expect(entriesOf(work)).toContain(".exitlab");
    expect(entriesOf(work)).toContain("notebook.ipynb"); // carried over, then killed before the swap

    const rerun = await runExitlab(args);
    expect(rerun.stderr).toBe("");
    expect(rerun.status).toBe(0);
    expect(existsSync(work)).toBe(false);
    expectRunFolder(out);
    expect(readFileSync(join(out, "notebook.ipynb"), "utf8")).toBe("{}\n");
    expect(entriesOf(root).sort()).toEqual(["BTCUSDT.csv", "run"]);
  });
});

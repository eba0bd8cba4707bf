import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, makeTempFolder } from "./cliHarness.js";

describe("an interrupted run", () => {
  it("leaves no output folder and says so on one line when SIGINT arrives mid-run", async () => {
    const out = join(makeTempFolder(), "run");
    // A strategy module that takes five seconds to load keeps the run busy, deterministically.
    const slowModule = join(PROJECT_ROOT, "tests", "fixtures", "signals", "slowToLoad.mjs");
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "bin", "exitlab.js"), "backtest",
      "--signals", slowModule, "--out", out], { cwd: PROJECT_ROOT });
    let stderr = "";
    child.stderr.on("data", (chunk) => { stderr += String(chunk); });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr.trim().split("\n")).toEqual(["exitlab: interrupted by SIGINT; no output was written"]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dirname(out)).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });
});

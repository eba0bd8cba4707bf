import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempFolder, PROJECT_ROOT } from "./cliHarness.js";

/**
 * bin/exitlab.js runs the bundled CLI (dist/bundle/cli/main.js, built by cli/bundle.mjs after
 * tsc) only when it is at least as new as the tsc output, so a bare `tsc` after an edit never
 * runs a stale bundle. Checked on a stand-in package whose two entries say which one ran.
 */
function standIn(): { root: string; run: () => string; age: (path: string, seconds: number) => void } {
  const root = makeTempFolder();
  mkdirSync(join(root, "bin"));
  copyFileSync(join(PROJECT_ROOT, "bin", "exitlab.js"), join(root, "bin", "exitlab.js"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module" }));
  for (const [folder, name] of [["dist/cli", "tsc"], ["dist/bundle/cli", "bundle"]]) {
    mkdirSync(join(root, folder), { recursive: true });
    writeFileSync(join(root, folder, "main.js"), `process.stdout.write(${JSON.stringify(name)});\n`);
  }
  // The launcher starts a computing command's thread ahead (cli/commandThread.ts); the stand-in has no thread code, which must not matter to it.
  copyFileSync(join(PROJECT_ROOT, "dist", "cli", "commandThread.js"), join(root, "dist", "cli", "commandThread.js"));
  const age = (path: string, seconds: number): void => {
    const when = new Date(Date.now() - seconds * 1000);
    utimesSync(join(root, path), when, when);
  };
  const run = (): string => {
    const child = spawnSync(process.execPath, [join(root, "bin", "exitlab.js"), "backtest"], { encoding: "utf8" });
    expect(child.stderr).toBe("");
    return child.stdout;
  };
  return { root, run, age };
}

describe("bin/exitlab.js and the bundle", () => {
  it("runs the bundle when it is as new as the tsc output or newer", () => {
    const pkg = standIn();
    pkg.age("dist/cli/main.js", 60);
    expect(pkg.run()).toBe("bundle");
  });

  it("runs the tsc output when the bundle is older (a bare tsc after an edit)", () => {
    const pkg = standIn();
    pkg.age("dist/bundle/cli/main.js", 60);
    expect(pkg.run()).toBe("tsc");
  });

  it("runs the tsc output when there is no bundle", () => {
    const pkg = standIn();
    rmSync(join(pkg.root, "dist", "bundle"), { recursive: true });
    expect(pkg.run()).toBe("tsc");
  });
});

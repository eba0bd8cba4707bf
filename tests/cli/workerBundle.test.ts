import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Module } from "node:module";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { makeTempFolder, PROJECT_ROOT } from "./cliHarness.js";

/**
 * The worker thread's code in the bundled build: one CommonJS file (dist/bundle/cli/worker.cjs)
 * compiled from a V8 code cache made at build time (cli/bundle.mjs, cli/workerLoader.cjs).
 * `npm test` builds the bundle before vitest starts.
 */
const BUNDLE = join(PROJECT_ROOT, "dist", "bundle", "cli");

function cacheNameOf(bytes: Uint8Array, name = "worker.cjs"): string {
  return `${name}.${crc32(bytes).toString(16).padStart(8, "0")}.${process.version}.${process.arch}.v8cache`;
}

function exitlab(entry: string, args: readonly string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [entry, ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr };
}

describe("the bundled worker and its code cache", () => {
  it("is ASCII throughout, every thread's bundle and the main thread's chunks", () => {
    // One character beyond ASCII makes V8 hold a whole bundle's source as two-byte text: twice
    // the memory, and decoding worker.cjs took 14–21 ms instead of 6–8 in each cold run.
    const files = readdirSync(join(BUNDLE)).filter((name) => name.endsWith(".cjs") || name.endsWith(".js"));
    expect(files).toContain("worker.cjs");
    const wide = files.filter((name) => readFileSync(join(BUNDLE, name)).some((byte) => byte > 0x7f));
    expect(wide).toEqual([]);
  });

  it("holds zod's English messages and no other language's (cli/bundle.mjs), and words a config error as the unbundled build does", () => {
    for (const name of ["worker.cjs", "sweepCell.cjs", "windowCell.cjs"]) {
      const code = readFileSync(join(BUNDLE, name), "latin1");
      expect(code, name).toContain("Unrecognized key"); // locales/en.js
      expect(code, name).not.toContain("E-Mail-Adresse"); // locales/de.js
    }
    const folder = makeTempFolder();
    const config = join(folder, "bad.json");
    writeFileSync(config, JSON.stringify({ exits: { kind: "static", stopLossPct: "x", bogus: 1 } }));
    const args = ["backtest", "--config", config, "--out", join(folder, "out"), "--quiet"];
    const bundled = exitlab(join(BUNDLE, "main.js"), args);
    const unbundled = exitlab(join(PROJECT_ROOT, "dist", "cli", "main.js"), args);
    expect(bundled.status).toBe(2);
    expect(bundled.stderr).toMatch(/stopLossPct: expected number, received string/);
    expect([bundled.status, bundled.stderr]).toEqual([unbundled.status, unbundled.stderr]);
  });

  it.each(["worker.cjs", "sweepCell.cjs", "windowCell.cjs", "outputThread.cjs"])("has a code cache for the exact bytes of %s that this Node accepts", (name) => {
    const bytes = readFileSync(join(BUNDLE, name));
    const cache = join(BUNDLE, cacheNameOf(bytes, name));
    expect(existsSync(cache)).toBe(true);
    const script = new Script(Module.wrap(bytes.toString("utf8")), { filename: join(BUNDLE, name), cachedData: readFileSync(cache) });
    expect(script.cachedDataRejected).toBe(false);
  });

  it("runs a sweep's cells on the bundled pool thread, with the unbundled build's table", () => {
    const out = makeTempFolder();
    const grid = join(out, "grid.json");
    writeFileSync(grid, JSON.stringify({ grid: { "exits.stopLossPct": [0.02, 0.04], "exits.takeProfitPct": [0.03, 0.06] }, metric: "sharpeRatio" }));
    const args = ["sweep", "--grid", grid, "--data", "data/samples/binance-spot-1h", "--market", "spot", "--workers", "2", "--no-cache", "--quiet"];
    const bundled = exitlab(join(BUNDLE, "main.js"), [...args, "--out", join(out, "bundle")]);
    const unbundled = exitlab(join(PROJECT_ROOT, "dist", "cli", "main.js"), [...args, "--out", join(out, "tsc")]);
    expect([bundled.status, unbundled.status]).toEqual([0, 0]);
    expect(readFileSync(join(out, "bundle", "sweep.csv"), "utf8")).toBe(readFileSync(join(out, "tsc", "sweep.csv"), "utf8"));
  });

  it("writes the same run as the unbundled build, importing a user's strategy module and danfojs-node", () => {
    const out = makeTempFolder();
    const args = ["--data", "data/samples/binance-spot-1h", "--market", "spot", "--signals", "strategies/signals/examples/smaCross.mjs", "--exit", "harvest", "--no-cache", "--quiet"];
    const bundled = exitlab(join(BUNDLE, "main.js"), ["tiers", ...args, "--out", join(out, "bundle")]);
    const unbundled = exitlab(join(PROJECT_ROOT, "dist", "cli", "main.js"), ["tiers", ...args, "--out", join(out, "tsc")]);
    expect([bundled.status, unbundled.status]).toEqual([0, 0]);
    expect(bundled.stderr).toBe(unbundled.stderr);
    for (const file of ["trades.csv", "fills.csv", "equity.csv", "breakdown.csv", "report.html"]) {
      expect(readFileSync(join(out, "bundle", file)).equals(readFileSync(join(out, "tsc", file))), file).toBe(true);
    }
  });

  it("writes and reads the columnar cache and equity.arrow with the bundled apache-arrow as the unbundled build does", () => {
    const out = makeTempFolder();
    const args = ["backtest", "--data", "data/samples/binance-spot-1h", "--market", "spot", "--equity-arrow", "--cache-dir", join(out, "cache"), "--quiet"];
    const bundled = exitlab(join(BUNDLE, "main.js"), [...args, "--out", join(out, "bundle")]); // writes the cache
    const unbundled = exitlab(join(PROJECT_ROOT, "dist", "cli", "main.js"), [...args, "--out", join(out, "tsc")]); // reads it
    const again = exitlab(join(BUNDLE, "main.js"), [...args, "--out", join(out, "again")]); // reads it
    expect([bundled.status, unbundled.status, again.status]).toEqual([0, 0, 0]);
    for (const folder of ["tsc", "again"]) {
      expect(readFileSync(join(out, folder, "equity.arrow")).equals(readFileSync(join(out, "bundle", "equity.arrow"))), folder).toBe(true);
    }
  });

  it("runs an edited bundle from its source, never with the cache of the old bytes", () => {
    const folder = makeTempFolder();
    copyFileSync(join(PROJECT_ROOT, "cli", "workerLoader.cjs"), join(folder, "workerLoader.cjs"));
    const load = (env: NodeJS.ProcessEnv = {}): string =>
      spawnSync(process.execPath, [join(folder, "workerLoader.cjs")], { encoding: "utf8", env: { ...process.env, ...env } }).stdout;
    const before = 'process.stdout.write(String(40 + 2));\n';
    const after = 'process.stdout.write(String(40 + 3));\n';
    writeFileSync(join(folder, "worker.cjs"), before);
    expect(load({ EXITLAB_WRITE_CODE_CACHE: "1" })).toBe("42");
    expect(readdirSync(folder)).toContain(cacheNameOf(Buffer.from(before)));
    writeFileSync(join(folder, "worker.cjs"), after); // same length: V8 itself would not notice
    expect(load()).toBe("43");
  });

  it("compiles from source when the cache is damaged", () => {
    const folder = makeTempFolder();
    copyFileSync(join(PROJECT_ROOT, "cli", "workerLoader.cjs"), join(folder, "workerLoader.cjs"));
    const source = 'process.stdout.write("ran");\n';
    writeFileSync(join(folder, "worker.cjs"), source);
    writeFileSync(join(folder, cacheNameOf(Buffer.from(source))), "not a code cache");
    expect(spawnSync(process.execPath, [join(folder, "workerLoader.cjs")], { encoding: "utf8" }).stdout).toBe("ran");
  });
});

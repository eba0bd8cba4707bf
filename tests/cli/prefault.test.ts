import { existsSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prefaultBytes, touchPages } from "../../cli/prefault.js";
import { ConfigError } from "../../engine/index.js";
import { makeTempFolder, readSummary, runExitlab, snapshotFolder } from "./cliHarness.js";

/** cli/prefault.ts: the memory the main thread touches ahead for the worker's columns (engine/freshMemory.ts). */

const MB = 1 << 20;

/** A file of `bytes` that takes no disk (sparse). */
function sized(path: string, bytes: number): string {
  writeFileSync(path, "");
  truncateSync(path, bytes);
  return path;
}

/** A 40 MB file, and a folder of 8 + 4 MB of CSV and a 1 MB zip within two levels, and 50 MB deeper down. */
function sources(): { folder: string; big: string; symbols: string } {
  const folder = makeTempFolder();
  const big = sized(join(folder, "BIGUSDT.csv"), 40 * MB);
  const symbols = join(folder, "symbols");
  mkdirSync(join(symbols, "ETHUSDT", "deeper"), { recursive: true });
  sized(join(symbols, "BTCUSDT.csv"), 8 * MB);
  sized(join(symbols, "ETHUSDT", "2024-01.csv"), 4 * MB);
  sized(join(symbols, "ETHUSDT", "2024-02.zip"), 1 * MB);
  sized(join(symbols, "ETHUSDT", "deeper", "ignored.csv"), 50 * MB);
  return { folder, big, symbols };
}

describe("prefaultBytes", () => {
  const env = {};

  it("is the --data sources' bytes × 1.25, a compressed file counting 4×, a folder's files two levels down", () => {
    const { big, symbols } = sources();
    expect(prefaultBytes(["backtest", "--data", big], env)).toBe(50 * MB);
    expect(prefaultBytes(["compare", `--data=${big}`, "--plans", "static,ai"], env)).toBe(50 * MB);
    expect(prefaultBytes(["backtest", "--data", `BIG=${big}`], env)).toBe(50 * MB);
    expect(prefaultBytes(["tiers", "--data", symbols, "--quiet"], env)).toBe(Math.ceil(((8 + 4 + 4) * MB * 1.25) / 4096) * 4096);
    expect(prefaultBytes(["backtest", "--data", symbols, big], env)).toBe(prefaultBytes(["backtest", "--data", symbols, "--data", big], env));
    expect(prefaultBytes(["backtest", "--data", symbols, big], env)).toBe(Math.ceil(((16 + 40) * MB * 1.25) / 4096) * 4096);
  });

  it("is at most 192 MB, and none for small data, no --data, a missing path, a link that loops, another command or one core", () => {
    const { folder, big } = sources();
    sized(join(folder, "HUGE.csv"), 400 * MB);
    expect(prefaultBytes(["backtest", "--data", join(folder, "HUGE.csv")], env)).toBe(192 * MB);
    expect(prefaultBytes(["backtest", "--data", sized(join(folder, "SMALL.csv"), 6 * MB)], env)).toBe(0);
    expect(prefaultBytes(["backtest", "--exit", "ai"], env)).toBe(0);
    expect(prefaultBytes(["backtest", "--data", join(folder, "missing")], env)).toBe(0);
    expect(prefaultBytes(["walkforward", "--data", big], env)).toBe(0);
    expect(prefaultBytes(["backtest", "--data", big], env, 1)).toBe(0); // one core: the worker's own
    expect(prefaultBytes(["backtest", "--data", big], env, 2)).toBe(50 * MB);
    // A path that cannot be looked at is the worker's to report, not a crash here.
    const loop = join(folder, "loop.csv");
    symlinkSync(loop, loop);
    expect(prefaultBytes(["backtest", "--data", loop, big], env)).toBe(50 * MB);
  });

  it("takes EXITLAB_PREFAULT_MB instead when set, 0 turning it off, and refuses anything but a whole number of MB up to 4096", () => {
    const { big } = sources();
    expect(prefaultBytes(["backtest"], { EXITLAB_PREFAULT_MB: "12" })).toBe(12 * MB);
    expect(prefaultBytes(["backtest", "--data", big], { EXITLAB_PREFAULT_MB: "0" })).toBe(0);
    expect(prefaultBytes(["sweep", "--data", big], { EXITLAB_PREFAULT_MB: "3" })).toBe(3 * MB);
    expect(prefaultBytes(["backtest", "--data", big], { EXITLAB_PREFAULT_MB: "" })).toBe(50 * MB);
    for (const setting of ["abc", "-1", "1.5", "4097", " 8", "1e3"]) {
      expect(() => prefaultBytes(["backtest"], { EXITLAB_PREFAULT_MB: setting }), setting).toThrow(ConfigError);
    }
  });

  it("is refused by the CLI in one line, exit 2, before anything runs", async () => {
    const folder = makeTempFolder();
    const run = await runExitlab(["backtest", "--out", join(folder, "run")], { spawn: true, env: { EXITLAB_PREFAULT_MB: "lots" } });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("exitlab: EXITLAB_PREFAULT_MB=lots: is not a whole number of MB from 0 to 4096 (0 turns the prefault off; unset, it is sized from --data)\n");
    expect(existsSync(join(folder, "run"))).toBe(false);
  });
});

describe("touchPages", () => {
  it("touches every page without changing a value the worker may already have written, and stops when told", async () => {
    const memory = new SharedArrayBuffer(4 * MB);
    const words = new Int32Array(memory);
    const written = [0, 1023, 1024, 5000, words.length - 1024, words.length - 1];
    for (const at of written) words[at] = at + 7;
    touchPages(memory);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const at of written) expect(words[at]).toBe(at + 7);
    expect(words.reduce((sum, value) => sum + value, 0)).toBe(written.reduce((sum, at) => sum + at + 7, 0));

    const stopped = touchPages(new SharedArrayBuffer(64 * MB));
    stopped.stop(); // the first 256 pages are touched at once; the rest never, without an error
  });
});

describe("a run's columns carved from the touched memory", () => {
  it("give every output byte of a run with fresh columns, from the CSV and from the data cache; EXITLAB_TIMINGS shows what was used", async () => {
    const folder = makeTempFolder();
    const cache = join(folder, "cache");
    const args = (name: string, cached: boolean) => [
      "backtest", "--data", "data/samples/binance-spot-1h", "--market", "spot", "--signals", "strategies/signals/examples/smaCross.mjs",
      ...(cached ? ["--cache-dir", cache] : ["--no-cache"]), "--out", join(folder, name), "--quiet",
    ];
    // The cache is filled by cacheFresh and read by cacheCarved.
    const runs: [string, string, boolean][] = [["csvFresh", "0", false], ["csvCarved", "16", false], ["cacheFresh", "0", true], ["cacheCarved", "16", true]];
    const timings: Record<string, { prefaultedMb?: { touched: number; used: number } }> = {};
    for (const [name, mb, cached] of runs) {
      const run = await runExitlab(args(name, cached), { spawn: true, env: { EXITLAB_PREFAULT_MB: mb, EXITLAB_TIMINGS: "json" } });
      expect(run.status, run.stderr).toBe(0);
      timings[name] = JSON.parse(run.stderr.trim().split("\n").find((line) => line.startsWith("exitlab timings "))!.slice("exitlab timings ".length));
    }
    expect(timings.csvFresh?.prefaultedMb).toBeUndefined();
    expect(timings.csvCarved?.prefaultedMb?.touched).toBe(16);
    // From the cache the bars themselves are carved too.
    expect(timings.cacheCarved!.prefaultedMb!.used).toBeGreaterThan(timings.csvCarved!.prefaultedMb!.used);
    expect(timings.csvCarved!.prefaultedMb!.used).toBeGreaterThan(0);
    const comparable = (name: string) => {
      const files = snapshotFolder(join(folder, name));
      delete files["summary.json"];
      delete files[".exitlab"];
      const summary = readSummary(join(folder, name));
      summary.config.output.dir = "";
      summary.cache = null;
      return { files, summary };
    };
    expect(comparable("csvCarved")).toEqual(comparable("csvFresh"));
    expect(comparable("cacheCarved")).toEqual(comparable("csvFresh"));
    expect(comparable("cacheFresh")).toEqual(comparable("csvFresh"));
  });
});

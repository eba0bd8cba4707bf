import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadMarketData, loadMarketDataWithCacheReport } from "../../../data/loadMarketData.js";
import { makeTempFolder, writeFixture } from "../fixtureFiles.js";
import { expectSameMarketData, hourlyBarsCsv, listEntries, listTemporaryFiles } from "./cacheFixtures.js";

const REPOSITORY = fileURLToPath(new URL("../../../", import.meta.url));
const LOADER = fileURLToPath(new URL("../../../data/loadMarketData.ts", import.meta.url));

/** A separate Node process that loads `csv` through the cache in `cacheDir` and prints its outcomes. */
function loadInChildProcess(script: string, csv: string, cacheDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, csv, cacheDir], { cwd: REPOSITORY, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(output.trim()) : reject(new Error(`child exited with ${code}: ${errors}`))));
  });
}

describe("processes filling the same cache entry at once", () => {
  it("leave one complete entry that the next load reads, and no temporary files", async () => {
    const folder = makeTempFolder();
    // Large enough that the parses overlap: the processes all miss, then all write.
    const csv = writeFixture(folder, "BTCUSDT.csv", hourlyBarsCsv(20_000));
    const cacheDir = join(folder, "cache");
    const script = writeFixture(
      folder,
      "loadOnce.mts",
      `import { loadMarketDataWithCacheReport } from ${JSON.stringify(LOADER)};\n` +
        "const loaded = await loadMarketDataWithCacheReport({ paths: [process.argv[2]], cache: { dir: process.argv[3] } });\n" +
        "process.stdout.write(loaded.cache.sources.map((source) => source.outcome).join());\n",
    );

    const outcomes = await Promise.all([1, 2, 3, 4].map(() => loadInChildProcess(script, csv, cacheDir)));
    for (const outcome of outcomes) expect(["stored", "hit"]).toContain(outcome);
    expect(listEntries(cacheDir)).toHaveLength(1);
    expect(listTemporaryFiles(cacheDir)).toEqual([]);

    const warm = await loadMarketDataWithCacheReport({ paths: [csv], cache: { dir: cacheDir } });
    expect(warm.cache.hits).toBe(1);
    expectSameMarketData(warm.data, await loadMarketData({ paths: [csv] }));
  }, 120_000);
});

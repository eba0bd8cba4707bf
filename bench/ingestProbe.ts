/**
 * One measured load in a fresh process, for bench/ingest.ts: `node dist/bench/ingestProbe.js
 * csv|cache|fill <file> <cacheDir>` prints `{"rows":…,"ms":…,"cpuMs":…}`. `csv` parses the
 * file (no cache); `cache` loads it from an entry that must already exist (the probe fails if
 * the CSV was parsed instead); `fill` loads through the cache, writing the entry if missing.
 * The time covers the load only, not Node's start-up.
 */
import { performance } from "node:perf_hooks";
import { loadBarFilesCached } from "../data/loadCached.js";

const [mode, file, cacheDir] = process.argv.slice(2);
if ((mode !== "csv" && mode !== "cache" && mode !== "fill") || file === undefined || cacheDir === undefined) {
  process.stderr.write("usage: ingestProbe csv|cache|fill <file> <cacheDir>\n");
  process.exit(2);
}
const cpuBefore = process.cpuUsage();
const started = performance.now();
const { loaded, outcome } = await loadBarFilesCached([file], "SYNTHUSDT", "bars", mode === "csv" ? null : { dir: cacheDir });
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (mode === "cache" && outcome !== "hit") {
  process.stderr.write(`ingestProbe: expected a cache hit, got ${outcome}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ rows: loaded.series.length, ms, cpuMs: (cpu.user + cpu.system) / 1000, sha256: loaded.fingerprint.sha256 })}\n`);

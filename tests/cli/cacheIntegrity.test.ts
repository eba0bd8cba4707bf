/**
 * A damaged data cache entry is never replayed: a flipped bit, a hand edit to high < low or a
 * cut file is caught on load, the entry is rebuilt from the CSV, the run warns on stderr and
 * counts it in summary.json, and its trades are those of a clean run.
 */

import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RecordBatch, Schema, Table, makeData, Float64, tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, makeTempFolder, readSummary, runExitlab } from "./cliHarness.js";

const SAMPLE = join(PROJECT_ROOT, "data", "samples", "binance-perp-1h", "BTCUSDT.csv");

/** The one bars entry of a cache folder. */
function barsEntry(cacheDir: string): string {
  const entries = readdirSync(cacheDir).filter((name) => name.startsWith("bars-") && name.endsWith(".arrow"));
  expect(entries).toHaveLength(1);
  return join(cacheDir, entries[0]);
}

/** Rewrites an entry as a user editing it with an Arrow library would: the high of row `row` set below its low, metadata kept. */
function editHighBelowLow(path: string, row: number): void {
  const table = tableFromIPC(readFileSync(path));
  const high = Float64Array.from(table.getChild("high")!.toArray() as Float64Array);
  high[row] = (table.getChild("low")!.get(row) as number) - 1;
  const children = table.schema.fields.map((field) =>
    field.name === "high" ? makeData({ type: new Float64(), length: table.numRows, nullCount: 0, data: high }) : table.getChild(field.name)!.data[0],
  );
  const schema = new Schema(table.schema.fields, table.schema.metadata);
  const batch = new RecordBatch(schema, makeData({ type: table.batches[0].data.type, length: table.numRows, nullCount: 0, children }));
  writeFileSync(path, tableToIPC(new Table(schema, batch), "file"));
}

const damages: [string, (path: string) => void][] = [
  ["one bit of a price flipped", (path) => {
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0x10; // the middle of the file lies in the price columns
    writeFileSync(path, bytes);
  }],
  ["a bar edited to high < low", (path) => editHighBelowLow(path, 100)],
  ["the file cut short", (path) => truncateSync(path, Math.floor(readFileSync(path).length * 0.7))],
  // tests/fuzz finding F13: apache-arrow's reader looped forever on this, so the whole file is
  // checked against its sidecar checksum before it is parsed.
  ["the first Arrow message's header zeroed (bytes 16-100)", (path) => {
    const bytes = readFileSync(path);
    bytes.fill(0, 16, 100);
    writeFileSync(path, bytes);
  }],
  ["its checksum file deleted", (path) => {
    rmSync(`${path}.crc32`);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(path, bytes);
  }],
];

describe("a damaged data cache entry", () => {
  it.each(damages)("is rebuilt with a warning, and the trades are a clean run's, when %s", async (_name, damage) => {
    const folder = makeTempFolder();
    const cacheDir = join(folder, "cache");
    const backtest = (out: string) => runExitlab(["backtest", "--data", SAMPLE, "--out", join(folder, out), "--cache-dir", cacheDir, "--quiet"]);

    expect((await backtest("clean")).status).toBe(0);
    const entry = barsEntry(cacheDir);
    const cleanEntry = readFileSync(entry);
    damage(entry);
    expect(readFileSync(entry).equals(cleanEntry)).toBe(false);

    const damaged = await backtest("damaged");
    expect(damaged.status).toBe(0);
    expect(damaged.stderr).toMatch(/exitlab: warning: 1 damaged data cache entry .* rebuilt from the source files: BTCUSDT bars/);
    const warnings = readSummary(join(folder, "damaged")).warnings as { code: string; count: number }[];
    expect(warnings.filter((warning) => warning.code === "cache-entry-rebuilt").map((warning) => warning.count)).toEqual([1]);
    expect(readFileSync(join(folder, "damaged", "trades.csv"), "utf8")).toBe(readFileSync(join(folder, "clean", "trades.csv"), "utf8"));
    expect(readFileSync(join(folder, "damaged", "equity.csv"), "utf8")).toBe(readFileSync(join(folder, "clean", "equity.csv"), "utf8"));

    // The rebuilt entry is the clean one again, and the next run uses it without a word.
    expect(readFileSync(entry).equals(cleanEntry)).toBe(true);
    const again = await backtest("again");
    expect(again.stderr).not.toMatch(/cache/);
  }, 60_000);
});

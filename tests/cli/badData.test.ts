/**
 * `exitlab backtest` on bar files (SPEC §2): broken files exit 1 with one line naming the
 * file and the 1-based line, and write nothing; Binance kline downloads load as they are.
 */

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  HOUR_MS,
  JAN_1_2024_MS,
  expectNoOutputFolder,
  expectNoSiblings,
  expectRunFolder,
  expectOneLineError,
  fieldOf,
  hourlyBarLines,
  makeTempFolder,
  readSummary,
  readTrades,
  runExitlab,
  snapshotFolder,
  toKlineLines,
  withField,
  writeLines,
  writeText,
} from "./cliHarness.js";

// Columns of the generic fixture: timestamp, open, high, low, close, volume.
const TIME = 0, OPEN = 1, HIGH = 2, LOW = 3, CLOSE = 4, VOLUME = 5;

const good = hourlyBarLines(80);

/** Lowest and highest of a fixture line's body (open, close). */
function body(lines: readonly string[], lineNumber: number): { bottom: number; top: number } {
  const open = Number(fieldOf(lines, lineNumber, OPEN));
  const close = Number(fieldOf(lines, lineNumber, CLOSE));
  return { bottom: Math.min(open, close), top: Math.max(open, close) };
}

interface BrokenCase {
  readonly description: string;
  /** The file's lines (each written with "\n"), or its whole text. */
  readonly content: readonly string[] | string;
  /** The 1-based line the message must name; null when the whole file is at fault. */
  readonly line: number | null;
  readonly reason: readonly string[];
}

const brokenCases: BrokenCase[] = [
  {
    description: "a close is not a number",
    content: withField(good, 11, CLOSE, "abc"),
    line: 11,
    reason: ['close "abc"', "not a finite number"],
  },
  {
    description: "a price is written in hexadecimal (Number() would read 0x10 as 16)",
    content: withField(good, 11, HIGH, "0x7F"),
    line: 11,
    reason: ['high "0x7F"', "not a decimal number"],
  },
  {
    description: "a price is written in binary",
    content: withField(good, 12, OPEN, "0b1100100"),
    line: 12,
    reason: ['open "0b1100100"', "not a decimal number"],
  },
  {
    description: "a volume is written in octal",
    content: withField(good, 13, VOLUME, "0o17"),
    line: 13,
    reason: ['volume "0o17"', "not a decimal number"],
  },
  {
    description: "a zero volume is written in hexadecimal",
    content: withField(good, 14, VOLUME, " 0X0"),
    line: 14,
    reason: ['volume " 0X0"', "not a decimal number"],
  },
  {
    description: "a high is below its low",
    content: withField(withField(good, 12, HIGH, "50"), 12, LOW, "60"),
    line: 12,
    reason: ["high 50 is below low 60"],
  },
  {
    description: "a high is below max(open, close)",
    content: withField(good, 13, HIGH, (body(good, 13).top - 0.01).toFixed(4)),
    line: 13,
    reason: ["high", "below max(open, close)"],
  },
  {
    description: "a low is above min(open, close)",
    content: withField(good, 20, LOW, (body(good, 20).bottom + 0.01).toFixed(4)),
    line: 20,
    reason: ["low", "above min(open, close)"],
  },
  {
    description: "time goes backwards",
    content: withField(good, 14, TIME, String(Number(fieldOf(good, 13, TIME)) - HOUR_MS)),
    line: 14,
    reason: ["goes backwards", "BTCUSDT.csv:13)"],
  },
  {
    description: "a timestamp is repeated",
    content: withField(good, 15, TIME, fieldOf(good, 14, TIME)),
    line: 15,
    reason: ["duplicate time", new Date(Number(fieldOf(good, 14, TIME))).toISOString(), "also at", "BTCUSDT.csv:14"],
  },
  {
    description: "one row has an extra field",
    content: good.map((line, index) => (index === 15 ? `${line},7` : line)),
    line: 16,
    reason: ["7 fields", "header has 6"],
  },
  {
    description: "one row misses a field",
    content: good.map((line, index) => (index === 30 ? line.split(",").slice(0, 5).join(",") : line)),
    line: 31,
    reason: ["5 fields", "header has 6"],
  },
  {
    description: "a volume is negative",
    content: withField(good, 17, VOLUME, "-5"),
    line: 17,
    reason: ["volume -5 is negative"],
  },
  {
    description: "a blank line splits the data",
    content: good.map((line, index) => (index === 20 ? "" : line)),
    line: 21,
    reason: ["blank line"],
  },
  {
    description: "the file is empty",
    content: "",
    line: null,
    reason: ["no data rows"],
  },
  {
    description: "the file has only a header",
    content: [good[0]],
    line: null,
    reason: ["no data rows"],
  },
];

describe("exitlab backtest with broken bar files", () => {
  for (const { description, content, line, reason } of brokenCases) {
    it(`exits 1 naming the file${line === null ? "" : " and line"} when ${description}`, async () => {
      const folder = makeTempFolder();
      const file = typeof content === "string" ? writeText(folder, "BTCUSDT.csv", content) : writeLines(folder, "BTCUSDT.csv", content);
      const outDir = join(folder, "run");

      const run = await runExitlab(["backtest", "--data", file, "--out", outDir]);

      const where = line === null ? `exitlab: ${file}: ` : `exitlab: ${file}:${line}: `;
      const message = expectOneLineError(run, 1, ...reason);
      expect(message.startsWith(where), message).toBe(true);
      expectNoOutputFolder(outDir);
    });
  }

  it("leaves an earlier run in --out untouched when the data is broken", async () => {
    const folder = makeTempFolder();
    const outDir = join(folder, "run");
    const goodFile = writeLines(folder, "good/BTCUSDT.csv", good);
    expect((await runExitlab(["backtest", "--data", goodFile, "--out", outDir, "--quiet"])).status).toBe(0);
    const before = snapshotFolder(outDir);

    const badFile = writeLines(folder, "bad/BTCUSDT.csv", withField(good, 11, CLOSE, "abc"));
    const run = await runExitlab(["backtest", "--data", badFile, "--out", outDir]);

    expectOneLineError(run, 1, `${badFile}:11:`);
    expect(snapshotFolder(outDir)).toEqual(before);
    expectNoSiblings(outDir);
  });

  it("exits 1 naming the path when --data does not exist", async () => {
    const folder = makeTempFolder();
    const missing = join(folder, "nowhere", "BTCUSDT.csv");
    const outDir = join(folder, "run");

    const run = await runExitlab(["backtest", "--data", missing, "--out", outDir]);

    expectOneLineError(run, 1, `exitlab: ${missing}: `, "not found");
    expectNoOutputFolder(outDir);
  });
});

describe("exitlab backtest with Binance kline downloads", () => {
  it("runs on a headerless 12-column kline file with ms open times and on the same file with µs open times", async () => {
    const folder = makeTempFolder();
    const generic = hourlyBarLines(120);
    const millis = writeLines(folder, "ms/BTCUSDT-1h-2024-01.csv", toKlineLines(generic, "ms"));
    const micros = writeLines(folder, "us/BTCUSDT-1h-2024-01.csv", toKlineLines(generic, "us"));
    expect(fieldOf(toKlineLines(generic, "us"), 1, 0)).toBe(String(JAN_1_2024_MS * 1000));

    const outMs = join(folder, "run-ms");
    const outUs = join(folder, "run-us");
    const runMs = await runExitlab(["backtest", "--data", millis, "--out", outMs, "--quiet"]);
    const runUs = await runExitlab(["backtest", "--data", micros, "--out", outUs, "--quiet"]);

    for (const [run, outDir] of [[runMs, outMs], [runUs, outUs]] as const) {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expectRunFolder(outDir);
      const summary = readSummary(outDir);
      expect(summary.data.timeframeMs).toBe(HOUR_MS);
      expect(summary.data.bars).toBe(120);
      expect(summary.data.fingerprint[0]).toMatchObject({
        symbol: "BTCUSDT",
        rows: 120,
        firstTimeMs: JAN_1_2024_MS,
        lastTimeMs: JAN_1_2024_MS + 119 * HOUR_MS,
        gaps: 0,
      });
    }
    const trades = readTrades(outMs);
    expect(trades.length).toBeGreaterThan(0);
    for (const trade of trades) {
      const entry = Number(trade.entry_time);
      expect(entry % HOUR_MS).toBe(0);
      expect(entry).toBeGreaterThan(JAN_1_2024_MS);
      expect(entry).toBeLessThanOrEqual(JAN_1_2024_MS + 119 * HOUR_MS);
    }
    // µs open times are normalised to ms: the two runs trade identically.
    expect(readTrades(outUs)).toEqual(trades);
  });
});

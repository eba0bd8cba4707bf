import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCsvField, formatExitStatsCsv, formatTradesCsv, neutralizeFormula } from "../../reports/csv.js";
import { CsvWriter, writeToString } from "../../reports/csvWriter.js";
import { makeTrade } from "./fixtures.js";

/** The writer with a tiny buffer, so every value also crosses chunk boundaries. */
function writeSmall(write: (writer: CsvWriter) => void): string {
  const chunks: Buffer[] = [];
  const writer = new CsvWriter((bytes) => void chunks.push(Buffer.from(bytes)), 256);
  write(writer);
  writer.flush();
  return Buffer.concat(chunks).toString("utf8");
}

/** What the string formatters write for a row: fields through formatCsvField, joined. */
function referenceRow(fields: readonly (string | number | boolean | null)[]): string {
  return `${fields.map(formatCsvField).join(",")}\n`;
}

describe("the CSV byte writer", () => {
  const awkward = [0, -0, 1, -1, 0.1 + 0.2, 1e-7, 5e-324, 1.7976931348623157e308, 2 / 3, 123456789.123456, 2 ** 53, 2 ** 53 + 2,
    -(2 ** 53), 1e21, 1e22, -1e-300, 9007199254740991, 1e15 + 0.5, Number.NaN, Infinity, -Infinity];

  it("writes every number exactly as String(x), the shortest text that parses back to the same float64", () => {
    const text = writeSmall((writer) => awkward.forEach((x) => { writer.number(x); writer.newline(); }));
    expect(text).toBe(awkward.map((x) => (Number.isFinite(x) ? String(x) : "") + "\n").join(""));
  });

  it("writes random doubles and integers byte for byte like String(x)", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger())), (values) => {
      const text = writeSmall((writer) => writer.row(values));
      expect(text).toBe(referenceRow(values));
    }), { numRuns: 300 });
  });

  it("writes ISO times as toISOString, across days, before 1970 and past year 9999", () => {
    const times = [0, -1, -86_400_001, 1_704_067_200_000, 1_704_153_599_999, 253402300800000, -62198755200000];
    const text = writeSmall((writer) => times.forEach((t) => { writer.isoTime(t); writer.newline(); }));
    expect(text).toBe(times.map((t) => `${new Date(t).toISOString()}\n`).join(""));
  });

  it("writes text of any length and any characters as formatCsvField does", () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 400 })), (texts) => {
      expect(writeSmall((writer) => writer.row(texts))).toBe(referenceRow(texts));
    }), { numRuns: 200 });
  });

  it("gives the same bytes as one string and as chunks", () => {
    const trades = Array.from({ length: 50 }, (_, i) => makeTrade({ id: i + 1, netPnlUsd: i / 7, symbol: i % 2 === 0 ? "BTCUSDT" : "ÉTHUSDT" }));
    const whole = formatTradesCsv(trades);
    expect(writeToString((writer) => writer.raw(whole))).toBe(whole);
    expect(whole.split("\n")).toHaveLength(52);
  });
});

describe("CSV injection (OWASP): text a spreadsheet would run as a formula", () => {
  it.each([
    ["=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "\"'\r=1\""],
  ])("writes %j with a leading quote", (text, written) => {
    expect(formatCsvField(text)).toBe(written);
    expect(writeToString((writer) => writer.text(text))).toBe(written);
  });

  it("leaves plain text, numbers, and text that is a signed number alone", () => {
    for (const text of ["BTCUSDT", "0.02:0.5|0.035:0.3", "-1.5", "+2", "-3e-9", "", "a=b"]) expect(neutralizeFormula(text)).toBe(text);
    expect(formatCsvField(-1.5)).toBe("-1.5");
    expect(writeToString((writer) => writer.number(-0.25))).toBe("-0.25");
  });

  it("neutralises a symbol taken from a file name in trades.csv and exit_stats.csv", () => {
    const symbol = "=HYPERLINK(\"http://x\",\"y\")";
    const trades = formatTradesCsv([makeTrade({ symbol })]);
    expect(trades).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(trades).not.toMatch(/(^|,)=HYPERLINK/m);
    const stats = formatExitStatsCsv([{
      group: "symbol", groupValue: symbol, reason: "TP1", fills: 1, trades: 1, shareOfTrades: 1, quantity: 1, shareOfQuantity: 1,
      totalNetPnlUsd: -1, averageNetPnlUsd: -1, averageBarsToHit: 2, groupTrades: 1,
    }]);
    expect(stats.split("\n")[1]).toBe(`symbol,"'=HYPERLINK(""http://x"",""y"")",TP1,1,1,1,1,1,-1,-1,2,1`);
  });
});

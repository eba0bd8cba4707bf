import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadBarFile, loadBarFiles } from "../../data/loadBars.js";
import { formatBarsCsv, generateSynthBars } from "../../data/synth.js";
import { describeBadNumber, measureSpacing, parseNumberField } from "../../data/validateBars.js";
import { csvLines, dataErrorOf, HOUR_MS, JAN_1_2024_MS, makeTempFolder, writeFixture } from "./fixtureFiles.js";

const HEADER = "timestamp,open,high,low,close,volume";
const t = (hour: number) => JAN_1_2024_MS + hour * HOUR_MS;
const goodRow = (hour: number) => `${t(hour)},100,110,90,105,10`;

/** A file whose line `badLine` (1-based, header = line 1) is `badRow`, surrounded by good rows. */
function fileWithBadRow(badRow: string, badLine = 4): string {
  const lines = [HEADER];
  for (let hour = 0; lines.length < badLine - 1; hour++) lines.push(goodRow(hour));
  lines.push(badRow, goodRow(100), goodRow(101));
  return writeFixture(makeTempFolder(), "bars.csv", csvLines(...lines));
}

describe("bar validation names the file, the line and the reason", () => {
  it.each([
    ["an unparseable number", `${t(2)},100,abc,90,105,10`, 'high "abc" is not a finite number'],
    ["an empty price", `${t(2)},100,110,,105,10`, "low is empty"],
    ["an infinite price", `${t(2)},Infinity,110,90,105,10`, 'open "Infinity" is not a finite number'],
    ["a negative price", `${t(2)},-100,110,90,105,10`, "open -100 is not a positive price"],
    ["high below low", `${t(2)},100,90,110,100,10`, "high 90 is below low 110"],
    ["high below max(open, close)", `${t(2)},100,101,90,102,10`, "high 101 is below max(open, close) 102"],
    ["low above min(open, close)", `${t(2)},100,110,101,105,10`, "low 101 is above min(open, close) 100"],
    ["negative volume", `${t(2)},100,110,90,105,-1`, "volume -1 is negative"],
    ["too few fields", `${t(2)},100,110,90,105`, "the row has 5 fields but the header has 6"],
    ["too many fields", `${t(2)},100,110,90,105,10,7`, "the row has 7 fields but the header has 6"],
    ["an unparseable time", `yesterday,100,110,90,105,10`, 'time "yesterday" is not in epoch milliseconds like the first data row (line 2)'],
  ])("rejects %s", async (_case, badRow, message) => {
    const path = fileWithBadRow(badRow);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.code).toBe("DATA_INVALID");
    expect(error.where).toBe(`${path}:4`);
    expect(error.message).toBe(message);
  });

  it("rejects a time going backwards and points at the previous row", async () => {
    const path = fileWithBadRow(`${t(0)},100,110,90,105,10`);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:4`);
    expect(error.message).toBe(
      `time 2024-01-01T00:00:00.000Z goes backwards: the previous row (${path}:3) has 2024-01-01T01:00:00.000Z`,
    );
  });

  it("rejects a duplicate time", async () => {
    const path = fileWithBadRow(goodRow(1));
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:4`);
    expect(error.message).toBe(`duplicate time 2024-01-01T01:00:00.000Z (also at ${path}:3)`);
  });

  it("reports the first bad row when there are several", async () => {
    const path = writeFixture(
      makeTempFolder(),
      "bars.csv",
      csvLines(HEADER, goodRow(0), `${t(1)},100,110,90,105,-5`, `${t(2)},100,1,90,105,10`),
    );
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:3`);
  });

  it("rejects a time whose epoch unit differs from the first row's", async () => {
    const path = fileWithBadRow(`${t(2) * 1000},100,110,90,105,10`);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:4`);
    expect(error.message).toMatch(/not in epoch milliseconds/);
  });

  it("counts CRLF lines correctly in the line number", async () => {
    const text = `${HEADER}\r\n${goodRow(0)}\r\n${goodRow(1)}\r\n${t(2)},100,101,90,102,10\r\n`;
    const path = writeFixture(makeTempFolder(), "bars.csv", "\ufeff" + text);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:4`);
    expect(error.message).toBe("high 101 is below max(open, close) 102");
  });

  it("rejects a blank line in the middle of the data, naming the blank line", async () => {
    const path = writeFixture(makeTempFolder(), "bars.csv", csvLines(HEADER, goodRow(0), "", goodRow(1)));
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:3`);
    expect(error.message).toBe("blank line in the middle of the data");
  });

  it.each([
    ["a zero-byte file", ""],
    ["a header only", csvLines(HEADER)],
    ["a header and blank lines", csvLines(HEADER, "", "")],
  ])("rejects %s as an empty file", async (_case, text) => {
    const path = writeFixture(makeTempFolder(), "bars.csv", text);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(path);
    expect(error.message).toBe("the file has no data rows");
  });

  it("rejects a header without a time column, listing what it found", async () => {
    const path = writeFixture(makeTempFolder(), "bars.csv", csvLines("when,open,high,low,close", "1,1,1,1,1"));
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:1`);
    expect(error.message).toBe(
      "the header has no time column (looked for time, date, timestamp, open_time, datetime; found when, open, high, low, close)",
    );
  });

  it("rejects headerless data that is not a 12-column Binance kline file", async () => {
    const path = writeFixture(makeTempFolder(), "bars.csv", csvLines(goodRow(0), goodRow(1)));
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:1`);
    expect(error.hint).toMatch(/add a header line/);
  });

  it("rejects a single bar because its timeframe cannot be detected", async () => {
    const path = writeFixture(makeTempFolder(), "bars.csv", csvLines(HEADER, goodRow(0)));
    const error = await dataErrorOf(loadBarFile(path, "BTCUSDT"));
    expect(error.message).toBe("BTCUSDT has only one bar, so its timeframe cannot be detected");
  });

  it("rejects concatenated files that overlap, naming the second file and its line", async () => {
    const folder = makeTempFolder();
    const first = writeFixture(folder, "2024-01.csv", csvLines(HEADER, goodRow(0), goodRow(1), goodRow(2)));
    const second = writeFixture(folder, "2024-02.csv", csvLines(HEADER, goodRow(2), goodRow(3)));
    const error = await dataErrorOf(loadBarFiles([first, second], "BTCUSDT"));
    expect(error.where).toBe(`${second}:2`);
    expect(error.message).toBe(`duplicate time 2024-01-01T02:00:00.000Z (also at ${first}:4)`);
  });

  it("rejects an unterminated quote", async () => {
    const path = fileWithBadRow(`${t(2)},"100,110,90,105,10`);
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:4`);
    expect(error.message).toBe("malformed CSV: Quoted field unterminated");
  });

  it("reports the right line for a bad row far past the first chunk read", async () => {
    const lines = formatBarsCsv(generateSynthBars({ symbol: "SYN", bars: 20_000, seed: 5 })).split("\n");
    const badLine = 19_000;
    const fields = lines[badLine - 1].split(",");
    fields[5] = "-3";
    lines[badLine - 1] = fields.join(",");
    const path = writeFixture(makeTempFolder(), "big.csv", lines.join("\n"));
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(`${path}:${badLine}`);
    expect(error.message).toBe("volume -3 is negative");
  });

  it("rejects a missing file", async () => {
    const path = `${makeTempFolder()}/missing.csv`;
    const error = await dataErrorOf(loadBarFile(path));
    expect(error.where).toBe(path);
    expect(error.message).toBe("file not found");
  });
});

describe("number fields", () => {
  it("reads decimal numbers as Number does, and empty, hexadecimal, binary and octal text as not a number", () => {
    for (const text of ["1", "0", "0.5", "-0.25", "1e-9", " 42 ", "00.5", "0e5", ".5"]) expect(parseNumberField(text), text).toBe(Number(text));
    for (const text of ["", " ", "0x10", "0X0", "0b11", "0B0", "0o17", "0O7", " 0x1F", "\t0b1"]) expect(parseNumberField(text), text).toBeNaN();
    expect(describeBadNumber("open", "0x10", parseNumberField("0x10"))).toBe('open "0x10" is not a decimal number (hexadecimal, binary and octal are not read)');
    expect(describeBadNumber("open", " ", NaN)).toBe("open is empty");
  });
});

describe("the timeframe read from the spacing of bars", () => {
  /** The plain definition: count every spacing, take the most common positive one, ties to the smallest. */
  function naiveTimeframe(time: readonly number[]): number {
    const counts = new Map<number, number>();
    for (let index = 1; index < time.length; index++) counts.set(time[index] - time[index - 1], (counts.get(time[index] - time[index - 1]) ?? 0) + 1);
    let best = 0;
    let bestCount = 0;
    for (const [spacing, count] of counts) {
      if (spacing > 0 && (count > bestCount || (count === bestCount && spacing < best))) [best, bestCount] = [spacing, count];
    }
    return best;
  }

  it("is the most common spacing, ties going to the smallest, however the spacings are arranged", () => {
    const spacings = fc.array(fc.constantFrom(60_000, 120_000, 180_000, 3_600_000, 0, -60_000), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(spacings, (steps) => {
        const time = [0];
        for (const step of steps) time.push(time[time.length - 1] + step);
        return measureSpacing(Float64Array.from(time), time.length).timeframeMs === naiveTimeframe(time);
      }),
      { numRuns: 2_000 },
    );
  });
});

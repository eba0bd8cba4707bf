import { describe, expect, it } from "vitest";
import { loadFundingFile } from "../../data/loadFunding.js";
import { csvLines, dataErrorOf, HOUR_MS, JAN_1_2024_MS, makeTempFolder, writeFixture } from "./fixtureFiles.js";

const EIGHT_HOURS = 8 * HOUR_MS;

describe("loadFundingFile", () => {
  it("reads timestamp and funding_rate and ignores other columns", async () => {
    const path = writeFixture(
      makeTempFolder(),
      "BTCUSDT.csv",
      csvLines("timestamp,timestamp_raw,funding_rate", `${JAN_1_2024_MS},${JAN_1_2024_MS + 7},0.0001`, `${JAN_1_2024_MS + EIGHT_HOURS},0,-0.00005`),
    );
    const { series, fingerprint } = await loadFundingFile(path, "BTCUSDT");
    expect(series.symbol).toBe("BTCUSDT");
    expect([...series.time]).toEqual([JAN_1_2024_MS, JAN_1_2024_MS + EIGHT_HOURS]);
    expect([...series.rate]).toEqual([0.0001, -0.00005]);
    expect(fingerprint.kind).toBe("funding");
    expect(fingerprint.rows).toBe(2);
  });

  it.each([
    ["fundingTime,fundingRate,markPrice", (t: number) => `${t},0.0001,42000`],
    ["symbol,calc_time,rate", (t: number) => `BTCUSDT,${t / 1000},0.0001`],
    ["Funding_Time,Funding_Rate", (t: number) => `${new Date(t).toISOString()},0.0001`],
  ])("accepts the header %s", async (header, row) => {
    const path = writeFixture(makeTempFolder(), "f.csv", csvLines(header, row(JAN_1_2024_MS), row(JAN_1_2024_MS + EIGHT_HOURS)));
    const { series } = await loadFundingFile(path, "BTCUSDT");
    expect([...series.time]).toEqual([JAN_1_2024_MS, JAN_1_2024_MS + EIGHT_HOURS]);
  });

  it("rejects funding times that do not increase", async () => {
    const path = writeFixture(
      makeTempFolder(),
      "f.csv",
      csvLines("timestamp,funding_rate", `${JAN_1_2024_MS},0.0001`, `${JAN_1_2024_MS},0.0002`),
    );
    const error = await dataErrorOf(loadFundingFile(path, "BTCUSDT"));
    expect(error.where).toBe(`${path}:3`);
    expect(error.message).toMatch(/^duplicate time/);
  });

  it("rejects a rate that is not a finite number", async () => {
    const path = writeFixture(makeTempFolder(), "f.csv", csvLines("timestamp,funding_rate", `${JAN_1_2024_MS},NaN`));
    const error = await dataErrorOf(loadFundingFile(path, "BTCUSDT"));
    expect(error.where).toBe(`${path}:2`);
    expect(error.message).toBe('funding rate "NaN" is not a finite number');
  });

  it("rejects a file without a rate column", async () => {
    const path = writeFixture(makeTempFolder(), "f.csv", csvLines("timestamp,premium", `${JAN_1_2024_MS},0.1`));
    const error = await dataErrorOf(loadFundingFile(path, "BTCUSDT"));
    expect(error.where).toBe(`${path}:1`);
    expect(error.message).toMatch(/no funding rate column/);
  });

  it("rejects a file without a header", async () => {
    const path = writeFixture(makeTempFolder(), "f.csv", csvLines(`${JAN_1_2024_MS},0.0001`));
    const error = await dataErrorOf(loadFundingFile(path, "BTCUSDT"));
    expect(error.message).toBe("the funding file has no header line");
  });

  it("rejects a file with a header only", async () => {
    const path = writeFixture(makeTempFolder(), "f.csv", csvLines("timestamp,funding_rate"));
    const error = await dataErrorOf(loadFundingFile(path, "BTCUSDT"));
    expect(error.where).toBe(path);
  });
});

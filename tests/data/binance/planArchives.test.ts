import { describe, expect, it } from "vitest";
import { planArchives, type BinanceDownloadRequest } from "../../../data/binance/index.js";
import { parseChecksum } from "../../../data/binance/fetchArchive.js";
import { ConfigError, DataError } from "../../../engine/errors.js";

const base: BinanceDownloadRequest = { market: "um", symbols: ["BTCUSDT"], interval: "1h", from: "2024-05", to: "2024-06", out: "out", now: new Date(Date.UTC(2024, 5, 4, 12)) };

describe("planArchives", () => {
  it("takes ended months as monthly archives and the current month as daily ones up to yesterday", () => {
    expect(planArchives(base).map((ref) => ref.remotePath)).toEqual([
      "data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-05.zip",
      "data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-06-01.zip",
      "data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-06-02.zip",
      "data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-06-03.zip",
    ]);
  });

  it("leaves the current month out of the funding archives", () => {
    const funding = planArchives({ ...base, funding: true }).filter((ref) => ref.kind === "funding");
    expect(funding.map((ref) => ref.localPath)).toEqual(["funding/BTCUSDT-fundingRate-2024-05.zip"]);
  });

  it("lays out detail, mark and funding archives, funding from monthly archives only", () => {
    const refs = planArchives({ ...base, to: "2024-05", detail: "1m", mark: true, funding: true });
    expect(refs.map((ref) => [ref.remotePath, ref.localPath])).toEqual([
      ["data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-05.zip", "BTCUSDT/BTCUSDT-1h-2024-05.zip"],
      ["data/futures/um/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-05.zip", "detail/BTCUSDT/BTCUSDT-1m-2024-05.zip"],
      ["data/futures/um/monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2024-05.zip", "mark/BTCUSDT/BTCUSDT-1h-2024-05.zip"],
      ["data/futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-05.zip", "funding/BTCUSDT-fundingRate-2024-05.zip"],
    ]);
    expect(planArchives({ ...base, market: "spot", to: "2024-05" })[0].remotePath).toBe("data/spot/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-05.zip");
  });

  it.each([
    [{ interval: "7m" }, "--interval"],
    [{ from: "2024-5" }, "--from"],
    [{ from: "2024-07", to: "2024-06" }, "--from"],
    [{ to: "2024-07" }, "--to"],
    [{ symbols: ["btcusdt"] }, "--symbols"],
    [{ market: "spot", mark: true }, "--mark"],
  ] as const)("refuses %o, naming %s", (change, flag) => {
    expect(() => planArchives({ ...base, ...change } as BinanceDownloadRequest)).toThrow(ConfigError);
    try {
      planArchives({ ...base, ...change } as BinanceDownloadRequest);
    } catch (error) {
      expect((error as ConfigError).where).toBe(flag);
    }
  });
});

describe("parseChecksum", () => {
  it("reads Binance's `<sha256>  <name>` line and insists on the archive's name", () => {
    const sha = "a".repeat(64);
    expect(parseChecksum(`${sha}  X-1h-2024-01.zip\n`, "X-1h-2024-01.zip", "u")).toBe(sha);
    expect(() => parseChecksum(`${sha}  Y.zip\n`, "X-1h-2024-01.zip", "u")).toThrow(DataError);
    expect(() => parseChecksum("<html>", "X.zip", "u")).toThrow(/not a sha256 checksum line/);
  });
});

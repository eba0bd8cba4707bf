import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { withAbsolutePaths } from "../../workflows/sweep/portableConfig.js";
import { connectionOf, JOB_FORMAT, parseJobResult, queueNameOf } from "../../workflows/sweep/queueProtocol.js";
import { ConfigError } from "../../engine/index.js";
import { configSchema, type RunConfig } from "../../strategies/config.js";
import { makeTempFolder } from "../cli/cliHarness.js";

describe("the queue protocol", () => {
  it("reads a Redis URL into BullMQ connection options", () => {
    expect(connectionOf("redis://10.0.0.5:6380")).toEqual({ host: "10.0.0.5", port: 6380, maxRetriesPerRequest: null });
    expect(connectionOf("rediss://user:p%40ss@cache.example:6390/2")).toEqual({
      host: "cache.example", port: 6390, username: "user", password: "p@ss", db: 2, tls: {}, maxRetriesPerRequest: null,
    });
    expect(connectionOf("redis://localhost")).toMatchObject({ host: "localhost", port: 6379 });
  });

  it.each(["localhost:6379", "http://localhost:6379", "redis://localhost:6379/x"])("rejects the queue address %s", (address) => {
    expect(() => connectionOf(address)).toThrow(ConfigError);
  });

  it("names one queue per sweep id and rejects an id that cannot be part of a Redis key", () => {
    expect(queueNameOf(undefined)).toBe("exitlab-sweep-default");
    expect(queueNameOf("grid-7.b")).toBe("exitlab-sweep-grid-7.b");
    expect(() => queueNameOf("a:b")).toThrow(ConfigError);
  });

  it("reads a job's return value from a Job (object) or from a queue event (JSON text), and nothing else", () => {
    const result = { format: JOB_FORMAT, sweepHash: "h", cellId: "c", outcome: { status: "failed", message: "m" }, ranBy: "x:1", elapsedMs: 3 };
    expect(parseJobResult(result)).toEqual(result);
    expect(parseJobResult(JSON.stringify(result))).toEqual(result);
    expect(parseJobResult("{not json")).toBeNull();
    expect(parseJobResult({ ...result, format: "other" })).toBeNull();
  });
});

describe("withAbsolutePaths", () => {
  it("makes the files a config names absolute, a SYMBOL=path entry too, and leaves missing paths alone", () => {
    const folder = makeTempFolder();
    mkdirSync(join(folder, "bars"));
    writeFileSync(join(folder, "preds.csv"), "");
    // Relative to the working folder, as a user would write them.
    const bars = relative(process.cwd(), join(folder, "bars"));
    const predictions = relative(process.cwd(), join(folder, "preds.csv"));
    const config = configSchema.parse({
      data: { paths: [bars, `ETHUSDT=${predictions}`, "missing"] }, signals: { kind: "predictions", file: predictions },
    }) as RunConfig;
    const portable = withAbsolutePaths(config);
    expect(portable.data.paths).toEqual([join(folder, "bars"), `ETHUSDT=${join(folder, "preds.csv")}`, "missing"]);
    expect(portable.signals).toEqual({ ...config.signals, file: join(folder, "preds.csv") });
    expect(Object.isFrozen(portable.data)).toBe(true);
    expect(config.data.paths[0]).toBe(bars);
  });
});

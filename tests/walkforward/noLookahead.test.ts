import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { backtest, walkforward } from "../../index.js";
import type { WalkforwardOutcome } from "../../index.js";
import { makeSuiteFolder, PROJECT_ROOT, writeLines } from "../cli/cliHarness.js";

/**
 * No look-ahead in the in-sample choice: two predictions files over the shipped BTCUSDT bars.
 * `future.csv` holds a planted edge that exists only after the training part ends (signals that
 * read the next day's close) and loses before it; `steady.csv` wins modestly in the training
 * part and does nothing after. Over the whole data the future edge earns far more, so a search
 * that saw past the training end would choose it; the walk-forward must choose `steady`.
 */

const BARS = resolve(PROJECT_ROOT, "data/samples/binance-perp-1h/BTCUSDT.csv");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Each trade is held for the day its prediction is about: no stop, no target, out after 24 bars. */
const HOLD_A_DAY = { kind: "static", stopLossPct: null, takeProfitPct: null, maxHoldingBars: 24 } as const;

let outcome: WalkforwardOutcome;
let future = "";
let steady = "";

function predictions(folder: string, name: string, act: (timeMs: number, move: number, index: number) => "BUY" | "SELL" | null): string {
  const rows = readFileSync(BARS, "utf8").trim().split("\n").slice(1).map((line) => line.split(",").map(Number));
  const lines = ["timestamp,symbol,action,confidence,score,size_multiplier"];
  for (let i = 0; i + 24 < rows.length; i += 12) {
    const action = act(rows[i][0], rows[i + 24][4] / rows[i][4] - 1, i);
    if (action !== null) lines.push(`${rows[i][0] + HOUR},BTCUSDT,${action},0.9,1,`);
  }
  return writeLines(folder, name, lines);
}

describe("walk-forward in-sample selection", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const folder = makeSuiteFolder();
    const start = Number(readFileSync(BARS, "utf8").split("\n")[1].split(",")[0]);
    const trainEnd = start + 25 * DAY;
    const oracle = (move: number): "BUY" | "SELL" | null => (move > 0.02 ? "BUY" : move < -0.02 ? "SELL" : null);
    const inverse = (move: number): "BUY" | "SELL" | null => (move > 0.02 ? "SELL" : move < -0.02 ? "BUY" : null);
    future = predictions(folder, "future.csv", (t, move, index) => (t + HOUR >= trainEnd ? oracle(move) : index % 48 === 0 ? inverse(move) : null));
    steady = predictions(folder, "steady.csv", (t, move, index) => (t + HOUR < trainEnd && index % 48 === 24 ? oracle(move) : null));
    outcome = await walkforward({
      grid: { grid: { "signals.file": [future, steady] }, metric: "totalReturnPct", minTrades: 1 },
      config: { data: { paths: [BARS] }, signals: { kind: "predictions", file: steady }, exits: HOLD_A_DAY },
      train: "25d", test: "40d", threads: 2, out: join(folder, "wf"),
    });
  }, 120_000);

  it("chooses the cell that was best before the training end, not the one whose edge lies after it", async () => {
    expect(outcome.windows).toHaveLength(1);
    const [window] = outcome.windows;
    expect(window.chosen?.values["signals.file"]).toBe(steady);
    const whole = async (file: string) => (await backtest({ data: { paths: [BARS] }, signals: { kind: "predictions", file }, exits: HOLD_A_DAY })).stats.totalReturnPct ?? 0;
    expect(await whole(future)).toBeGreaterThan(await whole(steady) + 0.02);
  });

  it("ranks both cells in-sample, and the chosen one earned there", () => {
    expect(outcome.windows[0].inSampleCells.ranked).toBe(2);
    expect(outcome.windows[0].inSample?.totalReturnPct).toBeGreaterThan(0);
  });
});

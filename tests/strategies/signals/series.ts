import type { BarSeries } from "../../../engine/index.js";
import { HOUR, T0, barsOf } from "../../fixtures/bars.js";

export { HOUR, T0 };

/** Hourly bars from closes alone: open at the previous close, high/low one point around the body. */
export function barsFromCloses(closes: readonly number[], symbol = "TEST", timeframeMs = HOUR): BarSeries {
  return barsOf(symbol, closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1];
    return [open, Math.max(open, close) + 1, Math.min(open, close) - 1, close] as const;
  }), T0, timeframeMs);
}

type Row = readonly [open: number, high: number, low: number, close: number];

/**
 * `flatBars` hourly bars of open = close = 100, high 101, low 99 (true range 2, so ATR 2),
 * then the given bars.
 */
export function flatThen(flatBars: number, ...rows: Row[]): BarSeries {
  const flat: Row[] = Array.from({ length: flatBars }, () => [100, 101, 99, 100] as const);
  return barsOf("TEST", [...flat, ...rows]);
}

/** Indexes of the bars with a BUY (1) or SELL (-1). */
export function signalBars(action: Int8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  action.forEach((value, index) => {
    if (value !== 0) out.push([index, value]);
  });
  return out;
}

/** The error `action` throws (fails the test when it throws nothing). */
export function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, but none was thrown");
}

/** The error the promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

import { describe, expect, it } from "vitest";
import { StrategyError, type BarSeries } from "../../../engine/index.js";
import { alignClosed, lastClosedIndex } from "../../../strategies/signals/causalViews.js";
import { runUserModule, type SignalParams } from "../../../strategies/signals/userModule.js";
import type { BarView } from "../../../strategies/signals/barView.js";
import { HOUR, T0 } from "../../fixtures/bars.js";
import { barsAtHours, loadedOf } from "./crossStream.js";
import { thrownBy } from "./series.js";

// ETH: hourly, missing 02:00 and 03:00. BTC: hourly, missing 04:00 and 05:00, and starting an hour later.
const ETH = barsAtHours("ETHUSDT", [0, 1, 4, 5, 6], [10, 11, 14, 15, 16]);
const BTC = barsAtHours("BTCUSDT", [1, 2, 3, 6, 7], [201, 202, 203, 206, 207]);
// Half-hour bars: two of them close by each hourly close.
const HALF = barsAtHours("HALF", [0, 0.5, 1, 1.5, 2], [1, 2, 3, 4, 5], HOUR / 2);

/** Records, at every ETH bar close, what the view of `read` shows: [index, close] or null. */
function seenFrom(read: (view: BarView) => BarView, market: readonly BarSeries[] = [ETH, BTC]): Array<[number, number] | null> {
  const seen: Array<[number, number] | null> = [];
  const module = {
    onBar(view: BarView, _params: SignalParams) {
      const other = read(view);
      seen.push(other.index < 0 ? null : [other.index, other.close()]);
      return null;
    },
  };
  runUserModule(loadedOf(module), ETH, {}, market);
  return seen;
}

describe("another symbol's bars are visible once they have closed by the current bar's close", () => {
  it("finds the last bar closed by a time, by close time rather than open time", () => {
    expect(lastClosedIndex(BTC, T0 + 2 * HOUR)).toBe(0); // BTC 01:00 closes at 02:00
    expect(lastClosedIndex(BTC, T0 + 2 * HOUR - 1)).toBe(-1);
    expect(lastClosedIndex(HALF, T0 + HOUR)).toBe(1); // 00:00 and 00:30 closed by 01:00
  });

  it("merges two streams with different gaps: a stream with no new bar shows its last closed one", () => {
    // ETH closes at 01:00, 02:00, 05:00, 06:00, 07:00.
    expect(Array.from(alignClosed(ETH, BTC))).toEqual([-1, 0, 2, 2, 3]);
    expect(seenFrom((view) => view.other("BTCUSDT"))).toEqual([null, [0, 201], [2, 203], [2, 203], [3, 206]]);
  });

  it("never shows a bar of a shorter timeframe that closes after the current bar", () => {
    expect(seenFrom((view) => view.other("HALF"), [ETH, HALF])).toEqual([[1, 2], [3, 4], [4, 5], [4, 5], [4, 5]]);
  });

  it("fails the strategy that reads past the other symbol's visible bar, even when it catches the error", () => {
    const module = {
      onBar(view: BarView) {
        const btc = view.other("BTCUSDT");
        try {
          btc.close(btc.index + 1);
        } catch {
          // a strategy that swallows the look-ahead error is still failed
        }
        return null;
      },
    };
    const error = thrownBy(() => runUserModule(loadedOf(module), ETH, {}, [ETH, BTC]));
    expect(error).toBeInstanceOf(StrategyError);
    expect(error.message).toMatch(/look-ahead: close\(\d\) read at BTCUSDT bar/);
  });

  it("names an unknown symbol with a suggestion", () => {
    const module = { onBar: (view: BarView) => (view.other("BTCUSD"), null) };
    expect(thrownBy(() => runUserModule(loadedOf(module), ETH, {}, [ETH, BTC])).message).toMatch(/"BTCUSD" is not a symbol of this run \(did you mean "BTCUSDT"\?\)/);
  });
});

describe("higher timeframes built from the run's bars show closed bars only", () => {
  const HOURLY = barsAtHours("ETHUSDT", [0, 1, 2, 3, 4, 5, 6], [10, 12, 11, 15, 13, 14, 9]);

  it("shows a 2h bar from the close of its last hour on, aggregated exactly, and never a forming one", () => {
    const seen: Array<[number, number, number, number, number] | null> = [];
    const module = {
      onBar(view: BarView) {
        const twoHour = view.timeframe("2h");
        seen.push(twoHour.index < 0 ? null : [twoHour.index, twoHour.open(), twoHour.high(), twoHour.low(), twoHour.close()]);
        return null;
      },
    };
    runUserModule(loadedOf(module), HOURLY, {});
    expect(seen).toEqual([
      null, [0, 10, 12, 10, 12], [0, 10, 12, 10, 12], [1, 11, 15, 11, 15], [1, 11, 15, 11, 15], [2, 13, 14, 13, 14], [2, 13, 14, 13, 14],
    ]);
  });

  it("refuses a timeframe that is not a whole multiple above the bars' own", () => {
    const module = { onBar: (view: BarView) => (view.timeframe("30m"), null) };
    expect(thrownBy(() => runUserModule(loadedOf(module), HOURLY, {})).message).toMatch(/whole multiple above/);
  });

  it("fails a strategy that reads the 2h bar still forming", () => {
    const module = {
      onBar(view: BarView) {
        const twoHour = view.timeframe("2h");
        return twoHour.index >= 0 && twoHour.close(twoHour.index + 1) > 0 ? { action: "BUY" as const } : null;
      },
    };
    expect(thrownBy(() => runUserModule(loadedOf(module), HOURLY, {})).message).toMatch(/look-ahead: close\(1\) read at ETHUSDT 2h bar 0/);
  });
});

describe("separately supplied bars of another timeframe (informative pairs)", () => {
  const HOURLY = barsAtHours("ETHUSDT", [0, 1, 2, 3, 4, 5], [10, 12, 11, 15, 13, 14]);
  // A supplied 2h file whose closes differ from what resampling the hourly bars would give.
  const SUPPLIED = barsAtHours("ETHUSDT", [0, 2, 4], [100, 200, 300], 2 * HOUR);
  const DAILY_BTC = barsAtHours("BTCUSDT", [-24, 0], [5, 6], 24 * HOUR);

  it("uses the supplied series for that timeframe, aligned by close time, instead of resampling", () => {
    const seen: Array<number | null> = [];
    const module = {
      onBar(view: BarView) {
        const twoHour = view.timeframe("2h");
        seen.push(twoHour.index < 0 ? null : twoHour.close());
        return null;
      },
    };
    runUserModule(loadedOf(module), HOURLY, {}, [HOURLY, SUPPLIED]);
    expect(seen).toEqual([null, 100, 100, 200, 200, 300]);
  });

  it("reads a supplied symbol the run does not trade, showing its last closed bar only", () => {
    expect(seenFromHourly((view) => view.other("BTCUSDT", "1d"))).toEqual([[0, 5], [0, 5], [0, 5], [0, 5], [0, 5], [0, 5]]);
    expect(seenFromHourly((view) => view.other("BTCUSDT"))).toEqual([[0, 5], [0, 5], [0, 5], [0, 5], [0, 5], [0, 5]]);
  });

  function seenFromHourly(read: (view: BarView) => BarView): Array<[number, number] | null> {
    const seen: Array<[number, number] | null> = [];
    const module = {
      onBar(view: BarView) {
        const other = read(view);
        seen.push(other.index < 0 ? null : [other.index, other.close()]);
        return null;
      },
    };
    runUserModule(loadedOf(module), HOURLY, {}, [HOURLY, DAILY_BTC]);
    return seen;
  }
});

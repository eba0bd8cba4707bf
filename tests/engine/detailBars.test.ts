import { describe, expect, it } from "vitest";
import { HOUR, T0, barsOf, plan, runScenario } from "../fixtures/bars.js";
import { expectReconciled } from "../fixtures/reconcile.js";

const MINUTES_20 = HOUR / 3;
const slTp = plan({ stopLossPct: 0.03, stages: [{ movePct: 0.05, fraction: 1 }] });
// Entry at 100 at bar 1's open (SL 97, TP 105). Bar 1 is green and spans 94..106, so the
// assumed path (open → low → high) stops the long out.
const main = barsOf("X", [[100, 101, 99, 100], [100, 106, 94, 104], [104, 105, 103, 104]]);

describe("detail bars resolve the order inside a bar", () => {
  it("uses detail bars that aggregate exactly to the main bar, and stamps the fill with the detail bar's time", () => {
    // The detail shows the high came first: 100 → 106, then down to 94, then back up to 104.
    const detail = barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100],
      [100, 106, 100, 105], [105, 105, 94, 95], [95, 104, 95, 104]], T0, MINUTES_20);
    const withDetail = runScenario(main, { 0: 1 }, slTp, { detail });
    const exit = withDetail.fills[1];
    expect([exit.reason, exit.price, exit.timeMs]).toEqual(["TP1", 105, T0 + HOUR]);
    expect(withDetail.counters.detailBarsUsed).toBe(1);
    expect(withDetail.counters.detailFallbacks).toBe(0);
    expectReconciled(withDetail);
    expect(runScenario(main, { 0: 1 }, slTp).fills[1].reason).toBe("SL");
  });

  it("stamps a fill in a later detail bar with that bar's open time", () => {
    const detail = barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100],
      [100, 101, 99.5, 100.5], [100.5, 100.5, 94, 95], [95, 106, 95, 104]], T0, MINUTES_20);
    const result = runScenario(main, { 0: 1 }, slTp, { detail });
    expect([result.fills[1].reason, result.fills[1].timeMs]).toEqual(["SL", T0 + HOUR + MINUTES_20]);
  });

  it("falls back to the main bar's path, and counts it, when the detail does not aggregate to the bar", () => {
    const detail = barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100],
      [100, 106, 100, 105], [105, 105, 95, 96], [96, 104, 95, 104]], T0, MINUTES_20);
    const result = runScenario(main, { 0: 1 }, slTp, { detail });
    expect(result.fills[1].reason).toBe("SL");
    expect(result.counters.detailFallbacks).toBe(1);
    expect(result.counters.detailBarsUsed).toBe(0);
  });

  it("falls back, and counts it, when a bar inside the detail's span has no detail bars", () => {
    // Detail for bars 0 and 2 only: bar 1 (the exit bar) lies inside the span but has none.
    const detail = barsOf("X", [[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100]], T0, MINUTES_20);
    const later = barsOf("X", [[104, 105, 103, 104]], T0 + 2 * HOUR, MINUTES_20);
    const joined = {
      ...detail, length: 4,
      time: Float64Array.of(...detail.time, ...later.time), open: Float64Array.of(...detail.open, ...later.open),
      high: Float64Array.of(...detail.high, ...later.high), low: Float64Array.of(...detail.low, ...later.low),
      close: Float64Array.of(...detail.close, ...later.close), volume: Float64Array.of(...detail.volume, ...later.volume),
    };
    const result = runScenario(main, { 0: 1 }, slTp, { detail: joined });
    expect(result.fills[1].reason).toBe("SL");
    expect(result.counters.detailFallbacks).toBe(1);
  });

  it("does not count bars outside the detail's span as fallbacks", () => {
    const detail = barsOf("X", [[100, 101, 99, 100]], T0, MINUTES_20);
    const result = runScenario(main, { 0: 1 }, slTp, { detail });
    expect(result.fills[1].reason).toBe("SL");
    expect(result.counters.detailFallbacks).toBe(0);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { journalLine, type CellRecord } from "../../workflows/sweep/cellLog.js";

/** A finished cell as localSweep.ts builds it, its outcome as a cell thread returns it. */
const record = fc.record({
  cellId: fc.string({ minLength: 16, maxLength: 16 }),
  values: fc.dictionary(fc.constantFrom("exits.stopLossPct", "sizing.leverage", "a\"b"), fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.string(), fc.boolean())),
  outcome: fc.oneof(
    fc.record({
      status: fc.constant("done" as const),
      metrics: fc.dictionary(fc.constantFrom("sharpeRatio", "totalReturnPct"), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null))),
      tradeFingerprint: fc.string({ minLength: 8, maxLength: 8 }),
      dailyReturns: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 50 }),
    }),
    fc.record({ status: fc.constant("failed" as const), message: fc.string() }),
  ),
  ranBy: fc.string(),
  elapsedMs: fc.nat(),
}).map((fields) => fields as unknown as CellRecord);

describe("a cell's journal line", () => {
  it("is JSON.stringify({ type: \"cell\", ...record }) byte for byte when the cell's thread made the outcome's JSON", () => {
    fc.assert(fc.property(record, (cell) => {
      const cloned = structuredClone(cell);
      expect(journalLine(cloned, JSON.stringify(cell.outcome))).toBe(JSON.stringify({ type: "cell", ...cloned }));
      expect(journalLine(cloned)).toBe(JSON.stringify({ type: "cell", ...cloned }));
    }), { numRuns: 500 });
  });

  it("takes the whole record's JSON when the record holds anything else", () => {
    const odd = { cellId: "a", values: {}, outcome: { status: "failed", message: "x" }, ranBy: "h:1", elapsedMs: 3, extra: 1 } as unknown as CellRecord;
    expect(journalLine(odd, '{"status":"failed","message":"x"}')).toBe(JSON.stringify({ type: "cell", ...odd }));
  });
});

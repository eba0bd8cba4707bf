import { tableFromIPC } from "apache-arrow";
import { arrow } from "../../data/apacheArrow.js";
import { describe, expect, it } from "vitest";
import { EQUITY_ARROW_COLUMNS, equityArrowTable, streamEquityArrow } from "../../reports/equityArrow.js";
import type { EquityCurve } from "../../engine/types.js";
import { collectChunks, collected } from "../fixtures/chunks.js";
import { makeEquityCurve, START_MS } from "./fixtures.js";

const encodeEquityArrow = (curve: EquityCurve): Buffer => collected((sink) => streamEquityArrow(curve, sink));

describe("equity.arrow", () => {
  const awkward = [10_000, 0.1 + 0.2, 1e-7, -0, 123456789.123456, 5e-324, 2 / 3, 10_000.000000001];
  const curve = makeEquityCurve({
    equity: awkward,
    time: awkward.map((_, i) => START_MS + i * 60_000 - (i === 3 ? 10 * 365 * 86_400_000 * 10 : 0)),
    balance: awkward.map((x) => x / 3),
    marginUsed: awkward.map((_, i) => i * 1.1),
    exposure: awkward.map((_, i) => i / 7),
  });
  const table = tableFromIPC(encodeEquityArrow(curve));

  it("is an Arrow IPC file with every row and the columns of equity.csv", () => {
    expect(table.numRows).toBe(awkward.length);
    expect(table.schema.fields.map((field) => field.name)).toEqual([...EQUITY_ARROW_COLUMNS]);
    expect(table.schema.fields.every((field) => !field.nullable)).toBe(true);
  });

  it("holds the run's float64 values bit for bit", () => {
    const columns: Array<[string, Float64Array]> = [
      ["equity", curve.equity], ["balance", curve.balance], ["unrealized_pnl", curve.unrealizedPnl],
      ["margin_used", curve.marginUsed], ["exposure", curve.exposure], ["drawdown", curve.drawdown],
    ];
    for (const [name, values] of columns) {
      const read = table.getChild(name)!.toArray() as Float64Array;
      expect(Array.from(read).map((x) => Object.is(x, -0) ? "-0" : x), name).toEqual(Array.from(values).map((x) => Object.is(x, -0) ? "-0" : x));
    }
  });

  it("stores times as UTC millisecond timestamps, before 1970 too", () => {
    const field = table.schema.fields[0];
    expect(String(field.type)).toBe("Timestamp<MILLISECOND, UTC>");
    const read = table.getChild("timestamp")!.toArray() as BigInt64Array;
    expect(Array.from(read, Number)).toEqual(Array.from(curve.time));
    expect(Number(read[3])).toBeLessThan(0);
  });

  it("is byte-identical for the same curve", () => {
    expect(encodeEquityArrow(curve).equals(encodeEquityArrow(curve))).toBe(true);
  });

  it("streams the very bytes Arrow's tableToIPC joins, each column as a view of the curve's own memory", () => {
    expect(encodeEquityArrow(curve).equals(Buffer.from(arrow.tableToIPC(equityArrowTable(curve), "file")))).toBe(true);
    const views: Uint8Array[] = [];
    streamEquityArrow(curve, (bytes) => void views.push(bytes));
    expect(views.some((view) => view.buffer === curve.equity.buffer)).toBe(true);
    expect(collectChunks((sink) => streamEquityArrow(curve, sink)).length).toBe(views.length);
  });
});

/**
 * The columns a `computeSignals` returns as typed arrays are checked by a tight loop per
 * column and copied in one native call (userColumnsCheck.test.ts proves the loop refuses
 * what the per-value rule refuses): each kind of refused value is named with its bar, and the
 * copy is the run's own.
 */

import { describe, expect, it } from "vitest";
import { columnsFromUserColumns } from "../../../strategies/signals/userSignals.js";

describe("columnsFromUserColumns on typed arrays", () => {
  it("names the first refused value of each kind", () => {
    const ok = new Float64Array([NaN, 0.5, NaN]);
    expect(columnsFromUserColumns({ action: new Int8Array([0, 2, 0]) }, 3)).toEqual({ index: 1, problem: "action must be 1 (BUY), -1 (SELL) or 0 (HOLD), got 2" });
    expect(columnsFromUserColumns({ action: new Float64Array([0, 0, NaN]) }, 3)).toEqual({ index: 2, problem: "action must be 1 (BUY), -1 (SELL) or 0 (HOLD), got NaN" });
    expect(columnsFromUserColumns({ action: new Int8Array(3), confidence: new Float64Array([0, Infinity, 2]) }, 3))
      .toEqual({ index: 1, problem: "confidence must be in [0, 1] or NaN (none), got Infinity" });
    expect(columnsFromUserColumns({ action: new Int8Array(3), confidence: ok, score: new Float64Array([-1, 1, -1.5]) }, 3))
      .toEqual({ index: 2, problem: "score must be in [-1, 1] or NaN (none), got -1.5" });
    expect(columnsFromUserColumns({ action: new Int8Array(3), sizeMultiplier: new Float64Array([10, -0.1, 0]) }, 3))
      .toEqual({ index: 1, problem: "sizeMultiplier must be in [0, 10] or NaN (none), got -0.1" });
    expect(columnsFromUserColumns({ action: new BigInt64Array(3) }, 3)).toEqual({ index: 0, problem: "action must be a number, got an object" });
  });

  it("copies the arrays, so a later write by the module cannot change the run", () => {
    const action = new Int8Array([1, 0, -1]);
    const confidence = new Float64Array([0.7, NaN, 0.9]);
    const columns = columnsFromUserColumns({ action, confidence }, 3);
    action[0] = -1;
    confidence[0] = 0.1;
    expect(columns).toEqual({
      action: new Int8Array([1, 0, -1]), confidence: new Float64Array([0.7, NaN, 0.9]),
      score: new Float64Array([NaN, NaN, NaN]), sizeMultiplier: new Float64Array([NaN, NaN, NaN]),
    });
  });

  it("gives an action column of bytes whatever array type the module used", () => {
    const columns = columnsFromUserColumns({ action: new Float32Array([1, -1, 0]) }, 3);
    expect("action" in columns && columns.action).toEqual(new Int8Array([1, -1, 0]));
  });
});

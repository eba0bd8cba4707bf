/**
 * The replay's sparse signals keep exactly the bars with a BUY or SELL; the rows are found
 * four action bytes at a time, which must not miss or invent a row whatever the column's
 * length or its offset in its buffer.
 */

import { describe, expect, it } from "vitest";
import { signalRows, sparsifySignals } from "../../engine/sparseSignals.js";

function rowsOneByOne(action: Int8Array): number[] {
  const rows: number[] = [];
  action.forEach((value, index) => {
    if (value !== 0) rows.push(index);
  });
  return rows;
}

describe("signalRows", () => {
  it("finds every non-zero action, for every length and byte offset", () => {
    let state = 7;
    const random = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let offset = 0; offset < 8; offset++) {
      for (let length = 0; length < 70; length++) {
        const buffer = new Int8Array(offset + length + 3);
        for (let i = 0; i < buffer.length; i++) buffer[i] = random() < 0.15 ? (random() < 0.5 ? 1 : -1) : 0;
        const action = buffer.subarray(offset, offset + length);
        expect(Array.from(signalRows(action))).toEqual(rowsOneByOne(action));
      }
    }
  });

  it("finds a signal in every byte of a word and in the bytes after the last whole word", () => {
    const action = new Int8Array(11);
    action.set([1, 0, 0, -1, 0, 1, -1, 0, 0, 0, 1]);
    expect(Array.from(signalRows(action))).toEqual([0, 3, 5, 6, 10]);
  });
});

describe("sparsifySignals", () => {
  it("keeps each signal's bar, action, confidence, score and size multiplier", () => {
    const sparse = sparsifySignals({
      action: new Int8Array([0, 1, 0, 0, -1]),
      confidence: new Float64Array([0.1, 0.6, 0.2, 0.3, 0.9]),
      score: new Float64Array([NaN, 0.2, NaN, NaN, -0.8]),
      sizeMultiplier: new Float64Array([1, 2, 3, 4, NaN]),
    });
    expect(sparse).toEqual({
      sparse: true, length: 2, index: new Int32Array([1, 4]), action: new Int8Array([1, -1]),
      confidence: new Float64Array([0.6, 0.9]), score: new Float64Array([0.2, -0.8]), sizeMultiplier: new Float64Array([2, NaN]),
    });
  });
});

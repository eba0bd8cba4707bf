/**
 * The checks of the columns a `computeSignals` returns take a fast path for typed arrays (a
 * tight loop per column, then one native copy) and the value-by-value path for plain arrays.
 * Both must accept and refuse exactly the same values, at the same bar, with the same words.
 */

import { describe, expect, it } from "vitest";
import { columnsFromUserColumns } from "../../../strategies/signals/userSignals.js";

/** mulberry32: a small deterministic generator, so a failure reproduces. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Field = "action" | "confidence" | "score" | "sizeMultiplier";

const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 1.0000001, -1.0000001, 10, 10.5, 2, -2];

/** Columns of `length` bars, mostly valid, with an occasional value drawn from the edge cases. */
function randomColumns(random: () => number, length: number): Record<Field, number[]> {
  const pick = (valid: () => number): number[] =>
    Array.from({ length }, () => (random() < 0.02 ? SPECIAL[Math.floor(random() * SPECIAL.length)] : valid()));
  return {
    action: pick(() => [0, 0, 0, 1, -1][Math.floor(random() * 5)]),
    confidence: pick(() => (random() < 0.5 ? NaN : random())),
    score: pick(() => (random() < 0.5 ? NaN : random() * 2 - 1)),
    sizeMultiplier: pick(() => (random() < 0.5 ? NaN : random() * 10)),
  };
}

describe("columnsFromUserColumns on typed arrays", () => {
  it("accepts and refuses exactly what the value-by-value path does, at the same bar and with the same message", () => {
    const random = seededRandom(19);
    let refused = 0;
    for (let trial = 0; trial < 400; trial++) {
      const length = 1 + Math.floor(random() * 40);
      const plain = randomColumns(random, length);
      const typed = {
        action: Float64Array.from(plain.action),
        confidence: Float64Array.from(plain.confidence),
        score: Float32Array.from(plain.score),
        sizeMultiplier: Float64Array.from(plain.sizeMultiplier),
      };
      // The plain arrays see the same values the typed ones hold (Float32 rounds the score).
      const reference = columnsFromUserColumns({ ...plain, score: Array.from(typed.score) }, length);
      const fast = columnsFromUserColumns(typed, length);
      expect(fast).toEqual(reference);
      if ("problem" in fast) refused++;
    }
    // Both outcomes were exercised.
    expect(refused).toBeGreaterThan(50);
    expect(refused).toBeLessThan(390);
  });

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

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnsFromUserColumns } from "../../../strategies/signals/userSignals.js";

/**
 * A module's signal columns are checked value by value (README "Strategy modules") in tight
 * loops over typed arrays; the answer — the first refused value, or the columns — must be the
 * rule's, checked here against the rule written out one value at a time.
 */
const FIELDS = ["action", "confidence", "score", "sizeMultiplier"] as const;
type Field = (typeof FIELDS)[number];

function ruleAccepts(field: Field, value: unknown): boolean {
  if (typeof value !== "number") return false;
  if (field === "action") return value === 1 || value === -1 || value === 0;
  if (Number.isNaN(value)) return true;
  const [min, max] = field === "score" ? [-1, 1] : field === "confidence" ? [0, 1] : [0, 10];
  return Number.isFinite(value) && value >= min && value <= max;
}

const interesting = fc.oneof(
  fc.constantFrom(0, 1, -1, -0, 0.5, 2, 10, 10.000001, -1.0000001, 1.0000001, NaN, Infinity, -Infinity),
  fc.double(),
);

describe("a module's signal columns", () => {
  it("are refused at the first value the rule refuses, in typed and plain arrays alike", () => {
    fc.assert(fc.property(
      fc.constantFrom(...FIELDS), fc.array(interesting, { minLength: 1, maxLength: 40 }), fc.constantFrom("Float64Array", "Float32Array", "Int8Array", "Array"),
      (field, raw, kind) => {
        const values = kind === "Array" ? raw : kind === "Float64Array" ? Float64Array.from(raw) : kind === "Float32Array" ? Float32Array.from(raw) : Int8Array.from(raw);
        const length = values.length;
        const input: Record<string, unknown> = { action: new Int8Array(length), [field]: values };
        const result = columnsFromUserColumns(input, length);
        const firstBad = Array.from(values as ArrayLike<number>).findIndex((value) => !ruleAccepts(field, value));
        if (firstBad === -1) {
          expect("problem" in result).toBe(false);
          const written = (result as Record<Field, ArrayLike<number>>)[field];
          const stored = field === "action" ? Int8Array.from(values as ArrayLike<number>) : Float64Array.from(values as ArrayLike<number>);
          expect(Array.from(written)).toEqual(Array.from(stored));
        } else {
          expect(result).toMatchObject({ index: firstBad });
        }
      },
    ), { numRuns: 500 });
  });

  it("names a value that is no number in a plain array", () => {
    expect(columnsFromUserColumns({ action: [0, 1, "1"] }, 3)).toEqual({ index: 2, problem: 'action must be a number, got "1"' });
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseShortDigits } from "../../data/epochDigits.js";
import { parseTimeMs } from "../../data/timeParsing.js";

describe("the plain-integer epoch fast path", () => {
  it("gives Number()'s value for 1 to 15 digits and NaN for anything else", () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{1,15}$/), (text) => parseShortDigits(text) === Number(text)), { numRuns: 5_000 });
    for (const text of ["", "1704067200000000", " 1", "1.5", "-1", "+1", "1e3", "0x1"]) expect(parseShortDigits(text)).toBeNaN();
  });

  it("reads integer epochs like the full time parser, and refuses a unit mismatch alike", () => {
    expect(parseTimeMs("1704067200000", "epoch-ms")).toBe(1704067200000);
    expect(parseTimeMs("1704067200", "epoch-s")).toBe(1704067200000);
    expect(parseTimeMs("1704067200", "epoch-ms")).toBeNaN();
    expect(parseTimeMs("1704067200000", "epoch-s")).toBeNaN();
    expect(parseTimeMs(" 1704067200000 ", "epoch-ms")).toBe(1704067200000);
    expect(parseTimeMs("1704067200.5", "epoch-s")).toBe(1704067200500);
    expect(parseTimeMs("1704067200000000", "epoch-us")).toBe(1704067200000);
  });
});

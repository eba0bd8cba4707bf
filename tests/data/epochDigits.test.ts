import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseShortDecimal, parseShortDigits } from "../../data/epochDigits.js";
import { parseNumberField } from "../../data/validateBars.js";
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

describe("the short-decimal price fast path", () => {
  const shortDecimal = fc
    .tuple(fc.stringMatching(/^[0-9]{0,15}$/), fc.stringMatching(/^[0-9]{0,15}$/), fc.boolean())
    .map(([whole, fraction, dot]) => (dot ? `${whole}.${fraction}` : whole + fraction))
    .filter((text) => /[0-9]/.test(text) && text.replace(".", "").length <= 15);

  it("gives exactly Number()'s value for up to 15 digits with at most one point", () => {
    fc.assert(fc.property(shortDecimal, (text) => Object.is(parseShortDecimal(text), Number(text))), { numRuns: 20_000 });
    for (const text of ["42000.15", "0.1", "0.3", "1.005", ".5", "3.", "999999999999999", "0.00000000000001", "9.99999999999999"]) {
      expect(parseShortDecimal(text)).toBe(Number(text));
    }
  });

  it("leaves everything else to the full parser", () => {
    for (const text of ["", ".", "..1", "1.2.3", "-1.5", "+1.5", " 1.5", "1.5 ", "1e5", "0x10", "1,5", "Infinity", "NaN", "1234567890123456", "12345678.901234567"]) {
      expect(parseShortDecimal(text)).toBeNaN();
    }
  });

  it("reads price fields like before: empty and hexadecimal stay refused", () => {
    expect(parseNumberField("42000.15")).toBe(42000.15);
    expect(parseNumberField("0")).toBe(0);
    expect(parseNumberField("")).toBeNaN();
    expect(parseNumberField("0x10")).toBeNaN();
    expect(parseNumberField("100.16872868078526")).toBe(100.16872868078526);
    fc.assert(fc.property(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), (value) => parseNumberField(String(value)) === value), { numRuns: 5_000 });
  });
});

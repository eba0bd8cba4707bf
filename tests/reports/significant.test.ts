import { describe, expect, it } from "vitest";
import { jsonForScript, roundSignificant } from "../../reports/html/format.js";

/** What the report rounded with before: the string way, the definition the fast one must match bit for bit. */
const byString = (value: number, digits: number): number => (value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits)));

/** A small deterministic generator (no Math.random in tests). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

describe("roundSignificant", () => {
  it("gives exactly Number(x.toPrecision(d)) for prices, equity, fractions, tiny, huge and random bit patterns", () => {
    const next = generator(7);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const kinds: (() => number)[] = [
      () => 100 + next() * 10, () => (next() - 0.5) * 1e6, () => Math.exp((next() - 0.5) * 120), () => -Math.exp((next() - 0.5) * 60),
      () => Math.round(next() * 1e6) / 1e4 + 0.00005, () => Math.round(next() * 1e5) * 0.05, () => 10 ** Math.floor(next() * 50 - 25),
      () => 10 ** Math.floor(next() * 50 - 25) * (1 - 2 ** -52), () => { words[0] = next() * 2 ** 32; words[1] = next() * 2 ** 32; return bits[0]; },
    ];
    let checked = 0;
    for (const kind of kinds) {
      for (let i = 0; i < 20_000; i++) {
        const value = kind();
        for (const digits of [6, 7, 8, 10]) {
          const fast = roundSignificant(value, digits);
          if (!Object.is(fast, byString(value, digits))) expect([value, digits, fast]).toEqual([value, digits, byString(value, digits)]);
          checked++;
        }
      }
    }
    expect(checked).toBe(9 * 20_000 * 4);
  });

  it("rounds ties half away from zero as toPrecision does, and carries into the next decade", () => {
    expect(roundSignificant(1.25, 2)).toBe(1.3);
    expect(roundSignificant(-1.25, 2)).toBe(-1.3);
    expect(roundSignificant(0.125, 2)).toBe(byString(0.125, 2));
    expect(roundSignificant(9.9999999999, 10)).toBe(10);
    expect(roundSignificant(99_999.99999, 6)).toBe(100_000);
    expect(roundSignificant(1.0000000005, 10)).toBe(byString(1.0000000005, 10));
  });

  it("leaves 0, -0, NaN and the infinities as they are", () => {
    expect(Object.is(roundSignificant(-0, 6), -0)).toBe(true);
    expect(roundSignificant(0, 6)).toBe(0);
    expect(roundSignificant(Number.NaN, 6)).toBeNaN();
    expect(roundSignificant(Infinity, 6)).toBe(Infinity);
    expect(roundSignificant(-Infinity, 6)).toBe(-Infinity);
  });
});

describe("the report's JSON data block", () => {
  it("writes non-finite numbers as null and escapes what could end the script block", () => {
    const text = jsonForScript({ a: [1, Number.NaN, Infinity, -Infinity], s: "</script><!-- & \u2028\u2029" });
    expect(text).toBe('{"a":[1,null,null,null],"s":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}');
    expect(JSON.parse(text)).toEqual({ a: [1, null, null, null], s: "</script><!-- & \u2028\u2029" });
  });

  it("is plain JSON.stringify when nothing needs escaping", () => {
    const value = { series: [{ time: [1, 2], value: [0.5, 1e-7] }], name: "run" };
    expect(jsonForScript(value)).toBe(JSON.stringify(value));
  });
});

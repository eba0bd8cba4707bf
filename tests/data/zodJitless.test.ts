import { afterEach, describe, expect, it } from "vitest";
import { z } from "../../data/zod.js";
import { configSchema } from "../../strategies/config.js";

/** data/zod.ts: exitlab's schemas validate without compiling code (`new Function`) on their first parse. */

const RealFunction = globalThis.Function;

/** Runs `work` with `Function` counted (zod compiles its fast paths with `new Function`); returns how many functions were made. */
function functionsMadeBy(work: () => void): number {
  let made = 0;
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args) {
      made++;
      return Reflect.construct(target, args) as object;
    },
    apply(target, self, args) {
      made++;
      return Reflect.apply(target, self, args) as unknown;
    },
  });
  try {
    work();
  } finally {
    globalThis.Function = RealFunction;
  }
  return made;
}

afterEach(() => {
  z.config({ jitless: true });
});

describe("exitlab's zod", () => {
  it("parses configs without making a function", () => {
    const made = functionsMadeBy(() => {
      expect(configSchema.safeParse({}).success).toBe(true);
      expect(configSchema.safeParse({ exits: { kind: "ai" }, sizing: { kind: "math" }, signals: { kind: "ema-cross" } }).success).toBe(true);
      expect(configSchema.safeParse({ exits: { kind: "nope" } }).success).toBe(false);
    });
    expect(made).toBe(0);
  });

  it("would make one for an object schema created with zod's default (the count above can fail)", () => {
    z.config({ jitless: false });
    const schema = z.object({ a: z.number(), b: z.string() });
    expect(functionsMadeBy(() => expect(schema.parse({ a: 1, b: "x" })).toEqual({ a: 1, b: "x" }))).toBeGreaterThan(0);
  });
});

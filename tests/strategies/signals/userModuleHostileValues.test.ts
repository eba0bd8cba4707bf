/**
 * Values a strategy returns that throw when exitlab merely looks at them (a `then` getter,
 * an `action` getter, a Proxy trap, an array element getter): each is a StrategyError
 * naming the file, the function and the place — never an unhandled TypeError.
 */

import { describe, expect, it } from "vitest";
import { StrategyError } from "../../../engine/index.js";
import { loadUserSignalModule, runUserModule } from "../../../strategies/signals/userModule.js";
import { writeModules } from "./moduleFiles.js";
import { barsFromCloses, thrownBy } from "./series.js";

const SERIES = barsFromCloses([100, 101, 102, 103, 104, 105], "ETHUSDT");

const FILES = writeModules({
  "thenGetterOnBar.mjs": "export function onBar(view) { return view.index === 2 ? { get then() { throw new Error('no then for you'); } } : null; }\n",
  "thenGetterCompute.mjs": "export function computeSignals() { return { get then() { throw new Error('no then for you'); } }; }\n",
  "actionGetter.mjs": "export function onBar(view) { return view.index === 1 ? { get action() { throw new RangeError('bad action'); } } : null; }\n",
  "proxyCompute.mjs": "export function computeSignals() { return new Proxy({}, { has() { throw new Error('trap'); }, get() { throw new Error('trap'); } }); }\n",
  "elementGetter.mjs": "export function computeSignals(series) { const list = new Array(series.length).fill(null); Object.defineProperty(list, 3, { get() { throw new Error('element'); } }); return list; }\n",
  "throwsSymbol.mjs": "export function onBar() { return { get then() { throw Symbol('odd'); } }; }\n",
});

async function errorOf(name: keyof typeof FILES): Promise<StrategyError> {
  const loaded = await loadUserSignalModule(FILES[name]);
  const error = thrownBy(() => runUserModule(loaded, SERIES));
  expect(error).toBeInstanceOf(StrategyError);
  expect((error as StrategyError).code).toBe("STRATEGY_FAILED");
  expect((error as StrategyError).where).toBe(FILES[name]);
  return error as StrategyError;
}

describe("runUserModule on returned values that throw when read", () => {
  it("reports a signal whose then getter throws, naming onBar and the bar", async () => {
    expect((await errorOf("thenGetterOnBar.mjs")).message).toBe("reading the value onBar returned at ETHUSDT bar 2 (2024-01-01T02:00:00.000Z) threw: no then for you");
  });

  it("reports a computeSignals result whose then getter throws, naming the symbol", async () => {
    expect((await errorOf("thenGetterCompute.mjs")).message).toBe("reading the value computeSignals returned for ETHUSDT threw: no then for you");
  });

  it("reports an action getter that throws", async () => {
    expect((await errorOf("actionGetter.mjs")).message).toBe(
      "onBar returned an invalid signal for ETHUSDT bar 1 (2024-01-01T01:00:00.000Z): the returned signal could not be read (a property getter threw)",
    );
  });

  it("reports a Proxy whose traps throw and a list element getter that throws", async () => {
    expect((await errorOf("proxyCompute.mjs")).message).toContain("computeSignals returned for ETHUSDT threw: trap");
    expect((await errorOf("elementGetter.mjs")).message).toContain("computeSignals returned for ETHUSDT threw: element");
  });

  it("reports a thrown value that is not an Error", async () => {
    expect((await errorOf("throwsSymbol.mjs")).message).toContain("threw: Symbol(odd)");
  });
});

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { StrategyError } from "../../../engine/index.js";
import { loadUserSignalModule, runUserModule } from "../../../strategies/signals/userModule.js";
import { writeModules } from "./moduleFiles.js";
import { barsFromCloses, rejectionOf } from "./series.js";

const EXAMPLES = fileURLToPath(new URL("../../../strategies/signals/examples/", import.meta.url));

const FILES = writeModules({
  "wrongExports.mjs": "export function signals() { return null; }\nexport const name = 'x';\n",
  "notAFunction.mjs": "export const onBar = 42;\n",
  "syntaxError.mjs": "export function onBar(view { return null; }\n",
  "throwsOnImport.mjs": "throw new Error('no API key');\n",
  "defaultObject.mjs": "export default { onBar: (view) => (view.index === 1 ? { action: 'SELL', confidence: 0.6 } : null) };\n",
  "commonJs.cjs": "module.exports = { computeSignals: (series) => Array.from({ length: series.length }, () => ({ action: 'BUY' })) };\n",
  "both.mjs": "export function computeSignals(series) { return new Array(series.length).fill(null); }\nexport function onBar() { throw new Error('not used'); }\n",
  "typed.ts": "export function onBar(view: { index: number }): { action: 'BUY' } | null { return view.index === 0 ? { action: 'BUY' } : null; }\n",
  "strategy.py": "def on_bar(): pass\n",
});

async function strategyError(path: string): Promise<StrategyError> {
  const error = await rejectionOf(loadUserSignalModule(path));
  expect(error).toBeInstanceOf(StrategyError);
  expect((error as StrategyError).code).toBe("STRATEGY_FAILED");
  return error as StrategyError;
}

describe("loadUserSignalModule", () => {
  it("loads the onBar example with its default params", async () => {
    const loaded = await loadUserSignalModule("breakout.mjs", EXAMPLES);
    expect(loaded.kind).toBe("onBar");
    expect(loaded.file).toBe(`${EXAMPLES}breakout.mjs`);
    expect(loaded.defaultParams).toEqual({ lookback: 20, fullStrength: 0.1 });
  });

  it("loads the computeSignals example", async () => {
    expect((await loadUserSignalModule(`${EXAMPLES}smaCross.mjs`)).kind).toBe("computeSignals");
  });

  it("reports a missing file with its absolute path and where relative paths resolve from", async () => {
    const error = await strategyError("/nowhere/strategy.mjs");
    expect(error.message).toBe("strategy module not found");
    expect(error.where).toBe("/nowhere/strategy.mjs");
    expect(error.hint).toContain("relative paths resolve from");
  });

  it("reports a module that exports neither computeSignals nor onBar, listing what it does export", async () => {
    const error = await strategyError(FILES["wrongExports.mjs"]);
    expect(error.message).toContain("exports neither computeSignals nor onBar (found: name, signals)");
    expect(error.where).toBe(FILES["wrongExports.mjs"]);
    expect(error.hint).toContain("export function onBar(view, params)");
  });

  it("reports an onBar export that is not a function", async () => {
    expect((await strategyError(FILES["notAFunction.mjs"])).message).toContain("exports onBar, but it is not a function");
  });

  it("reports a module that fails to import, with the original error as the cause", async () => {
    expect((await strategyError(FILES["syntaxError.mjs"])).message).toMatch(/^could not import the strategy module: /);
    const thrown = await strategyError(FILES["throwsOnImport.mjs"]);
    expect(thrown.message).toContain("no API key");
    expect((thrown.cause as Error).message).toBe("no API key");
  });

  it("rejects a file that is not JavaScript or TypeScript", async () => {
    expect((await strategyError(FILES["strategy.py"])).message).toContain('got ".py"');
  });

  it("accepts the interface on a default export, also from CommonJS", async () => {
    const series = barsFromCloses([1, 2, 3]);
    const fromDefault = await loadUserSignalModule(FILES["defaultObject.mjs"]);
    expect(Array.from(runUserModule(fromDefault, series).action)).toEqual([0, -1, 0]);
    const fromCommonJs = await loadUserSignalModule(FILES["commonJs.cjs"]);
    expect(fromCommonJs.kind).toBe("computeSignals");
    expect(Array.from(runUserModule(fromCommonJs, series).action)).toEqual([1, 1, 1]);
  });

  it("prefers computeSignals when a module exports both", async () => {
    const loaded = await loadUserSignalModule(FILES["both.mjs"]);
    expect(loaded.kind).toBe("computeSignals");
    expect(Array.from(runUserModule(loaded, barsFromCloses([1, 2])).action)).toEqual([0, 0]);
  });

  it("loads a TypeScript module through tsx when it is installed, and otherwise says how to compile it", async () => {
    const tsxApi = "tsx/esm/api";
    const hasTsx = await import(tsxApi).then(() => true, () => false);
    if (hasTsx) {
      const loaded = await loadUserSignalModule(FILES["typed.ts"]);
      expect(Array.from(runUserModule(loaded, barsFromCloses([1, 2])).action)).toEqual([1, 0]);
    } else {
      const error = await strategyError(FILES["typed.ts"]);
      expect(error.message).toContain("needs the tsx package");
      expect(error.hint).toContain("compile the module to .js or .mjs");
    }
  });
});

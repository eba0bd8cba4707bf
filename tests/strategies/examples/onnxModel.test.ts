import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMarketData } from "../../../data/loadMarketData.js";
import { runConfiguredBacktest } from "../../../strategies/buildRun.js";
import { configSchema } from "../../../strategies/config.js";
import type { LogisticModel } from "../../../strategies/examples/model/features.js";
import { onnxModelBytes } from "../../../strategies/examples/model/onnxGraph.js";
import { checkModuleLookahead } from "../../../strategies/signals/moduleLookahead.js";
import { loadSignalInputs } from "../../../workflows/backtest.js";
import { expectReconciled } from "../../fixtures/reconcile.js";

const PATHS = ["data/samples/binance-perp-1h/BTCUSDT.csv", "data/samples/binance-perp-1h/ETHUSDT.csv"];
const ONNX_EXAMPLE = "strategies/examples/onnxModel.ts";
/** float64 throughout: onnxruntime's Sub/Div/MatMul/Add/Sigmoid and probabilityUp differ by rounding only. */
const TOLERANCE = 1e-12;

async function prepared(module: string) {
  const config = configSchema.parse({ data: { paths: PATHS }, signals: { kind: "module", module } });
  const data = await loadMarketData({ paths: config.data.paths });
  const inputs = await loadSignalInputs(config, data);
  return { config, data, inputs, signalsOf: (symbol: string) => inputs.prepared?.signals?.bySymbol.get(symbol) };
}

describe("the ONNX model file", () => {
  it("is what exportOnnx.ts makes from logistic.json, byte for byte", () => {
    const text = readFileSync("strategies/examples/model/logistic.json", "utf8");
    const made = onnxModelBytes(JSON.parse(text) as LogisticModel, text);
    expect(Buffer.from(made).equals(readFileSync("strategies/examples/model/logistic.onnx"))).toBe(true);
  });
});

describe("the model in the loop through onnxruntime-node", () => {
  it("gives the same signals on every run, the TypeScript model's signals, and passes the look-ahead check", async () => {
    const first = await prepared(ONNX_EXAMPLE);
    const second = await prepared(ONNX_EXAMPLE);
    const typescript = await prepared("strategies/examples/modelInTheLoop.ts");
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      const a = first.signalsOf(symbol);
      const b = second.signalsOf(symbol);
      const t = typescript.signalsOf(symbol);
      expect(Array.from(a?.action ?? [])).toEqual(Array.from(b?.action ?? []));
      expect(Array.from(a?.confidence ?? [])).toEqual(Array.from(b?.confidence ?? []));
      expect(Array.from(a?.action ?? [])).toEqual(Array.from(t?.action ?? []));
      expect(Array.from(a?.action ?? []).filter((action) => action !== 0).length).toBeGreaterThan(100);
      // Confidence is NaN on HOLD bars (no signal): compared where both signal.
      const signalledBars = Array.from(a?.action ?? []).flatMap((action, i) => (action !== 0 ? [i] : []));
      const worst = signalledBars.reduce((max, i) => Math.max(max, Math.abs((a?.confidence[i] ?? NaN) - (t?.confidence[i] ?? NaN))), 0);
      expect(worst).toBeLessThan(TOLERANCE);
      const module = first.inputs.module as NonNullable<typeof first.inputs.module>;
      // 20 cuts were enough to catch the last-digit change of one bar when the batch was every bar in one run (see BATCH in the example).
      const report = await checkModuleLookahead(module, first.data.bars, symbol, {}, { cuts: 40, seed: 1 });
      expect(report.cutsChecked).toBeGreaterThan(30);
      expect(report.violationCount).toBe(0);
    }
    const { result } = runConfiguredBacktest(first.config, first.data, first.inputs);
    expect(result.trades.length).toBeGreaterThan(0);
    expectReconciled(result);
  });
});

describe("onnxruntime-node stays off the backtest path", () => {
  it("is imported by the ONNX example only, never by the engine, CLI, workflows or other strategies", () => {
    const importers: string[] = [];
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (path.endsWith(".ts") && readFileSync(path, "utf8").includes('import("onnxruntime-node")')) importers.push(path);
        else if (path.endsWith(".ts") && readFileSync(path, "utf8").includes('from "onnxruntime-node"')) importers.push(path);
      }
    };
    for (const dir of ["engine", "strategies", "cli", "workflows", "data", "reports"]) visit(dir);
    expect(importers).toEqual([ONNX_EXAMPLE]);
  });
});

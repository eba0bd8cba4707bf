/**
 * A model in the loop (README "A model in the loop"): `prepare` loads a trained logistic
 * model once per symbol — awaited before the replay, as loading an ONNX session or calling a
 * model server would be — and an async `computeSignals` scores the causal features of every
 * bar in one batch: BUY when p(up) > 0.5 + edge, SELL when p(up) < 0.5 − edge, confidence
 * growing with the distance from 0.5. The model file and the script that made it are in
 * strategies/examples/model/ (its provenance is inside the file). It was fitted on the first
 * half of the shipped perp bars: judge it on the second (`--from 2025-…`, see the README).
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/modelInTheLoop.ts --data data/samples/binance-perp-1h
 */
import { readFile } from "node:fs/promises";
import type { BarSeries } from "../../engine/index.js";
import type { ModuleContext } from "../signals/moduleContext.js";
import type { SignalLike, SignalParams } from "../signals/userModule.js";
import { FEATURE_NAMES, featuresAt, probabilityUp, signalOfProbability, type LogisticModel } from "./model/features.js";

export const defaultParams = { model: "model/logistic.json", edge: 0.02 };

export async function prepare(_series: BarSeries, params: SignalParams, context: ModuleContext): Promise<void> {
  const url = new URL(String(params.model), import.meta.url);
  const model = JSON.parse(await readFile(url, "utf8")) as LogisticModel;
  if (model.features.join(",") !== FEATURE_NAMES.join(",")) throw new Error(`${url.pathname} was trained on other features: ${model.features.join(", ")}`);
  context.state.model = model;
}

export async function computeSignals(series: BarSeries, params: SignalParams, context: ModuleContext): Promise<(SignalLike | null)[]> {
  const model = context.state.model as LogisticModel;
  const edge = Number(params.edge);
  const x = new Float64Array(FEATURE_NAMES.length);
  const signals: (SignalLike | null)[] = [];
  for (let i = 0; i < series.length; i++) {
    if (!featuresAt(series.close, i, x)) {
      signals.push(null);
      continue;
    }
    signals.push(signalOfProbability(probabilityUp(model, x), edge));
  }
  return signals;
}

/**
 * The model in the loop through a real ONNX runtime (README "A model in the loop"): `prepare`
 * loads model/logistic.onnx into an onnxruntime-node InferenceSession once per symbol, and an
 * async `computeSignals` computes the causal features of every bar (model/features.ts: bar i
 * reads closes 0..i only) and scores them in batches of 256 bars — one session.run per
 * [256, 5] tensor of doubles. Same rule as modelInTheLoop.ts: BUY when p(up) > 0.5 + edge, SELL when
 * p(up) < 0.5 − edge. The .onnx file is logistic.json's weights exported by
 * model/exportOnnx.ts, so the two examples give the same signals.
 *
 * onnxruntime-node (~300 MB installed, native) is imported here, inside prepare, and nowhere
 * else: a run that does not use this module never loads it. It is an optional peer
 * dependency of exitlab (a dev dependency of this repository).
 *
 *   node bin/exitlab.js backtest --signals strategies/examples/onnxModel.ts --from 2026-02-14T16:00Z
 */
import type { BarSeries } from "../../engine/index.js";
import type { ModuleContext } from "../signals/moduleContext.js";
import type { SignalLike, SignalParams } from "../signals/userModule.js";
import { FEATURE_NAMES, featuresAt, signalOfProbability } from "./model/features.js";

export const defaultParams = { model: "model/logistic.onnx", edge: 0.02 };

type Runtime = typeof import("onnxruntime-node");
type Session = Awaited<ReturnType<Runtime["InferenceSession"]["create"]>>;

async function loadRuntime(): Promise<Runtime> {
  try {
    return await import("onnxruntime-node");
  } catch (error) {
    throw new Error(`needs onnxruntime-node, an optional peer dependency that is not installed (install it: npm install onnxruntime-node@1.31.1): ${(error as Error).message}`);
  }
}

export async function prepare(_series: BarSeries, params: SignalParams, context: ModuleContext): Promise<void> {
  const runtime = await loadRuntime();
  const path = new URL(String(params.model), import.meta.url).pathname;
  const session = await runtime.InferenceSession.create(path, { executionProviders: ["cpu"], intraOpNumThreads: 1, interOpNumThreads: 1 });
  if (session.inputNames.join() !== "features" || session.outputNames.join() !== "p_up") {
    throw new Error(`${path} is not the exported logistic model: inputs ${session.inputNames.join(", ")}, outputs ${session.outputNames.join(", ")} (want features → p_up)`);
  }
  context.state.runtime = runtime;
  context.state.session = session;
}

/**
 * Bars scored per session.run. The batches are aligned on bar index (bars 0–255, 256–511, …)
 * and always this many rows (zero rows pad the last one): onnxruntime's MatMul may round a
 * row differently in a batch of another shape, so a bar must be scored in the same batch
 * position whatever the series length — or the look-ahead check sees the last digit move
 * when later bars are added.
 */
const BATCH = 256;

export async function computeSignals(series: BarSeries, params: SignalParams, context: ModuleContext): Promise<(SignalLike | null)[]> {
  const runtime = context.state.runtime as Runtime;
  const session = context.state.session as Session;
  const edge = Number(params.edge);
  const width = FEATURE_NAMES.length;
  const signals: (SignalLike | null)[] = new Array(series.length).fill(null);
  const x = new Float64Array(width);
  for (let start = 0; start < series.length; start += BATCH) {
    const matrix = new Float64Array(BATCH * width);
    const scored = new Uint8Array(BATCH);
    for (let row = 0; row < BATCH && start + row < series.length; row++) {
      if (!featuresAt(series.close, start + row, x)) continue;
      matrix.set(x, row * width);
      scored[row] = 1;
    }
    if (!scored.includes(1)) continue;
    const output = await session.run({ features: new runtime.Tensor("float64", matrix, [BATCH, width]) });
    const p = output.p_up.data as Float64Array;
    for (let row = 0; row < BATCH; row++) if (scored[row] === 1) signals[start + row] = signalOfProbability(p[row], edge);
  }
  return signals;
}

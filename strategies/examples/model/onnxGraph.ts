/**
 * The logistic model of logistic.json as an ONNX graph, in doubles so the runtime computes
 * what probabilityUp computes in TypeScript: p_up = Sigmoid(MatMul((features − mean) / scale,
 * weights) + bias), input `features` [batch, 5], output `p_up` [batch, 1]. Encoded with the
 * ONNX protobuf schema of `onnx-proto` (a dev dependency: only exportOnnx.ts and the tests
 * load this file). Every field is fixed by the model, so the same logistic.json gives the
 * same bytes; the provenance goes into the model's metadata_props.
 */
import { createHash } from "node:crypto";
import onnxProto from "onnx-proto";
import type { LogisticModel } from "./features.js";

const { onnx } = onnxProto;
const DOUBLE = onnx.TensorProto.DataType.DOUBLE;

export const ONNX_INPUT = "features";
export const ONNX_OUTPUT = "p_up";

/** The ONNX bytes of `model`; `sourceText` is logistic.json as shipped (its sha256 is recorded). */
export function onnxModelBytes(model: LogisticModel, sourceText: string): Uint8Array {
  const width = model.features.length;
  const tensor = (name: string, dims: number[], values: readonly number[]) => ({ name, dims, dataType: DOUBLE, doubleData: [...values] });
  const valueInfo = (name: string, second: number) => ({
    name, type: { tensorType: { elemType: DOUBLE, shape: { dim: [{ dimParam: "batch" }, { dimValue: second }] } } },
  });
  const node = (opType: string, input: string[], output: string) => ({ opType, input, output: [output], name: output });
  const graph = {
    name: "logistic",
    input: [valueInfo(ONNX_INPUT, width)],
    output: [valueInfo(ONNX_OUTPUT, 1)],
    initializer: [
      tensor("mean", [width], model.mean), tensor("scale", [width], model.scale),
      tensor("weights", [width, 1], model.weights), tensor("bias", [1], [model.bias]),
    ],
    node: [
      node("Sub", [ONNX_INPUT, "mean"], "centred"),
      node("Div", ["centred", "scale"], "standardised"),
      node("MatMul", ["standardised", "weights"], "logit_without_bias"),
      node("Add", ["logit_without_bias", "bias"], "logit"),
      node("Sigmoid", ["logit"], ONNX_OUTPUT),
    ],
  };
  const message = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "exitlab strategies/examples/model/exportOnnx.ts",
    producerVersion: "1",
    docString: `p(close ${model.horizonBars} bars later > close) from ${model.features.join(", ")}`,
    graph,
    metadataProps: [
      { key: "features", value: model.features.join(",") },
      { key: "source", value: "strategies/examples/model/logistic.json" },
      { key: "source_sha256", value: createHash("sha256").update(sourceText).digest("hex") },
      { key: "trained_by", value: String(model.provenance.script) },
      { key: "trained_on_bars_before", value: String(model.provenance.trainedOnBarsBefore) },
    ],
  });
  return onnx.ModelProto.encode(message).finish();
}

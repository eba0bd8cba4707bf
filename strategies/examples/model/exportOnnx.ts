/**
 * Writes strategies/examples/model/logistic.onnx from logistic.json (the model trainLogistic.ts
 * fitted): the same weights as an ONNX graph (onnxGraph.ts), run by onnxruntime-node in the
 * onnxModel.ts example. The same logistic.json gives the same bytes (a test regenerates it).
 *
 *   npx tsx strategies/examples/model/exportOnnx.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { LogisticModel } from "./features.js";
import { onnxModelBytes } from "./onnxGraph.js";

const SOURCE = "strategies/examples/model/logistic.json";
const OUT = "strategies/examples/model/logistic.onnx";

const text = readFileSync(SOURCE, "utf8");
const bytes = onnxModelBytes(JSON.parse(text) as LogisticModel, text);
writeFileSync(OUT, bytes);
console.log(`wrote ${OUT}: ${bytes.length} bytes`);

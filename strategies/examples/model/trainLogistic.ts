/**
 * Trains the model-in-the-loop example's model, reproducibly: a logistic regression of "the
 * close 24 bars later is higher" on the causal features of features.ts, fitted by full-batch
 * gradient descent (fixed steps, no randomness) on the first half of the shipped BTCUSDT and
 * ETHUSDT 1h perp bars. Writes strategies/examples/model/logistic.json; the same data gives
 * the same bytes.
 *
 *   npx tsx strategies/examples/model/trainLogistic.ts
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { FEATURE_NAMES, LOOKBACK, featuresAt, type LogisticModel } from "./features.js";

const FILES = ["data/samples/binance-perp-1h/BTCUSDT.csv", "data/samples/binance-perp-1h/ETHUSDT.csv"];
const HORIZON = 24;
const STEPS = 400;
const LEARNING_RATE = 0.5;
const L2 = 1e-3;
const OUT = "strategies/examples/model/logistic.json";

function closesOf(file: string): Float64Array {
  const lines = readFileSync(file, "utf8").trim().split("\n").slice(1);
  return Float64Array.from(lines, (line) => Number(line.split(",")[4]));
}

const rows: number[][] = [];
const labels: number[] = [];
let trainUntil = "";
for (const file of FILES) {
  const close = closesOf(file);
  const end = Math.floor(close.length / 2);
  const lines = readFileSync(file, "utf8").trim().split("\n");
  trainUntil = new Date(Number(lines[end].split(",")[0])).toISOString();
  const x = new Float64Array(FEATURE_NAMES.length);
  for (let i = LOOKBACK; i + HORIZON < end; i++) {
    if (!featuresAt(close, i, x)) continue;
    rows.push(Array.from(x));
    labels.push(close[i + HORIZON] > close[i] ? 1 : 0);
  }
}

const width = FEATURE_NAMES.length;
const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
const scale = Array.from({ length: width }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / rows.length) || 1);
const z = rows.map((r) => r.map((v, j) => (v - mean[j]) / scale[j]));
const weights = new Array<number>(width).fill(0);
let bias = 0;
for (let step = 0; step < STEPS; step++) {
  const grad = new Array<number>(width).fill(0);
  let gradBias = 0;
  for (let n = 0; n < z.length; n++) {
    let logit = bias;
    for (let j = 0; j < width; j++) logit += weights[j] * z[n][j];
    const error = 1 / (1 + Math.exp(-logit)) - labels[n];
    for (let j = 0; j < width; j++) grad[j] += error * z[n][j];
    gradBias += error;
  }
  for (let j = 0; j < width; j++) weights[j] -= LEARNING_RATE * (grad[j] / z.length + L2 * weights[j]);
  bias -= LEARNING_RATE * (gradBias / z.length);
}

const round = (value: number) => Number(value.toPrecision(12));
const model: LogisticModel = {
  features: [...FEATURE_NAMES], mean: mean.map(round), scale: scale.map(round), weights: weights.map(round), bias: round(bias), horizonBars: HORIZON,
  provenance: {
    script: "strategies/examples/model/trainLogistic.ts",
    data: FILES.map((file) => ({ file, sha256: createHash("sha256").update(readFileSync(file)).digest("hex") })),
    trainedOnBarsBefore: trainUntil, rows: rows.length, label: `close[i + ${HORIZON}] > close[i]`, steps: STEPS, learningRate: LEARNING_RATE, l2: L2,
  },
};
writeFileSync(OUT, `${JSON.stringify(model, null, 2)}\n`);
console.log(`wrote ${OUT}: ${rows.length} rows, weights ${model.weights.join(", ")}, bias ${model.bias}`);

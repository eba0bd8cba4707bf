import { DataError, type PredictionRows } from "../../engine/index.js";
import { sizeMultiplierProblem } from "./signalLimits.js";

/** A predictions file as loaded: its rows with their file and 1-based lines, for messages. */
export interface LocatedPredictionRows extends PredictionRows {
  readonly file: string;
  readonly line: Int32Array;
}

/** The two confidence scales a predictions file may use (`signals.confidenceScale`). */
export type ConfidenceScale = 1 | 100;

const SCALE_HINT = "confidences are 0..1; if the file's are on a 0–100 scale, pass --confidence-scale 100 (signals.confidenceScale)";

/**
 * Checks a predictions file's values against the ranges every signal source shares
 * (signalLimits.ts) and puts its confidences on the 0..1 scale: a confidence is divided by
 * `scale`, and must then lie in 0..1; a size multiplier must lie in 0..10; a score in −1..1.
 * A file whose confidences all lie in 0..1 while `scale` is 100 is refused too: the scale
 * is wrong and every signal would fall below the confidence gate.
 */
export function checkPredictionValues<T extends LocatedPredictionRows>(rows: T, scale: ConfidenceScale = 1): T {
  const confidence = new Float64Array(rows.length);
  let largest = -Infinity;
  for (let r = 0; r < rows.length; r++) {
    const where = `${rows.file}:${rows.line[r]}`;
    const given = rows.confidence[r];
    if (given === given) {
      largest = Math.max(largest, given);
      if (given < 0 || given > scale) {
        throw new DataError(`confidence ${given} is outside 0..${scale}`, where, scale === 1 ? SCALE_HINT : "with --confidence-scale 100 confidences are 0..100");
      }
    }
    confidence[r] = given / scale;
    const score = rows.score[r];
    if (score === score && (score < -1 || score > 1)) throw new DataError(`score ${score} is outside −1..1`, where);
    const problem = sizeMultiplierProblem(rows.sizeMultiplier[r]);
    if (problem !== null) throw new DataError(problem, where, "size_multiplier scales the sizing's amount: 0..10, empty = 1");
  }
  if (scale === 100 && largest > 0 && largest <= 1) {
    throw new DataError(
      `--confidence-scale 100 is set but every confidence is at most ${largest}`, rows.file,
      "these confidences are already 0..1: drop --confidence-scale (or set signals.confidenceScale to 1)",
    );
  }
  return { ...rows, confidence };
}

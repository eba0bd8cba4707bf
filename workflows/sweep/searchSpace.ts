import { ConfigError } from "../../engine/index.js";
import type { SeededRandom } from "../../data/seededRandom.js";
import type { Grid } from "./grid.js";

/**
 * A sweep's search space: per dotted config path, a list of choices or a numeric range
 * `{ min, max, step?, log? }`. A grid search expands every range into its steps; random and
 * TPE search draw from it (workflows/sweep/SWEEP.md "Search").
 */

export interface RangeParam {
  readonly kind: "range";
  readonly min: number;
  readonly max: number;
  /** Values are min + k·step (k = 0, 1, …, up to max); null = continuous. */
  readonly step: number | null;
  /** Draw uniformly in log space (min > 0). */
  readonly log: boolean;
}

export interface ListParam {
  readonly kind: "list";
  readonly values: readonly unknown[];
}

export type SearchParam = RangeParam | ListParam;

/** Paths with their parameters, in the sweep file's key order (the table's column order). */
export type SearchSpace = ReadonlyArray<readonly [path: string, param: SearchParam]>;

/** A grid search may expand at most this many steps of one range. */
const MAX_RANGE_STEPS = 10_000;

/** Checks a range object of the sweep file; `place` names it in errors. */
export function parseRange(value: Record<string, unknown>, place: string): RangeParam {
  const allowed = ["min", "max", "step", "log"];
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new ConfigError(`"${unknown}" is not a range key`, place, "a range is { \"min\": 0.01, \"max\": 0.05, \"step\": 0.01, \"log\": false } (step and log optional)");
  const { min, max, step = null, log = false } = value;
  if (typeof min !== "number" || !Number.isFinite(min)) throw new ConfigError("min must be a finite number", place);
  if (typeof max !== "number" || !Number.isFinite(max)) throw new ConfigError("max must be a finite number", place);
  if (!(max > min)) throw new ConfigError(`max (${max}) must be greater than min (${min})`, place);
  if (step !== null && (typeof step !== "number" || !(step > 0) || !Number.isFinite(step))) throw new ConfigError("step must be a positive number", place);
  if (typeof log !== "boolean") throw new ConfigError("log must be true or false", place);
  if (log && !(min > 0)) throw new ConfigError("a log range needs min > 0", place);
  return { kind: "range", min, max, step, log };
}

/** The number of steps of a stepped range (values min + k·step ≤ max). */
function stepCount(range: RangeParam & { step: number }): number {
  return Math.floor((range.max - range.min) / range.step + 1e-9) + 1;
}

/** min + k·step, rounded to 15 significant digits so 0.1 + 2·0.1 prints as 0.3. */
function stepValue(range: RangeParam & { step: number }, k: number): number {
  return Number((range.min + k * range.step).toPrecision(15));
}

/** The grid a grid search runs: every list as given, every range as its steps (a range needs a step). */
export function gridOfSpace(space: SearchSpace, where: string): Grid {
  return space.map(([path, param]) => {
    if (param.kind === "list") return [path, param.values] as const;
    const { step } = param;
    if (step === null) throw new ConfigError("a grid search needs a step for every range", `${where} grid.${path}`, "add \"step\", or search with --search random|tpe");
    const count = stepCount({ ...param, step });
    if (count > MAX_RANGE_STEPS) throw new ConfigError(`has ${count} steps (more than ${MAX_RANGE_STEPS})`, `${where} grid.${path}`, "use a larger step, or --search random|tpe");
    return [path, Array.from({ length: count }, (_, k) => stepValue({ ...param, step }, k))] as const;
  });
}

/** How many distinct cells the space holds (Infinity when a range is continuous). */
export function spaceSizeOf(space: SearchSpace): number {
  return space.reduce((size, [, param]) => size * (param.kind === "list" ? param.values.length : param.step === null ? Infinity : stepCount({ ...param, step: param.step })), 1);
}

/**
 * A range's position in its search coordinate: the value itself, or its logarithm for a log
 * range. TPE fits its densities in this coordinate; uniform draws are uniform in it.
 */
export function toCoordinate(range: RangeParam, value: number): number {
  return range.log ? Math.log(value) : value;
}

export function coordinateBounds(range: RangeParam): readonly [number, number] {
  return [toCoordinate(range, range.min), toCoordinate(range, range.max)];
}

/** The range's value at a coordinate, snapped to the nearest step and kept inside [min, max]. */
export function fromCoordinate(range: RangeParam, coordinate: number): number {
  const raw = range.log ? Math.exp(coordinate) : coordinate;
  if (range.step === null) return Math.min(range.max, Math.max(range.min, raw));
  const k = Math.min(stepCount({ ...range, step: range.step }) - 1, Math.max(0, Math.round((raw - range.min) / range.step)));
  return stepValue({ ...range, step: range.step }, k);
}

/** One value drawn uniformly from a parameter (uniform in log space for a log range). */
export function drawUniform(param: SearchParam, random: SeededRandom): unknown {
  if (param.kind === "list") return param.values[random.integerBelow(param.values.length)];
  if (param.step !== null && !param.log) return stepValue({ ...param, step: param.step }, random.integerBelow(stepCount({ ...param, step: param.step })));
  const [low, high] = coordinateBounds(param);
  return fromCoordinate(param, low + random.uniform() * (high - low));
}

import { createHash } from "node:crypto";
import type { z } from "zod";
import { ConfigError, closestName } from "../../engine/index.js";
import { configSchema, type RunConfig } from "../../strategies/config.js";

/**
 * A parameter grid (SPEC §8 `sweep`): dotted config paths, each with a list of values; the
 * cartesian product gives the cells. Each cell is the base config with the cell's values
 * applied and validated with `configSchema`; an invalid combination becomes a skipped cell
 * with the schema's message, not an error, so `exits.kind × exits.stopLossPct` can be swept
 * although `stopLossPct` only exists for some kinds.
 */

/** Grid paths with their values, in the sweep file's key order (the table's column order). */
export type Grid = ReadonlyArray<readonly [path: string, values: readonly unknown[]]>;

/** A cell's values by grid path, in grid order. */
export type CellValues = Readonly<Record<string, unknown>>;

export interface ReadyCell {
  readonly status: "ready";
  readonly cellId: string;
  readonly values: CellValues;
  readonly config: RunConfig;
}

export interface SkippedCell {
  readonly status: "skipped";
  readonly cellId: string;
  readonly values: CellValues;
  /** Why the combination is not a valid config (the first schema issue). */
  readonly message: string;
}

export type GridCell = ReadyCell | SkippedCell;

type Raw = Record<string, unknown>;

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * A cell's id: the first 16 hex digits of sha256 over its values (keys sorted), so the same
 * values give the same id in any grid order and on any machine — how a resumed sweep and a
 * job queue recognise a cell.
 */
export function cellIdOf(values: CellValues): string {
  return sha256Hex(canonicalJson(values)).slice(0, 16);
}

/** The grid's identity: sha256 over its sorted cell ids (value order and key order do not matter). */
export function gridHashOf(cells: readonly GridCell[]): string {
  return sha256Hex(cells.map((cell) => cell.cellId).sort().join("\n"));
}

/** The number of cells of `grid` (the product of its value counts), before any is skipped. */
export function gridSizeOf(grid: Grid): number {
  return grid.reduce((size, [, values]) => size * values.length, 1);
}

/** Every cell of the grid, in product order (the last path varies fastest). */
export function expandGrid(base: RunConfig, grid: Grid): GridCell[] {
  let combinations: Raw[] = [{}];
  for (const [path, values] of grid) {
    const next: Raw[] = [];
    for (const combination of combinations) for (const value of values) next.push({ ...combination, [path]: value });
    combinations = next;
  }
  return combinations.map((values) => cellOf(base, values));
}

/** The cell of `values` over `base`: ready with its config, or skipped with the schema's message. */
export function cellOf(base: RunConfig, values: CellValues): GridCell {
  const cellId = cellIdOf(values);
  const applied = applyCellValues(base, values);
  return applied.ok
    ? { status: "ready", cellId, values, config: applied.config }
    : { status: "skipped", cellId, values, message: applied.message };
}

/**
 * A grid none of whose cells is a valid config runs nothing — most often a misspelled grid
 * key, which every cell carries: an error naming the first cell's problem, not a sweep of
 * skipped cells. (Some invalid cells are normal: they are skipped and counted.)
 */
export function assertSomeCellValid(cells: readonly GridCell[], gridFile: string): void {
  if (cells.length === 0 || cells.some((cell) => cell.status === "ready")) return;
  const first = cells[0] as SkippedCell;
  throw new ConfigError(
    `none of the ${cells.length} cells is a valid config; the first: ${first.message}`, gridFile,
    "check the grid's keys (dotted config paths such as exits.stopLossPct) and values",
  );
}

/**
 * The base config with `values` applied. A `<section>.kind` value is applied first: a kind
 * other than the base's replaces the section with `{ kind }` (the new kind's defaults, as a
 * config layer that changes a kind does); then the other paths are set, so a parameter of
 * the new kind lands in the new section — and one the kind lacks is reported as unknown.
 */
export function applyCellValues(base: RunConfig, values: CellValues): { ok: true; config: RunConfig } | { ok: false; message: string } {
  const raw = structuredClone(base) as unknown as Raw;
  const paths = Object.keys(values);
  const kindPaths = paths.filter((path) => path.endsWith(".kind"));
  for (const path of kindPaths) {
    const sectionPath = path.split(".").slice(0, -1);
    const section = getPath(raw, sectionPath);
    if (!isPlainObject(section) || section.kind !== values[path]) setPath(raw, sectionPath, { kind: values[path] });
  }
  for (const path of paths) if (!kindPaths.includes(path)) setPath(raw, path.split("."), structuredClone(values[path]));
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: deepFreeze(parsed.data) };
  return { ok: false, message: describeIssues(parsed.error.issues, raw) };
}

function describeIssues(issues: readonly z.core.$ZodIssue[], raw: Raw): string {
  const issue = issues[0];
  const path = issue.path.map(String);
  const where = path.length > 0 ? `${path.join(".")}: ` : "";
  let message = issue.message.replace(/^Invalid input: /, "");
  if (issue.code === "unrecognized_keys") {
    const section = getPath(raw, path);
    const kind = isPlainObject(section) && typeof section.kind === "string" ? ` for kind "${section.kind}"` : "";
    const known = isPlainObject(section) ? knownKeysOf(path, section) : [];
    const guesses = issue.keys.map((key) => closestName(key, known, { allowPrefix: true })).filter((guess) => guess !== null);
    message = `${issue.keys.map((key) => `"${key}"`).join(", ")} ${issue.keys.length > 1 ? "are not keys" : "is not a key"}${kind}`
      + (guesses.length > 0 ? ` (did you mean ${guesses.map((guess) => `"${guess}"`).join(", ")}?)` : "");
  }
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${where}${message}${more}`;
}

/** The keys a section of its kind accepts, from the schema's defaults (none when the kind alone is not valid). */
function knownKeysOf(path: readonly string[], section: Raw): string[] {
  const raw: Raw = {};
  if (path.length > 0) setPath(raw, path, typeof section.kind === "string" ? { kind: section.kind } : {});
  const parsed = configSchema.safeParse(raw);
  const node = parsed.success ? getPath(parsed.data as unknown as Raw, path) : undefined;
  return isPlainObject(node) ? Object.keys(node) : [];
}

function setPath(target: Raw, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]];
    node = (isPlainObject(next) || Array.isArray(next) ? next : (node[path[i]] = {})) as Raw;
  }
  node[path[path.length - 1]] = value;
}

function getPath(source: Raw, path: readonly string[]): unknown {
  let node: unknown = source;
  for (const key of path) node = isPlainObject(node) || Array.isArray(node) ? (node as Raw)[key] : undefined;
  return node;
}

function isPlainObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

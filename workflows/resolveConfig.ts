import { parse as parseJson, printParseErrorCode, type ParseError } from "jsonc-parser";
import type { z } from "zod";
import { ConfigError, closestName } from "../engine/index.js";
import { configSchema, type RunConfig } from "../strategies/config.js";
import type { ConfigPath } from "../strategies/configPaths.js";
import { INPUT_FILE_LIMITS, readInputFile } from "./readInputFile.js";

/**
 * Resolves the run configuration from its layers (SPEC §9): CLI flags > config file >
 * environment > defaults. Each layer is a partial raw object; they are merged, the kind of
 * each mode section defaults as in the schema, and the result is validated once. An error
 * names the layer that set the offending value (flag, file or variable) and its key path.
 */

type Raw = Record<string, unknown>;

/** The seed's environment variables and the config paths they set. */
export const ENVIRONMENT_KEYS: ReadonlyArray<{ name: string; path: ConfigPath; list?: boolean }> = [
  { name: "RM_MAX_LEVERAGE", path: ["risk", "maxLeverage"] },
  { name: "RM_RISK_PER_TRADE_PCT", path: ["risk", "riskPerTradePct"] },
  { name: "MIN_CONFIDENCE_THRESHOLD", path: ["gates", "minConfidence"] },
  { name: "TRADING_SYMBOLS", path: ["gates", "symbols"], list: true },
];

/** Default `kind` of each mode section when a layer sets its parameters but not its kind. */
const DEFAULT_KINDS: Record<string, string> = { signals: "ema-cross", sizing: "fixed-fraction", exits: "static" };

export interface ConfigLayers {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly configFile: string | null;
  /** A config given as an object (the library's input): the file's place in the order, labelled "config". */
  readonly configObject?: unknown;
  /** Flag patches: config path → value, with the flag name for messages. */
  readonly flags: ReadonlyArray<{ flag: string; path: readonly string[]; value: unknown }>;
}

interface Layer {
  readonly raw: Raw;
  /** Label of whatever set a dotted path in this layer. */
  readonly sources: Map<string, string>;
}

export function resolveConfig(layers: ConfigLayers): RunConfig {
  const env = environmentLayer(layers.env);
  const file = layers.configObject !== undefined ? objectLayer(layers.configObject, "config")
    : layers.configFile === null ? null : fileLayer(layers.configFile);
  const flags = flagLayer(layers.flags);
  const ordered = [env, ...(file === null ? [] : [file]), flags];
  let merged: Raw = {};
  for (const layer of ordered) merged = mergeRaw(merged, layer.raw);
  for (const [section, kind] of Object.entries(DEFAULT_KINDS)) {
    const value = merged[section];
    if (isPlainObject(value) && value.kind === undefined) merged[section] = { kind, ...value };
  }
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return deepFreeze(parsed.data);
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String);
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
  const source = sourceOf(path, [...ordered].reverse(), issue);
  throw new ConfigError(`${describeIssue(issue, merged)}${more}`, `${source}${path.length ? ` ${path.join(".")}` : ""}`);
}

function environmentLayer(env: ConfigLayers["env"]): Layer {
  const raw: Raw = {};
  const sources = new Map<string, string>();
  for (const key of ENVIRONMENT_KEYS) {
    const text = env[key.name];
    if (text === undefined || text.trim() === "") continue;
    let value: unknown;
    if (key.list) {
      value = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
    } else {
      value = Number(text.trim());
      if (!Number.isFinite(value)) throw new ConfigError(`"${text}" is not a number`, `environment ${key.name}`);
    }
    setPath(raw, key.path, value);
    sources.set(key.path.join("."), `environment ${key.name}`);
  }
  return { raw, sources };
}

function fileLayer(filePath: string): Layer {
  const text = readInputFile(filePath, { what: "the config file", maxBytes: INPUT_FILE_LIMITS.config });
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parseJson(text.replace(/^\uFEFF/, ""), errors, { disallowComments: true, allowTrailingComma: false });
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigError("the JSON is nested too deeply", filePath, "a run config is a few levels deep");
    throw error;
  }
  if (errors.length > 0) {
    const { line, column } = lineAndColumn(text, errors[0].offset);
    throw new ConfigError(`invalid JSON: ${printParseErrorCode(errors[0].error)}`, `${filePath}:${line}:${column}`);
  }
  if (!isPlainObject(value)) throw new ConfigError("the config file must hold one JSON object", filePath);
  return objectLayer(value, filePath);
}

/** A config object as a layer; every key it sets is labelled `label` in messages. */
function objectLayer(value: unknown, label: string): Layer {
  if (!isPlainObject(value)) throw new ConfigError("a config must be one plain object", label);
  const sources = new Map<string, string>();
  for (const path of leafPaths(value)) sources.set(path, label);
  return { raw: value, sources };
}

function flagLayer(flags: ConfigLayers["flags"]): Layer {
  const raw: Raw = {};
  const sources = new Map<string, string>();
  for (const { flag, path, value } of flags) {
    setPath(raw, path, value);
    for (const leaf of isPlainObject(value) ? leafPaths(value, path.join(".")) : [path.join(".")]) sources.set(leaf, flag);
  }
  return { raw, sources };
}

/** The layer that set the offending path (the highest-precedence one), or "default". */
function sourceOf(path: readonly string[], layers: readonly Layer[], issue: z.core.$ZodIssue): string {
  const keys = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...path, key].join(".")) : [path.join(".")];
  for (const layer of layers) {
    for (const key of keys) {
      for (const [setPathKey, label] of layer.sources) {
        if (setPathKey === key || setPathKey.startsWith(`${key}.`) || key.startsWith(`${setPathKey}.`)) return label;
      }
    }
  }
  return "config";
}

function describeIssue(issue: z.core.$ZodIssue, merged: Raw): string {
  if (issue.code === "unrecognized_keys") {
    const container = getPath(merged, issue.path.map(String));
    const known = knownKeys(issue.path.map(String), container);
    return issue.keys
      .map((key) => {
        const suggestion = closestName(key, known, { allowPrefix: true });
        return `unknown key "${key}"${suggestion === null ? "" : ` (did you mean "${suggestion}"?)`}`;
      })
      .join("; ");
  }
  return issue.message.replace(/^Invalid input: /, "");
}

/** Keys the schema accepts at `path` (for "did you mean"), from a default-parsed config. */
function knownKeys(path: readonly string[], container: unknown): string[] {
  // A mode whose defaults are incomplete (predictions needs a file) simply gives no suggestions.
  const defaults = configSchema.safeParse(
    path.length > 0 && isPlainObject(container) && typeof container.kind === "string"
      ? setPath({}, path.slice(0, 1), { kind: container.kind })
      : {},
  );
  if (!defaults.success) return [];
  const node = getPath(defaults.data as unknown as Raw, path);
  return isPlainObject(node) ? Object.keys(node) : [];
}



/** Merges `patch` over `base`; a mode section whose `kind` changes is replaced, not merged. */
export function mergeRaw(base: Raw, patch: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    const kindChanged = isPlainObject(current) && isPlainObject(value) && value.kind !== undefined && value.kind !== current.kind;
    out[key] = isPlainObject(current) && isPlainObject(value) && !kindChanged ? mergeRaw(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function setPath(target: Raw, path: readonly string[], value: unknown): Raw {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]];
    node = (isPlainObject(next) ? next : (node[path[i]] = {})) as Raw;
  }
  node[path[path.length - 1]] = value;
  return target;
}

function getPath(source: Raw, path: readonly string[]): unknown {
  let node: unknown = source;
  for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

function leafPaths(value: Raw, prefix = ""): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (isPlainObject(child) && Object.keys(child).length > 0) out.push(...leafPaths(child, path));
    else out.push(path);
  }
  return out;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

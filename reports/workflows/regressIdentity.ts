/**
 * What a regress baseline was computed from: the run's resolved config (without `output`,
 * which only says where files go) and the data's fingerprint (symbol, kind, sha256 of each
 * source). A baseline checked against another config or other data reports that, not a
 * list of "regressed" metrics. Baselines written before these were stored have neither;
 * they are checked as before, with a note.
 */
import type { SourceFingerprint } from "../../engine/types.js";

export interface DataIdentity {
  readonly symbol: string;
  readonly kind: string;
  readonly sha256: string;
}

export interface RunIdentity {
  readonly config: unknown;
  readonly data: readonly DataIdentity[];
}

export function runIdentityOf(config: Readonly<Record<string, unknown>>, fingerprint: readonly SourceFingerprint[]): RunIdentity {
  const { output: _output, ...rest } = config;
  return {
    config: JSON.parse(JSON.stringify(rest)) as unknown,
    data: fingerprint.map((source) => ({ symbol: source.symbol, kind: source.kind, sha256: source.sha256 })),
  };
}

/** Dotted config paths and data sources that differ between a baseline's identity and the run's (empty when equal). */
export function identityDifferences(baseline: RunIdentity, current: RunIdentity): string[] {
  const out: string[] = [];
  diffValues(baseline.config, current.config, "", out);
  const key = (source: DataIdentity) => `${source.kind}:${source.symbol}`;
  const before = new Map(baseline.data.map((source) => [key(source), source.sha256]));
  const after = new Map(current.data.map((source) => [key(source), source.sha256]));
  for (const [name, sha] of before) {
    if (!after.has(name)) out.push(`data ${name} (absent now)`);
    else if (after.get(name) !== sha) out.push(`data ${name} (other file content)`);
  }
  for (const name of after.keys()) if (!before.has(name)) out.push(`data ${name} (not in the baseline)`);
  return out;
}

function diffValues(a: unknown, b: unknown, path: string, out: string[]): void {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) diffValues(a[key], b[key], path === "" ? key : `${path}.${key}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path} ${JSON.stringify(a) ?? "absent"} → ${JSON.stringify(b) ?? "absent"}`);
}

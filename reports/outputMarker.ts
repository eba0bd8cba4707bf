/**
 * The marker by which exitlab recognises what it wrote (README "Safety").
 *
 * Every folder exitlab writes into holds a `.exitlab` file listing the files it wrote there
 * with their sha256. A file is exitlab's own only while it is listed *and* still has that
 * content: a file the user added, or edited after exitlab wrote it, is the user's and is
 * kept. A run folder's marker has kind "run"; a folder exitlab only put files into (synthetic
 * bars, a predictions CSV, a saved Q-table) has kind "files".
 *
 * Run folders written before the marker existed are recognised by their summary.json
 * (engine "exitlab"); in them the file names exitlab's run commands write count as its own.
 */
import { createHash } from "node:crypto";
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENGINE_NAME } from "./summary.js";

export const MARKER_NAME = ".exitlab";

export type MarkerKind = "run" | "files";

export interface OutputMarker {
  readonly kind: MarkerKind;
  /** File name → sha256 (hex) of the content exitlab wrote; "" in a legacy run folder (name only). */
  readonly files: ReadonlyMap<string, string>;
  /** A run folder from before the marker: recognised by its summary.json. */
  readonly legacy: boolean;
}

/** Every file a run command (backtest, compare, tiers) wrote before the marker existed. */
const LEGACY_RUN_FILES = [
  "summary.json", "equity.csv", "trades.csv", "fills.csv", "exit_stats.csv", "positions.json", "report.html",
  "rl_qtable.json", "compare.md", "compare.csv", "tiers.md", "tiers.csv", "breakdown.csv",
];

/** A marker lists a few files; anything much larger is not one (and is not read whole). */
const MAX_MARKER_BYTES = 1024 * 1024;

/**
 * The hash a work folder's first marker gives a streamed file not yet written. Such a file is
 * exitlab's (a left-over of a killed write is cleared); a finished folder's marker never holds it.
 */
export const PENDING_HASH = "pending";

export function sha256Of(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The marker's text: sorted by name, so the same files give the same bytes. */
export function formatMarker(kind: MarkerKind, files: ReadonlyMap<string, string>): string {
  const sorted = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const listing = sorted.map(([name, hash]) => `    ${JSON.stringify(name)}: ${JSON.stringify(hash)}`).join(",\n");
  return `{\n  "writtenBy": "exitlab",\n  "kind": "${kind}",\n  "files": {\n${listing}\n  }\n}\n`;
}

function parseMarker(text: string): OutputMarker | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const record = value as { writtenBy?: unknown; kind?: unknown; files?: unknown } | null;
  if (typeof record !== "object" || record === null || record.writtenBy !== "exitlab") return null;
  if (record.kind !== "run" && record.kind !== "files") return null;
  if (typeof record.files !== "object" || record.files === null || Array.isArray(record.files)) return null;
  const files = new Map<string, string>();
  for (const [name, hash] of Object.entries(record.files as Record<string, unknown>)) {
    if (typeof hash !== "string" || name === "" || name.includes("/") || name === MARKER_NAME) return null;
    files.set(name, hash);
  }
  return { kind: record.kind, files, legacy: false };
}

/** True when `folder` holds a summary.json written by exitlab (a run folder from before the marker). */
function hasExitlabSummary(folder: string): boolean {
  try {
    const summary: unknown = JSON.parse(readFileSync(join(folder, "summary.json"), "utf8"));
    const engine = (summary as { engine?: { name?: unknown } } | null)?.engine;
    return typeof engine === "object" && engine !== null && engine.name === ENGINE_NAME;
  } catch {
    return false; // No summary or not JSON: not ours.
  }
}

/** The folder's marker; a legacy run folder's implied one; or null when exitlab did not write there. */
export function readMarker(folder: string): OutputMarker | null {
  const path = join(folder, MARKER_NAME);
  try {
    const stats = lstatSync(path);
    if (!stats.isFile() || stats.size > MAX_MARKER_BYTES) return null;
    return parseMarker(readFileSync(path, "utf8"));
  } catch {
    // No marker (or unreadable): only a legacy run folder is still recognised.
  }
  if (!hasExitlabSummary(folder)) return null;
  return { kind: "run", files: new Map(LEGACY_RUN_FILES.map((name) => [name, ""])), legacy: true };
}

/** True when `folder/name` is a regular file exitlab wrote and nobody changed since (see the file comment). */
export function isOwnedFile(folder: string, name: string, marker: OutputMarker | null): boolean {
  if (marker === null || name === MARKER_NAME) return false;
  const hash = marker.files.get(name);
  if (hash === undefined) return false;
  const path = join(folder, name);
  try {
    if (!lstatSync(path).isFile()) return false;
    return marker.legacy || hash === PENDING_HASH || sha256Of(readFileSync(path)) === hash;
  } catch {
    return false;
  }
}

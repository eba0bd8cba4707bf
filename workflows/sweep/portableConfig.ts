import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { RunConfig } from "../../strategies/config.js";
import { locateSample } from "../packageInfo.js";
import { deepFreeze } from "./grid.js";

/**
 * A config a worker on another machine, started in another folder, reads the same way: the
 * files it names (bars, funding, detail bars, a predictions file, a strategy module, an RL
 * Q-table) as absolute paths. Only paths that exist here are rewritten; the worker must find
 * the same files at the same absolute paths (a shared or identically laid-out file system).
 */
export function withAbsolutePaths(config: RunConfig): RunConfig {
  // A plain mutable copy: the frozen config's mode sections are unions, edited by kind below.
  const copy = structuredClone(config) as unknown as { data: unknown; signals: Record<string, unknown>; sizing: Record<string, unknown> };
  copy.data = {
    paths: config.data.paths.map(absoluteDataEntry),
    funding: config.data.funding.map(absoluteDataEntry),
    detail: config.data.detail.map(absoluteDataEntry),
    ...(config.data.from === undefined ? {} : { from: config.data.from }),
    ...(config.data.to === undefined ? {} : { to: config.data.to }),
    ...(config.data.timeframe === undefined ? {} : { timeframe: config.data.timeframe }),
  };
  const { signals, sizing } = copy;
  if (signals.kind === "predictions" && typeof signals.file === "string") signals.file = absolutePath(signals.file);
  if (signals.kind === "module" && typeof signals.module === "string") signals.module = absolutePath(signals.module);
  if (sizing.kind === "rl" && typeof sizing.load === "string") sizing.load = absolutePath(sizing.load);
  return deepFreeze(copy as unknown as RunConfig);
}

/** A data path entry (`path` or `SYMBOL=path`) made absolute when it exists here. */
export function absoluteDataEntry(entry: string): string {
  const located = locateSample(entry);
  if (existsSync(located)) return resolve(located);
  const symbolSpec = /^([A-Za-z0-9][A-Za-z0-9._:-]*)=(.+)$/.exec(entry);
  if (symbolSpec !== null && existsSync(symbolSpec[2])) return `${symbolSpec[1]}=${resolve(symbolSpec[2])}`;
  return entry;
}

function absolutePath(path: string): string {
  return existsSync(path) ? resolve(path) : path;
}

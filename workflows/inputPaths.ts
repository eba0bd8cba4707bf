/**
 * The inputs of a run, as folders its output may never be written over (README "Safety"):
 * data, funding and detail paths, the predictions file, the strategy module and the Q-table.
 * The CLI adds the working directory, the home folder, the config file and the cache.
 */
import type { ProtectedPath } from "../reports/protectedPaths.js";
import type { RunConfig } from "../strategies/config.js";
import type { SignalsConfig } from "../strategies/signals/signalConfig.js";

const SYMBOL_SPEC = /^[A-Za-z0-9][A-Za-z0-9._:-]*=(.+)$/;

/** A data entry's path: `SYMBOL=path` names both forms, since either may be the real one. */
function dataEntryPaths(entry: string): string[] {
  const spec = SYMBOL_SPEC.exec(entry);
  return spec === null ? [entry] : [entry, spec[1]];
}

export function inputPathsOf(config: RunConfig): ProtectedPath[] {
  const paths: ProtectedPath[] = [];
  const add = (what: string, entries: readonly string[]): void => {
    for (const entry of entries) for (const path of dataEntryPaths(entry)) paths.push({ path, what });
  };
  add("the data path", config.data.paths);
  add("the funding path", config.data.funding);
  add("the detail data path", config.data.detail);
  const signals = config.signals as SignalsConfig;
  if (signals.kind === "predictions") paths.push({ path: signals.file, what: "the predictions file" });
  if (signals.kind === "module") paths.push({ path: signals.module, what: "the strategy module" });
  if (config.sizing.kind === "rl" && config.sizing.load !== null) paths.push({ path: config.sizing.load, what: "the Q-table" });
  return paths;
}

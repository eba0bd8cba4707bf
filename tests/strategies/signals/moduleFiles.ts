import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Writes strategy-module sources into a fresh temporary folder; returns each file's path. */
export function writeModules<Name extends string>(sources: Record<Name, string>): Record<Name, string> {
  const folder = mkdtempSync(join(tmpdir(), "exitlab-signal-modules-"));
  const paths = {} as Record<Name, string>;
  for (const [name, source] of Object.entries(sources) as [Name, string][]) {
    paths[name] = join(folder, name);
    writeFileSync(paths[name], source);
  }
  return paths;
}

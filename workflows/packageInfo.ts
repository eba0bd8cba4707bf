import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's root folder and version, found by walking up from this module — the same
 * from the sources (tests) and from the compiled `dist/`.
 */
function findRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "exitlab") return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error("exitlab: cannot find the package root");
    folder = parent;
  }
}

export const PACKAGE_ROOT = findRoot();
export const ENGINE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

/**
 * The default data path names the shipped sample relative to the project; when exitlab
 * runs from another folder, the sample is found next to the package instead.
 */
export function locateSample(path: string): string {
  if (isAbsolute(path) || existsSync(path) || !path.startsWith("data/samples/")) return path;
  const packaged = join(PACKAGE_ROOT, path);
  return existsSync(packaged) ? packaged : path;
}

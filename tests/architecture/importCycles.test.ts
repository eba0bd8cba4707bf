/**
 * The import graph of the source files (tests excluded), type-only imports included, as README
 * "Layout" draws it: no cycle (a cycle makes module evaluation order matter and ties the layers
 * into one knot), imports pointing one way between the layers, and engine/ reached only through
 * engine/index.ts. dpdm parses the TypeScript imports with TypeScript's own parser.
 */
import { parseCircular, parseDependencyTree, type DependencyTree } from "dpdm";
import { isAbsolute, relative, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../cli/cliHarness.js";

const SOURCES = ["index.ts", "engine/**/*.ts", "strategies/**/*.ts", "data/**/*.ts", "reports/**/*.ts", "workflows/**/*.ts", "cli/**/*.ts", "bench/**/*.ts"];


/** Engine files other layers may import directly: those engine/index.ts re-exports whole. */
const ENGINE_WHOLE_EXPORTS = ["engine/errors.ts", "engine/index.ts", "engine/types.ts"];

/** README "Layout": each layer imports only layers to its right. */
const LAYERS = [["cli", "index.ts", "bench"], ["workflows"], ["reports"], ["strategies"], ["data"], ["engine"]];

/** A project file's path from the project root; null for Node built-ins and packages. */
function projectPath(file: string): string | null {
  if (file.startsWith("node:")) return null;
  const path = relative(PROJECT_ROOT, isAbsolute(file) ? file : resolve(PROJECT_ROOT, file));
  return path.startsWith("..") || path.includes("node_modules") ? null : path;
}

function layerOf(path: string): number {
  return LAYERS.findIndex((names) => names.includes(path.split("/")[0]));
}

let tree: DependencyTree;
/** Every import between two project files, as [from, to]. */
let edges: Array<readonly [string, string]>;

beforeAll(async () => {
  tree = await parseDependencyTree(SOURCES, { cwd: PROJECT_ROOT, context: PROJECT_ROOT, transform: false, skipDynamicImports: false });
  edges = [];
  for (const [file, dependencies] of Object.entries(tree)) {
    const from = projectPath(file);
    if (from === null) continue;
    for (const dependency of dependencies ?? []) {
      const to = dependency.id === null ? null : projectPath(dependency.id);
      if (to !== null) edges.push([from, to]);
    }
  }
}, 60_000);

describe("the import graph", () => {
  it("has no cycle among the source files", () => {
    const found = parseCircular(tree).map((cycle) => cycle.map((file) => projectPath(file)));
    expect(edges.length, "dpdm found the imports").toBeGreaterThan(300);
    expect(found).toEqual([]);
  });

  it("points one way: no layer imports a layer to its left in README's Layout", () => {
    expect(edges.filter(([from, to]) => layerOf(from) < 0 || layerOf(to) < 0)).toEqual([]);
    const leftward = edges.filter(([from, to]) => layerOf(to) < layerOf(from) || (layerOf(to) === 0 && to.split("/")[0] !== from.split("/")[0]));
    expect(leftward.map(([from, to]) => `${from} -> ${to}`)).toEqual([]);
  });

  it("reaches engine/ from outside only through engine/index.ts (or the files it re-exports whole)", () => {
    const around = edges.filter(([from, to]) => !from.startsWith("engine/") && to.startsWith("engine/") && !ENGINE_WHOLE_EXPORTS.includes(to));
    expect(around.map(([from, to]) => `${from} -> ${to}`)).toEqual([]);
  });
});

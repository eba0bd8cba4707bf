/**
 * No import cycle among the source files (tests excluded), type-only imports included: a cycle
 * makes module evaluation order matter and turns the layers of README "Layout" into one knot.
 * dpdm parses the TypeScript imports (its own TypeScript parser, paths resolved like tsc).
 */
import { parseCircular, parseDependencyTree } from "dpdm";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../cli/cliHarness.js";

const SOURCES = ["index.ts", "engine/**/*.ts", "strategies/**/*.ts", "data/**/*.ts", "reports/**/*.ts", "workflows/**/*.ts", "cli/**/*.ts", "bench/**/*.ts"];

/**
 * The one cycle left, inside engine/ (owned by another change this session): types.ts names the
 * ledger classes of ledgers.ts in RunLedgers, and ledgers.ts builds the Trade and Fill objects of
 * types.ts. The fix is read-only ledger interfaces declared in types.ts; then delete this entry.
 */
const KNOWN_CYCLES = [["engine/types.ts", "engine/ledgers.ts"]];

async function cycles(): Promise<string[][]> {
  const tree = await parseDependencyTree(SOURCES, { cwd: PROJECT_ROOT, context: PROJECT_ROOT, transform: false, skipDynamicImports: false });
  return parseCircular(tree).map((cycle) => cycle.map((file) => relative(PROJECT_ROOT, file)));
}

/** Engine files other layers may import directly: those engine/index.ts re-exports whole. */
const ENGINE_WHOLE_EXPORTS = ["engine/errors.ts", "engine/index.ts", "engine/types.ts"];

describe("the import graph", () => {
  it("has no cycle among the source files but the one known inside engine/", async () => {
    const found = await cycles();
    expect(found.length, "dpdm found no files: are the globs right?").toBeGreaterThan(0);
    expect(found).toEqual(KNOWN_CYCLES);
  }, 60_000);

  it("reaches engine/ from outside only through engine/index.ts (or the files it re-exports whole)", async () => {
    const tree = await parseDependencyTree(SOURCES, { cwd: PROJECT_ROOT, context: PROJECT_ROOT, transform: false, skipDynamicImports: false });
    const crossings: string[] = [];
    for (const [file, dependencies] of Object.entries(tree)) {
      const from = relative(PROJECT_ROOT, file);
      if (from.startsWith("engine/")) continue;
      for (const dependency of dependencies ?? []) {
        const to = dependency.id === null ? null : relative(PROJECT_ROOT, dependency.id);
        if (to !== null && to.startsWith("engine/") && !ENGINE_WHOLE_EXPORTS.includes(to)) crossings.push(`${from} -> ${to}`);
      }
    }
    expect(crossings).toEqual([]);
  }, 60_000);
});

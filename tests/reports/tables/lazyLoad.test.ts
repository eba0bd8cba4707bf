// danfojs takes seconds to load: it must be imported only inside computeBreakdowns (STYLE §15).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TABLES = `${ROOT}reports/tables/`;

/**
 * CommonJS modules under danfojs-node in the module cache of a fresh process, after importing
 * the engine and the tables and again after one `computeBreakdowns` call (the control that
 * shows the check can see danfojs at all).
 */
function danfoModulesLoaded(): { afterImport: string[]; afterCompute: string[] } {
  const script = `
    import { createRequire } from "node:module";
    const cache = createRequire(import.meta.url).cache;
    const danfo = () => Object.keys(cache).filter((path) => path.includes("danfojs-node"));
    await import("./engine/index.ts");
    await import("./reports/tables/breakdownFormat.ts");
    const { computeBreakdowns } = await import("./reports/tables/breakdown.ts");
    const afterImport = danfo();
    const trade = { id: 1, symbol: "X", side: 1, confidence: 0.9, quantity: 1, netPnlUsd: 1, plan: { source: "static" } };
    await computeBreakdowns([trade], []);
    console.log(JSON.stringify({ afterImport, afterCompute: danfo() }));`;
  const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").pop() as string) as { afterImport: string[]; afterCompute: string[] };
}

describe("lazy loading of danfojs", () => {
  it("is never imported statically by the tables", () => {
    for (const file of readdirSync(TABLES).filter((name) => name.endsWith(".ts"))) {
      const source = readFileSync(TABLES + file, "utf8");
      expect(source, file).not.toMatch(/^\s*import\s[^;]*from\s+["']danfojs-node["']/m);
      expect(source, file).not.toMatch(/require\(\s*["']danfojs-node["']\s*\)/);
    }
  });

  it("is not loaded by importing the tables or the engine, only by computing", () => {
    const loaded = danfoModulesLoaded();
    expect(loaded.afterImport).toEqual([]);
    expect(loaded.afterCompute.length).toBeGreaterThan(0);
  }, 20_000);
});

/**
 * TradingView's lightweight-charts (Apache-2.0), standalone production build, read from the
 * installed package the first time a report with a price chart is rendered — never at
 * import, so a run that writes no report never reads it. About 199 kB of the page.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

let source: string | null = null;

export function chartLibrarySource(): string {
  if (source === null) {
    const require = createRequire(import.meta.url);
    // The package exports only its module entries: find its folder through package.json.
    const folder = dirname(require.resolve("lightweight-charts/package.json"));
    source = readFileSync(join(folder, "dist", "lightweight-charts.standalone.production.js"), "utf8");
  }
  return source;
}

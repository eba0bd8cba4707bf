// Build step after `tsc` (npm run build / prepare / test): bundles the CLI's entry (dist/cli/main.js)
// and its computing worker thread (dist/cli/runWorker.js) with esbuild into dist/bundle/cli/, split
// into chunks so that each command still loads only its own code. Start-up is dominated by
// resolving and compiling ~330 small module files (zod alone ~95); the bundle cuts the start-up
// phase by ~100 ms (README "Performance"). bin/exitlab.js runs it when it is at least as new as
// dist/cli/main.js, else the tsc output (so a plain `tsc` after editing never runs a stale bundle).
//
// Left out of the bundle and loaded from node_modules as before: what is loaded with
// createRequire or starts its own workers (apache-arrow, technicalindicators, cli-progress,
// lightweight-charts, piscina), the optional heavy ones (danfojs-node, onnxruntime-node,
// playwright-core, bullmq, tsx). The sweep's and walk-forward's worker threads run the tsc output.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const OUT = "dist/bundle";
const EXTERNAL = [
  "apache-arrow", "technicalindicators", "cli-progress", "lightweight-charts", "piscina",
  "danfojs-node", "onnxruntime-node", "playwright-core", "bullmq", "ioredis", "tsx",
];

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: ["dist/cli/main.js", "dist/cli/runWorker.js"],
  outdir: OUT,
  outbase: "dist",
  // Chunks beside the entries: `new URL("./runWorker.js", import.meta.url)` in a chunk must find the worker entry.
  chunkNames: "cli/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // jsonc-parser's "main" is a UMD build that requires its own files at run time; its ESM build bundles.
  mainFields: ["module", "main"],
  external: EXTERNAL,
  minifySyntax: true,
  minifyWhitespace: true,
  // Bundled CommonJS packages call require(): give every chunk one.
  banner: { js: "import { createRequire as __exitlabRequire } from 'node:module'; const require = __exitlabRequire(import.meta.url);" },
  logLevel: "warning",
});

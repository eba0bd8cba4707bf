// Build step after `tsc` (npm run build / prepare / test): bundles the CLI with esbuild into
// dist/bundle/cli/. Start-up is dominated by resolving and compiling ~330 small module files (zod
// alone ~95) and then ~1.5 MB of code; README "Performance" has the figures.
//
// - main.js: the process's main thread (the shell: flags, help, the commands that stay on it),
//   ESM, split into chunks so that each command loads only its own code.
// - worker.cjs + workerLoader.cjs: the worker thread that runs a computing command (backtest,
//   compare, tiers, …), one CommonJS file, so that V8 can compile it from a code cache. The
//   cache is made here, by running sample commands in a fresh process with
//   EXITLAB_WRITE_CODE_CACHE=1 (each run adds the functions it compiled); the loader uses it only
//   for these exact bytes on this Node version. If making it fails the build still succeeds,
//   with a warning: the CLI then compiles from source, slower, never different.
//
// bin/exitlab.js runs the bundle when it is at least as new as dist/cli/main.js, else the tsc
// output (so a plain `tsc` after editing never runs a stale bundle).
//
// Left out of the bundle and loaded from node_modules as before: what is loaded with
// createRequire or starts its own workers (apache-arrow, technicalindicators, cli-progress,
// lightweight-charts, piscina), the optional heavy ones (danfojs-node, onnxruntime-node,
// playwright-core, bullmq, tsx). The sweep's and walk-forward's worker threads run the tsc output.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const OUT = "dist/bundle";
const EXTERNAL = [
  "apache-arrow", "technicalindicators", "cli-progress", "lightweight-charts", "piscina",
  "danfojs-node", "onnxruntime-node", "playwright-core", "bullmq", "ioredis", "tsx",
];

/** What both builds share. jsonc-parser's "main" is a UMD build that requires its own files at run time; its ESM build bundles. */
const COMMON = {
  bundle: true, platform: "node", target: "node20", mainFields: ["module", "main"], external: EXTERNAL,
  minifySyntax: true, minifyWhitespace: true, logLevel: "warning",
};

/**
 * data/apacheArrow.ts loads apache-arrow's one-file build with createRequire, which esbuild
 * cannot follow. In the worker bundle the same file is required plainly, so it is bundled —
 * the same code, now compiled from the code cache with the rest (~6 ms a run).
 */
const bundledArrow = {
  name: "bundled-apache-arrow",
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]data[\\/]apacheArrow\.js$/ }, () => ({
      contents: 'export const arrow = require("apache-arrow/Arrow.esnext.min");',
      loader: "js",
      resolveDir: "dist/data",
    }));
  },
};

/**
 * zod's `z` namespace carries its error messages in ~50 languages (`z.locales`, ~300 kB of the
 * ~580 kB zod puts in a bundle), which esbuild cannot leave out: the namespace object holds them
 * all. exitlab's messages are English — zod's default, which its schemas register from
 * locales/en.js themselves — and nothing here asks for another, so in the bundles the locales
 * index offers English alone. Every bundle is ~17 % smaller, and the worker's code cache with it.
 */
const englishZodOnly = {
  name: "english-zod-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  ...COMMON,
  // runWorker.js and outputThread.js too: the threads' entries should their code-cached copies be missing (interruptShell.ts).
  entryPoints: ["dist/cli/main.js", "dist/cli/runWorker.js", "dist/cli/outputThread.js"],
  plugins: [englishZodOnly],
  outdir: OUT,
  outbase: "dist",
  // Chunks beside the entry: `new URL("./workerLoader.cjs", import.meta.url)` in a chunk must find the worker entry.
  chunkNames: "cli/[name]-[hash]",
  splitting: true,
  format: "esm",
  // Bundled CommonJS packages call require(): give every chunk one.
  banner: { js: "import { createRequire as __exitlabRequire } from 'node:module'; const require = __exitlabRequire(import.meta.url);" },
});

// The worker thread's code, one CommonJS file. `import.meta.url` (createRequire, paths beside a
// module) becomes the file's own URL; a dynamic import of a run-time path goes through
// data/runtimeImport.ts.
// The same for the pool threads of a sweep and of a walk-forward (one cell per task).
// And the output thread of backtest and tiers (cli/outputThread.ts).
const WORKERS = {
  worker: "dist/cli/runWorker.js", sweepCell: "dist/workflows/sweep/worker.js", windowCell: "dist/workflows/walkforward/worker.js",
  outputThread: "dist/cli/outputThread.js",
};
for (const [name, entry] of Object.entries(WORKERS)) {
  await build({
    ...COMMON,
    entryPoints: [entry],
    outfile: `${OUT}/cli/${name}.cjs`,
    format: "cjs",
    external: EXTERNAL.filter((name) => name !== "apache-arrow"),
    plugins: [englishZodOnly, bundledArrow],
    define: { "import.meta.url": "__exitlabModuleUrl" },
    banner: { js: "const __exitlabModuleUrl = require(\"node:url\").pathToFileURL(__filename).href;" },
  });
  copyFileSync("cli/workerLoader.cjs", `${OUT}/cli/${name}Loader.cjs`);
}
makeCodeCache();

/** Runs sample commands through the worker bundle, each adding to the code cache; a warning (not a failure) when one fails. */
function makeCodeCache() {
  const scratch = mkdtempSync(join(tmpdir(), "exitlab-code-cache-"));
  const grid = join(scratch, "grid.json");
  writeFileSync(grid, JSON.stringify({ grid: { "exits.stopLossPct": [0.02, 0.04] }, metric: "sharpeRatio" }));
  const samples = [
    ["backtest", "--exit", "ai", "--sizing", "math"],
    // With the output thread (too small a run to start it otherwise), so that it has its code cache too.
    ["backtest", "--data", "data/samples/binance-spot-1h", "--market", "spot", "--signals", "strategies/signals/examples/smaCross.mjs", "--exit", "harvest"],
    ["compare", "--plans", "static,lsf", "--paths", "default"],
    ["sweep", "--grid", grid, "--workers", "1"],
    ["walkforward", "--grid", grid, "--train", "35d", "--test", "6d", "--min-trades", "1", "--workers", "1"],
  ];
  try {
    for (const [index, args] of samples.entries()) {
      const run = spawnSync(process.execPath, [`${OUT}/cli/main.js`, ...args, "--out", join(scratch, `run${index}`), "--no-cache", "--quiet"], {
        encoding: "utf8", env: { ...process.env, EXITLAB_WRITE_CODE_CACHE: "1", EXITLAB_TIMINGS: "", EXITLAB_OUTPUT_THREAD: index === 1 ? "1" : "0" },
      });
      if (run.status !== 0) {
        process.stderr.write(`cli/bundle.mjs: warning: no code cache (exitlab ${args.join(" ")} failed: ${run.stderr.trim().split("\n")[0]}); the CLI starts more slowly\n`);
        for (const name of readdirSync(`${OUT}/cli`)) if (name.endsWith(".v8cache")) rmSync(`${OUT}/cli/${name}`);
        return;
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

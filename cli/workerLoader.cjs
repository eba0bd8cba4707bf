// The entry of a worker thread in the bundled build. cli/bundle.mjs copies this file into
// dist/bundle/cli/ once per bundled worker, named after it: workerLoader.cjs runs worker.cjs
// (the thread of a computing command), sweepCellLoader.cjs runs sweepCell.cjs (a sweep's pool
// thread), windowCellLoader.cjs runs windowCell.cjs (a walk-forward's). Each is the worker's
// code as one CommonJS file, compiled here with V8's code cache, made at build time by running
// sample commands, so a thread skips most of parsing and compiling its ~1.5 MB of code
// (README "Performance").
//
// The cache is used only when it was made from these exact bytes by this Node version: its
// file name carries the CRC-32 of the code and process.version. Any other case (no cache,
// another Node, an edited bundle, V8 rejecting it) compiles from source as usual: slower,
// never different. Node 20 cannot run a dynamic import() from cache-compiled code, so this
// file (compiled by Node itself) lends its own through globalThis (data/runtimeImport.ts).
"use strict";
const { readFileSync, writeFileSync, renameSync } = require("node:fs");
const { basename, join } = require("node:path");
const { Module } = require("node:module");
const { Script } = require("node:vm");
const { crc32 } = require("node:zlib");

const name = basename(__filename).replace(/Loader\.cjs$/, ".cjs");
const file = join(__dirname, name);
const bytes = readFileSync(file);
const cacheFile = join(__dirname, `${name}.${crc32(bytes).toString(16).padStart(8, "0")}.${process.version}.${process.arch}.v8cache`);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}

globalThis.__exitlabImport = (specifier) => import(specifier);
const script = new Script(Module.wrap(bytes.toString("utf8")), { filename: file, cachedData });
const compiled = script.runInThisContext();
const loaded = { exports: {} };
compiled.call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, __dirname);
module.exports = loaded.exports;

// cli/bundle.mjs: write the cache after the command, or after each task of a pool thread (which
// is terminated, not ended); it then also holds the functions the run compiled.
if (process.env.EXITLAB_WRITE_CODE_CACHE === "1") {
  const writeCache = () => {
    const temporary = `${cacheFile}.tmp-${process.pid}-${require("node:worker_threads").threadId}`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  };
  process.on("exit", writeCache);
  // A thread that is ended from outside (the output thread, cli/outputThread.ts) saves it after each task.
  globalThis.__exitlabWriteCodeCache = writeCache;
  const task = loaded.exports.default;
  if (typeof task === "function") {
    const writing = async (...args) => {
      const result = await task(...args);
      writeCache();
      return result;
    };
    // Marked as an ES module's exports, as esbuild marks the bundle's, so piscina takes `default`.
    module.exports = Object.defineProperty({ ...loaded.exports, default: writing }, "__esModule", { value: true });
  }
}

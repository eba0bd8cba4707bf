// The entry of the CLI's worker thread in the bundled build (cli/bundle.mjs copies it into
// dist/bundle/cli/ beside worker.cjs, the worker's code as one CommonJS file). It compiles
// worker.cjs with V8's code cache, made at build time by running sample commands, so a run
// skips most of parsing and compiling its ~1.5 MB of code (README "Performance").
//
// The cache is used only when it was made from these exact bytes by this Node version: its
// file name carries the CRC-32 of worker.cjs and process.version. Any other case (no cache,
// another Node, an edited bundle, V8 rejecting it) compiles from source as usual — slower,
// never different. Node 20 cannot run a dynamic import() from cache-compiled code, so this
// file (compiled by Node itself) lends its own through globalThis (engine/runtimeImport.ts).
"use strict";
const { readFileSync, writeFileSync, renameSync } = require("node:fs");
const { join } = require("node:path");
const { Module } = require("node:module");
const { Script } = require("node:vm");
const { crc32 } = require("node:zlib");

const file = join(__dirname, "worker.cjs");
const bytes = readFileSync(file);
const source = bytes.toString("utf8");
const cacheFile = join(__dirname, `worker.cjs.${crc32(bytes).toString(16).padStart(8, "0")}.${process.version}.${process.arch}.v8cache`);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}

globalThis.__exitlabImport = (specifier) => import(specifier);
const script = new Script(Module.wrap(source), { filename: file, cachedData });
const compiled = script.runInThisContext();
const workerModule = { exports: {} };
compiled.call(workerModule.exports, workerModule.exports, Module.createRequire(file), workerModule, file, __dirname);

// cli/bundle.mjs: after the command, write the cache (it then also holds the functions the run compiled).
if (process.env.EXITLAB_WRITE_CODE_CACHE === "1") {
  process.on("exit", () => {
    const temporary = `${cacheFile}.tmp-${process.pid}`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  });
}

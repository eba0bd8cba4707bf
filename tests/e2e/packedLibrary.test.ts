/**
 * exitlab as a user installs it: `npm pack`, the tarball installed into an empty project from
 * the npm registry, the README's library example (examples/library.ts) type-checked with
 * `tsc --strict` against the shipped declarations and run with node; its run folder must equal,
 * byte for byte, the one the installed CLI writes for the same config. One slow test: packing
 * and installing take ~20 s.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../cli/cliHarness.js";

/** The config of examples/library.ts, as the JSON file the CLI reads. */
const EXAMPLE_CONFIG = {
  exits: { kind: "static", stopLossPct: 0.03, takeProfitPct: 0.06 },
  sizing: { kind: "fixed-fraction", fraction: 0.1, leverage: 3 },
};

/** Packages whose install scripts only pick a prebuilt binary from an optional platform package of the registry. */
const REGISTRY_ONLY_INSTALL_SCRIPTS = ["node_modules/esbuild", "node_modules/msgpackr-extract"];

const folder = mkdtempSync(join(tmpdir(), "exitlab-packed-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The environment without the seed's variables (SPEC §9), so a developer's shell cannot change the run. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["RM_MAX_LEVERAGE", "RM_RISK_PER_TRADE_PCT", "MIN_CONFIDENCE_THRESHOLD", "TRADING_SYMBOLS"]) delete env[name];
  return env;
}

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: "utf8" });
  expect(result.status, `${command} ${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

describe("the packed package", () => {
  it("installs from the registry alone, type-checks the README example strictly and writes the CLI's run folder byte for byte", () => {
    // The dist/ that `npm test` has just compiled (a pack's own `prepare` would rebuild it under the other tests' feet).
    const tarball = join(folder, run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", folder], PROJECT_ROOT).trim().split("\n").pop() as string);
    const project = join(folder, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project);

    // No tensorflow, no danfo (an optional peer), and no install script that could fetch anything.
    const lock = JSON.parse(readFileSync(join(project, "node_modules", ".package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const installed = Object.keys(lock.packages);
    expect(installed.filter((path) => /@tensorflow|danfojs/.test(path))).toEqual([]);
    expect(installed.filter((path) => lock.packages[path].hasInstallScript === true).sort()).toEqual(REGISTRY_ONLY_INSTALL_SCRIPTS);

    // The example, compiled as a user's strict TypeScript against the shipped .d.ts (skipLibCheck off).
    copyFileSync(join(PROJECT_ROOT, "examples", "library.ts"), join(project, "library.ts"));
    const tsc = join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc");
    run(process.execPath, [
      tsc, "--strict", "--skipLibCheck", "false", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022",
      "--types", "node", "--typeRoots", join(PROJECT_ROOT, "node_modules", "@types"), "--outDir", "out", "library.ts",
    ], project);

    const libraryRun = join(project, "library");
    const cliRun = join(project, "cli");
    mkdirSync(libraryRun);
    mkdirSync(cliRun);
    const printed = run(process.execPath, [join(project, "out", "library.js")], libraryRun);
    expect(printed).toMatch(/^\d+ trades, return -?\d+\.\d\d %/);
    expect(printed).toContain("exitlab compare: static vs ai vs lsf");

    // The installed CLI's worker threads run their code-cached bundles (cli/workerLoader.cjs).
    const bundle = readdirSync(join(project, "node_modules", "exitlab", "dist", "bundle", "cli"));
    for (const name of ["worker", "sweepCell", "windowCell"]) {
      expect(bundle).toContain(`${name}Loader.cjs`);
      expect(bundle.filter((file) => file.startsWith(`${name}.cjs.`) && file.endsWith(".v8cache"))).toHaveLength(1);
    }

    writeFileSync(join(cliRun, "config.json"), JSON.stringify(EXAMPLE_CONFIG));
    run(process.execPath, [join(project, "node_modules", "exitlab", "bin", "exitlab.js"), "backtest", "--config", "config.json", "--quiet"], cliRun);

    const written = join(libraryRun, "runs", "backtest");
    const expected = join(cliRun, "runs", "backtest");
    const files = readdirSync(expected).sort();
    expect(files).toContain("summary.json");
    expect(readdirSync(written).sort()).toEqual(files);
    for (const name of files) expect(readFileSync(join(written, name)).equals(readFileSync(join(expected, name))), name).toBe(true);
    expect(existsSync(join(project, "node_modules", "exitlab", "data", "samples", "binance-perp-1h", "BTCUSDT.csv"))).toBe(true);
  }, 240_000);
});

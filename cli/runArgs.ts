import { DEFAULT_CACHE_DIR, type MarketDataCacheOptions } from "../data/index.js";
import type { RunConfig } from "../strategies/config.js";
import { loadConfiguredData, prepareRun, type PreparedRun } from "../workflows/backtest.js";
import { resolveConfig } from "../workflows/resolveConfig.js";
import { flagPatches } from "./backtestFlags.js";
import { useOutputThreadFor } from "./outputThreadLink.js";
import { phaseClock } from "./timings.js";

/** From parsed argv and the environment to what a run-based workflow takes. */

/** The run config from flags, `--config` file and environment (SPEC §9). */
export function configFromArgv(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): RunConfig {
  return resolveConfig({ env, configFile: typeof argv.config === "string" ? argv.config : null, flags: flagPatches(argv) });
}

/**
 * The columnar (Arrow) cache of parsed bars: on by default in `.exitlab-cache/`, keyed by the
 * source files' sha256, so it never changes a result — only how fast the data loads.
 */
export function cacheOf(argv: Record<string, unknown>): MarketDataCacheOptions | null {
  if (argv.cache === false) return null;
  return { dir: typeof argv["cache-dir"] === "string" ? argv["cache-dir"] : DEFAULT_CACHE_DIR };
}

/** Resolves the config (handed to `onConfig` at once), then loads the data and signal inputs. */
export async function prepareFromArgv(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, onConfig?: (config: RunConfig) => void): Promise<PreparedRun> {
  const config = phaseClock.time("config", () => configFromArgv(argv, env));
  onConfig?.(config);
  const data = await phaseClock.timeAsync("data load", () => loadConfiguredData(config, cacheOf(argv)));
  useOutputThreadFor(data.bars.reduce((bars, series) => bars + series.length, 0), env);
  return phaseClock.timeAsync("signal source load", () => prepareRun(config, { data }));
}

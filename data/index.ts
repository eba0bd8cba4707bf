/** The data layer's public entry points (SPEC §2). */

export {
  loadMarketData,
  loadMarketDataWithCacheReport,
  type MarketDataPaths,
  type MarketDataWithCacheReport,
} from "./loadMarketData.js";
export { DEFAULT_CACHE_DIR, type MarketDataCacheOptions } from "./cacheStore.js";
export type { CacheOutcome, CacheReport, CachedSourceOutcome } from "./loadCached.js";
export { loadBarFile, loadBarFiles, type LoadedBars } from "./loadBars.js";
export { loadFundingFile, loadFundingFiles, type LoadedFunding } from "./loadFunding.js";
export { inferSymbol } from "./inferSymbol.js";
export { measureSpacing, type SpacingSummary } from "./validateBars.js";
export {
  generateSynthBars,
  generateSynthMarket,
  SYNTH_REGIMES,
  type SynthBarsOptions,
  type SynthMarket,
  type SynthRegime,
} from "./synth.js";
export { formatBarsCsv, writeBarsCsv } from "./writeBarsCsv.js";

export { downloadBinance, planArchives, type BinanceDownloadRequest, type BinanceDownloadResult, type DownloadProgress } from "./downloadBinance.js";
export type { BinanceMarket } from "./archiveLayout.js";

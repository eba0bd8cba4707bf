import { basename, extname } from "node:path";

const QUOTE_SUFFIXES = ["USDT", "USDC", "BUSD", "USD", "BTC", "ETH", "EUR"] as const;

/**
 * The symbol a file name stands for: the first run of 3+ upper-case letters and digits that
 * ends in a quote currency (`binance_usdm_perp_BTCUSDT_1h.csv` → `BTCUSDT`,
 * `BTCUSDT-1h-2024-01.csv` → `BTCUSDT`), else the name without its extension.
 */
export function inferSymbol(filePath: string): string {
  const name = basename(filePath, extname(filePath));
  for (const run of name.match(/[A-Z0-9]{3,}/g) ?? []) {
    if (QUOTE_SUFFIXES.some((quote) => run.endsWith(quote))) return run;
  }
  return name;
}

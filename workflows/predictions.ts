import { dataWindowOf } from "../data/dataWindow.js";
import { loadMarketData } from "../data/index.js";
import type { MarketData } from "../engine/index.js";
import { formatNumber } from "../reports/csv.js";
import { buildSignals } from "../strategies/buildRun.js";
import type { RunConfig } from "../strategies/config.js";
import { loadSignalInputs } from "./backtest.js";
import { locateSample } from "./packageInfo.js";

const ACTION_NAMES: Record<number, string> = { 1: "BUY", [-1]: "SELL" };

export interface PredictionsExport {
  /** `timestamp,symbol,action,confidence,score,size_multiplier` rows, by time then symbol. */
  readonly csv: string;
  readonly rows: number;
  readonly symbols: number;
}

/**
 * The configured signal source's BUY/SELL signals as a predictions CSV, stamped with the open
 * time of the bar whose close emitted them — the same format a user's model exports, so
 * `--signals file.csv` replays them exactly.
 */
export async function exportPredictions(config: RunConfig, options: { readonly data?: MarketData } = {}): Promise<PredictionsExport> {
  const data = options.data ?? await loadMarketData({ paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding, window: dataWindowOf(config.data) });
  const signals = buildSignals(config, data, await loadSignalInputs(config, data));
  const rows: { time: number; line: string }[] = [];
  for (const series of data.bars) {
    const columns = signals.bySymbol.get(series.symbol);
    if (columns === undefined) continue;
    for (let i = 0; i < series.length; i++) {
      const action = columns.action[i];
      if (action === 0) continue;
      rows.push({
        time: series.time[i],
        line: [series.time[i], series.symbol, ACTION_NAMES[action], formatNumber(columns.confidence[i]), formatNumber(columns.score[i]), formatNumber(columns.sizeMultiplier[i])].join(","),
      });
    }
  }
  // By time, then symbol (stable sort keeps the symbol order of data.bars).
  rows.sort((a, b) => a.time - b.time);
  const csv = `timestamp,symbol,action,confidence,score,size_multiplier\n${rows.map((row) => row.line).join("\n")}\n`;
  return { csv, rows: rows.length, symbols: data.bars.length };
}

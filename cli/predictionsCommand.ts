import { loadMarketData } from "../data/index.js";
import { dataWindowOf } from "../data/dataWindow.js";
import { formatNumber } from "../reports/csv.js";
import { buildSignals } from "../strategies/buildRun.js";
import { loadSignalInputs, locateSample, writeTextAtomically } from "../workflows/backtest.js";
import { flagPatches } from "./backtestFlags.js";
import { resolveConfig } from "../workflows/resolveConfig.js";
import type { CliIo } from "./runCli.js";

const ACTION_NAMES: Record<number, string> = { 1: "BUY", [-1]: "SELL" };

/**
 * `exitlab data predictions`: writes the configured signal source's BUY/SELL signals as a
 * predictions CSV (`timestamp,symbol,action,confidence,score,size_multiplier`), stamped
 * with the open time of the bar whose close emitted them — the same format a user's model
 * exports, so `--signals file.csv` replays them exactly.
 */
export async function runPredictionsCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const config = resolveConfig({ env, configFile: typeof argv.config === "string" ? argv.config : null, flags: flagPatches(argv) });
  const data = await loadMarketData({ paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding, window: dataWindowOf(config.data) });
  const signals = buildSignals(config, data, await loadSignalInputs(config));
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
  const text = `timestamp,symbol,action,confidence,score,size_multiplier\n${rows.map((row) => row.line).join("\n")}\n`;
  const out = String(argv.out);
  writeTextAtomically(out, text);
  io.out(`wrote ${out} (${rows.length} predictions from ${config.signals.kind} over ${data.bars.length} symbols)\n`);
}

import { loadMarketData } from "../data/index.js";
import { dataWindowOf } from "../data/dataWindow.js";
import { formatIsoTime } from "../reports/csv.js";
import { buildSignals } from "../strategies/buildRun.js";
import { checkLookahead } from "../strategies/signals/lookahead.js";
import { loadSignalInputs, locateSample } from "../workflows/backtest.js";
import { flagPatches } from "./backtestFlags.js";
import { resolveConfig } from "../workflows/resolveConfig.js";
import type { CliIo } from "./runCli.js";
import { ConfigError } from "../engine/index.js";
import { predictionTiming, type PredictionTimingReport } from "../strategies/signals/predictionTiming.js";

/** How many violations are listed per symbol (all are counted). */
const LISTED = 5;

/**
 * `exitlab lookahead`: re-runs the configured signal source on the data truncated at many
 * points and reports every signal that changes when later bars are added (SPEC §1 step 6).
 * Exit code 0 when none changed, 1 when the source looked ahead.
 */
export async function runLookaheadCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const config = resolveConfig({ env, configFile: typeof argv.config === "string" ? argv.config : null, flags: flagPatches(argv) });
  const data = await loadMarketData({ paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding, window: dataWindowOf(config.data) });
  const inputs = await loadSignalInputs(config);
  if (config.signals.kind === "predictions" && inputs.predictions !== undefined) {
    io.out(formatPredictionTiming(config.signals.file, predictionTiming(inputs.predictions, data.bars, config.signals.symbolMap)));
    return 0;
  }
  const asked = argv.cuts === undefined ? null : Number(argv.cuts);
  if (asked !== null && !(Number.isInteger(asked) && asked >= 1)) throw new ConfigError(`${argv.cuts} is not a whole number ≥ 1`, "--cuts");
  let leaks = 0;
  const lines = [`exitlab lookahead — signals ${config.signals.kind}, ${asked === null ? "every bar a cut point" : `${asked} cut points per symbol (seed ${config.seed})`}`];
  for (const series of data.bars) {
    // A cut after every bar but the last: more cut points than that would repeat them.
    const candidates = Math.max(series.length - 1, 0);
    const cuts = asked === null ? Math.max(candidates, 1) : Math.min(asked, Math.max(candidates, 1));
    const compute = (view: typeof series) => {
      const signals = buildSignals(config, { bars: [view], funding: new Map(), fingerprint: [] }, inputs);
      return signals.bySymbol.get(view.symbol) as NonNullable<ReturnType<typeof signals.bySymbol.get>>;
    };
    const report = checkLookahead(compute, series, { cuts, seed: config.seed });
    leaks += report.violationCount;
    const capped = asked !== null && asked > candidates ? ` (--cuts ${asked} capped at the ${candidates} bars that can be cut)` : "";
    lines.push(`  ${series.symbol}: ${report.cutsChecked} of ${candidates} bars checked as cut points${capped}, ${report.violationCount === 0 ? "no look-ahead found" : `${report.violationCount} signal values changed when later bars were added`}`);
    for (const violation of report.violations.slice(0, LISTED)) {
      lines.push(`    bar ${violation.barIndex} (${formatIsoTime(violation.timeMs)}) ${violation.field}: ${violation.full} with all bars, ${violation.truncated} with bars up to ${violation.cutIndex}`);
    }
  }
  lines.push(leaks === 0 ? "verdict: no signal changed when future bars were added" : "verdict: LOOK-AHEAD — the signal source reads bars after the decision bar");
  io.out(`${lines.join("\n")}\n`);
  return leaks === 0 ? 0 : 1;
}

const HOUR_MS = 3_600_000;
const hours = (ms: number): string => `${(ms / HOUR_MS).toFixed(2)} h`;

/** A predictions file's report: why it cannot be cut, and the timing check that can be made. */
function formatPredictionTiming(file: string, report: PredictionTimingReport): string {
  const lead = report.leadMs;
  return [
    `exitlab lookahead — ${file} is a predictions file: its rows are fixed, so cutting bars cannot show look-ahead (it would pass by construction)`,
    "checked instead: when each prediction is stamped relative to the bar it acts on (it acts at the close of the bar whose open ≤ timestamp < close)",
    `  ${report.mapped} of ${report.predictions} predictions act on a bar; ${report.beforeData} are stamped before their symbol's first bar`,
    lead === null ? "  no prediction acts on a bar" : `  timestamp to the close it acts at: min ${hours(lead.min)}, median ${hours(lead.median)}, max ${hours(lead.max)}; ${report.atOpen} stamped exactly at their bar's open`,
    "verdict: NOT CHECKED for look-ahead — make sure each prediction used only data up to its timestamp (your model's side); exitlab acts on it no earlier than that bar's close",
  ].join("\n") + "\n";
}

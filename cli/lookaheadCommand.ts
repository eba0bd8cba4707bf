import { loadMarketData } from "../data/index.js";
import { formatIsoTime } from "../reports/csv.js";
import { buildSignals } from "../strategies/buildRun.js";
import { checkLookahead } from "../strategies/signals/lookahead.js";
import { loadSignalInputs, locateSample } from "./backtestCommand.js";
import { flagPatches } from "./backtestFlags.js";
import { resolveConfig } from "./resolveConfig.js";
import type { CliIo } from "./runCli.js";

/** How many violations are listed per symbol (all are counted). */
const LISTED = 5;

/**
 * `exitlab lookahead`: re-runs the configured signal source on the data truncated at many
 * points and reports every signal that changes when later bars are added (SPEC §1 step 6).
 * Exit code 0 when none changed, 1 when the source looked ahead.
 */
export async function runLookaheadCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const config = resolveConfig({ env, configFile: typeof argv.config === "string" ? argv.config : null, flags: flagPatches(argv) });
  const data = await loadMarketData({ paths: config.data.paths.map(locateSample), fundingPaths: config.data.funding });
  const inputs = await loadSignalInputs(config);
  const cuts = Number(argv.cuts);
  let leaks = 0;
  const lines = [`exitlab lookahead — signals ${config.signals.kind}, ${cuts} cut points per symbol (seed ${config.seed})`];
  for (const series of data.bars) {
    const compute = (view: typeof series) => {
      const signals = buildSignals(config, { bars: [view], funding: new Map(), fingerprint: [] }, inputs);
      return signals.bySymbol.get(view.symbol) as NonNullable<ReturnType<typeof signals.bySymbol.get>>;
    };
    const report = checkLookahead(compute, series, { cuts, seed: config.seed });
    leaks += report.violationCount;
    lines.push(`  ${series.symbol}: ${report.cutsChecked} cuts, ${report.violationCount === 0 ? "no look-ahead found" : `${report.violationCount} signal values changed when later bars were added`}`);
    for (const violation of report.violations.slice(0, LISTED)) {
      lines.push(`    bar ${violation.barIndex} (${formatIsoTime(violation.timeMs)}) ${violation.field}: ${violation.full} with all bars, ${violation.truncated} with bars up to ${violation.cutIndex}`);
    }
  }
  lines.push(leaks === 0 ? "verdict: no signal changed when future bars were added" : "verdict: LOOK-AHEAD — the signal source reads bars after the decision bar");
  io.out(`${lines.join("\n")}\n`);
  return leaks === 0 ? 0 : 1;
}

import { ConfigError } from "../engine/index.js";
import type { MonteCarloMethod, MonteCarloResult } from "../reports/montecarlo.js";
import { MONTE_CARLO_PAGE, monteCarloOfRun } from "../workflows/montecarlo.js";
import type { CliIo } from "./cliIo.js";

/** `exitlab montecarlo`: checks the flags, runs workflows/montecarlo.ts, prints the quantiles. */
export async function runMonteCarloCommand(argv: Record<string, unknown>, io: CliIo): Promise<number> {
  const simulations = Number(argv.n);
  if (!Number.isInteger(simulations) || simulations < 1 || simulations > 10_000_000) throw new ConfigError(`"${String(argv.n)}" is not a whole number from 1 to 10 000 000`, "--n");
  const seed = Number(argv.seed);
  if (!Number.isInteger(seed)) throw new ConfigError(`"${String(argv.seed)}" is not a whole number`, "--seed");
  const ruin = Number(argv.ruin);
  if (!(ruin > 0 && ruin <= 1)) throw new ConfigError(`"${String(argv.ruin)}" is not a fraction in (0, 1]`, "--ruin");
  const blockLength = argv["block-length"] === undefined ? undefined : Number(argv["block-length"]);
  if (blockLength !== undefined && !(Number.isInteger(blockLength) && blockLength >= 1)) throw new ConfigError(`"${String(argv["block-length"])}" is not a whole number of days ≥ 1`, "--block-length");
  const result = monteCarloOfRun({
    run: String(argv.run), method: argv.method as MonteCarloMethod, simulations, seed, ruinDrawdown: ruin, ...(blockLength === undefined ? {} : { blockLength }),
  });
  if (argv.quiet !== true) io.out(`${formatMonteCarlo(result)}written to ${result.file} and ${MONTE_CARLO_PAGE} (fan chart, histograms)\n`);
  return 0;
}

function formatMonteCarlo(result: MonteCarloResult): string {
  const keys = ["p1", "p5", "p25", "p50", "p75", "p95", "p99"];
  const row = (label: string, values: Readonly<Record<string, number>>, actual: number, format: (x: number) => string): string =>
    [label.padEnd(24), format(actual).padStart(12), ...keys.map((key) => format(values[key]).padStart(12))].join("");
  const usd = (x: number): string => x.toFixed(2);
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  const count = (x: number): string => x.toFixed(0);
  return [
    `montecarlo: ${result.simulations} ${result.method} paths of ${result.steps} ${result.unit}${result.blockLength === null ? "" : ` in blocks of ${result.blockLength}`} from ${result.initialBalance} USDT (seed ${result.seed})`,
    ["".padEnd(24), "actual".padStart(12), ...keys.map((key) => key.padStart(12))].join(""),
    row("final equity (USDT)", result.quantiles.finalEquity, result.actual.finalEquity, usd),
    row("max drawdown", result.quantiles.maxDrawdownPct, result.actual.maxDrawdownPct, pct),
    row(`longest drawdown (${result.unit})`, result.quantiles.longestDrawdownTrades, result.actual.longestDrawdownTrades, count),
    `probability of ruin (drawdown ≥ ${pct(result.ruinDrawdown)}): ${result.probabilityOfRuin}; of ending below the initial balance: ${result.probabilityOfLoss}`,
  ].join("\n") + "\n";
}

import { ConfigError } from "../../engine/index.js";
import { threadCountOf } from "../../workflows/sweep/cellPool.js";
import { DEFAULT_PBO_PARTITIONS, formatOverfittingLine } from "../../workflows/sweep/overfitting.js";
import { DEFAULT_MAX_CELLS, runSweep } from "../../workflows/sweep/sweep.js";
import { formatWarningLine } from "../../strategies/warnings/runWarning.js";
import { loadSweepFile, type SweepOverrides } from "../../workflows/sweep/sweepFile.js";
import { formatSweepTerminal } from "../../workflows/sweep/sweepTable.js";
import type { CliIo } from "../cliIo.js";
import { cacheOf, configFromArgv } from "../runArgs.js";
import { processPathsOf } from "../outputSafety.js";
import { markWritten } from "../runPhase.js";
import { phaseClock } from "../timings.js";

/**
 * `exitlab sweep` (workflows/sweep/sweep.ts, SPEC §8): progress lines on stderr, the ranked
 * table on stdout. Returns the exit code: 0, or 1 when a cell failed.
 */
export async function runSweepCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const spec = loadSweepFile(String(argv.grid), sweepOverridesOf(argv));
  const threads = threadCountOf(argv.workers);
  const top = topOf(argv.top);
  const quiet = argv.quiet === true;
  const outcome = await runSweep({
    spec, gridLabel: String(argv.grid), config: configFromArgv(argv, env), out: String(argv.out), threads,
    ...(argv.queue === undefined ? {} : { queue: argv.queue as string, sweepId: argv["sweep-id"] as string }),
    pboPartitions: pboPartitionsOf(argv["pbo-partitions"]),
    resume: argv.resume !== false, force: argv.force === true, cache: cacheOf(argv),
    protectedPaths: processPathsOf(argv), maxCells: maxCellsOf(argv["max-cells"]),
    log: (line) => void (quiet ? undefined : io.err(`${line}\n`)),
    onWarning: (warning) => io.err(formatWarningLine(warning)),
    clock: phaseClock,
  });
  markWritten(outcome.out);
  const warned = outcome.warnings.length === 0 ? "" : `${outcome.warnings.length} warning${outcome.warnings.length === 1 ? "" : "s"} (on stderr and in sweep.json)\n`;
  if (!quiet) io.out(`${formatSweepTerminal(outcome.rows, spec, top)}${formatOverfittingLine(outcome.overfitting)}\n${warned}written to ${outcome.out}/ (sweep.csv, sweep.json, sweep.html, cells.jsonl)\n`);
  return outcome.rows.some((row) => row.status === "failed") ? 1 : 0;
}

/** The flags that override sweep-file keys (undefined when not given: the file's key or its default applies). */
export function sweepOverridesOf(argv: Record<string, unknown>): SweepOverrides {
  const pick = <T>(flag: string): T | undefined => (argv[flag] === undefined ? undefined : argv[flag] as T);
  const overrides = {
    search: pick<string>("search"), trials: pick<number>("trials"), batch: pick<number>("batch"),
    metric: pick<string>("rank-by"), minTrades: pick<number>("min-trades"),
  };
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}

function pboPartitionsOf(value: unknown): number {
  const partitions = Number(value ?? DEFAULT_PBO_PARTITIONS);
  if (!Number.isInteger(partitions) || partitions < 2 || partitions % 2 !== 0 || partitions > 24) throw new ConfigError(`"${String(value)}" is not an even whole number from 2 to 24`, "--pbo-partitions");
  return partitions;
}

function maxCellsOf(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CELLS;
  const cells = Number(value);
  if (!Number.isInteger(cells) || cells < 1) throw new ConfigError(`"${String(value)}" is not a whole number ≥ 1`, "--max-cells");
  return cells;
}

function topOf(value: unknown): number {
  const top = Number(value ?? 20);
  if (!Number.isInteger(top) || top < 0) throw new ConfigError(`"${String(value)}" is not a whole number ≥ 0`, "--top");
  return top;
}

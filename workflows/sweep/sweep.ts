import { rmSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../engine/index.js";
import type { RunConfig } from "../../strategies/config.js";
import { prepareRun, writeTextAtomically } from "../backtest.js";
import { runPhase } from "../../cli/runPhase.js";
import type { CliIo } from "../../cli/runCli.js";
import { openCellLog, type CellRecord, type SweepIdentity } from "./cellLog.js";
import { createCellPool, threadCountOf, type CellPool } from "./cellPool.js";
import type { CellOutcome } from "./cellRunner.js";
import { assertSomeCellValid, canonicalJson, expandGrid, gridHashOf, gridSizeOf, sha256Hex, type ReadyCell } from "./grid.js";
import { runCellsLocally } from "./localSweep.js";
import { connectionOf, probeRedis, queueNameOf } from "./queueProtocol.js";
import { withAbsolutePaths } from "./portableConfig.js";
import { dataHashOf, shareMarketData } from "./sharedData.js";
import { loadSweepFile, type SweepSpec } from "./sweepFile.js";
import { formatSweepCsv, formatSweepJson, formatSweepTerminal, rankCells } from "./sweepTable.js";

/** The ranked tables, written when every cell has finished. */
const TABLE_FILES = ["sweep.csv", "sweep.json"] as const;

/**
 * `exitlab sweep`: a parameter grid over one base config and one data set (SPEC §8). The
 * base config is resolved as `backtest` resolves it; the data is loaded once. Cells run on
 * this machine's cores, or on `exitlab worker`s through a BullMQ queue (`--queue`); either
 * way each finished cell is journaled at once and the ranked table is written at the end.
 * Returns the exit code: 0, or 1 when a cell failed.
 */
export async function runSweepCommand(argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const spec = loadSweepFile(String(argv.grid));
  const threads = threadCountOf(argv.workers);
  const top = topOf(argv.top);
  const queued = argv.queue !== undefined;
  if (queued) {
    // Before loading anything or touching --out: a wrong address or sweep id fails at once.
    queueNameOf(argv["sweep-id"]);
    await probeRedis(connectionOf(argv.queue), "--queue");
  }
  // A local sweep starts its worker threads first: each loads the engine (~0.2 s) while this
  // thread loads the data, instead of after it.
  const pool = queued ? null : createCellPool(Math.min(threads, Math.max(1, gridSizeOf(spec.grid))));
  try {
    return await sweepWith(pool, spec, top, argv, env, io);
  } finally {
    await pool?.close();
  }
}

/** The sweep once its pool is up: `pool` null means the cells go to a queue. */
async function sweepWith(
  pool: CellPool | null, spec: SweepSpec, top: number, argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo,
): Promise<number> {
  const queued = pool === null;
  const quiet = argv.quiet === true;
  const out = String(argv.out);
  const prepared = await prepareRun(argv, env);
  // Workers on other machines load the data themselves: they get absolute paths.
  const cells = expandGrid(queued ? withAbsolutePaths(prepared.config) : prepared.config, spec.grid);
  assertSomeCellValid(cells, String(argv.grid));
  const dataHash = dataHashOf(prepared.data);
  const identity: SweepIdentity = { gridHash: gridHashOf(cells), baseHash: baseHashOf(prepared.config, dataHash), cellCount: cells.length };
  const log = openCellLog(out, identity, { resume: argv.resume !== false, force: argv.force === true });
  // Tables of a discarded run must not outlive it (a stopped sweep writes none).
  if (log.opening !== "resumed") for (const name of TABLE_FILES) rmSync(join(out, name), { force: true });

  const outcomes = new Map<string, CellOutcome>([...log.finished.values()].map((record) => [record.cellId, record.outcome]));
  const pending = cells.filter((cell): cell is ReadyCell => cell.status === "ready" && !outcomes.has(cell.cellId));
  const skipped = cells.filter((cell) => cell.status === "skipped").length;
  const progress = (line: string): void => void (quiet ? undefined : io.err(`${line}\n`));
  if (log.opening === "replaced") progress(`sweep: discarded the cells of another sweep in ${log.path} (--force)`);
  const used = Math.min(pool?.threads ?? 0, Math.max(pending.length, 1));
  progress(`sweep: ${cells.length} cells (${skipped} skipped as invalid, ${outcomes.size} already done); `
    + `running ${pending.length} ${queued ? "on the queue's workers" : `on ${used} worker thread${used === 1 ? "" : "s"}`}`);
  let finishedCount = 0;
  const onFinished = (record: CellRecord): void => {
    log.append(record);
    outcomes.set(record.cellId, record.outcome);
    finishedCount += 1;
    progress(`  [${finishedCount}/${pending.length}] cell ${record.cellId} ${record.outcome.status} in ${record.elapsedMs} ms (${record.ranBy})`);
  };

  if (queued) {
    // Loaded only for --queue: bullmq adds ~0.15 s to every start-up.
    const { runCellsOnQueue } = await import("./queueSweep.js");
    await runCellsOnQueue({
      queue: argv.queue, sweepId: argv["sweep-id"], sweepHash: sha256Hex(`${identity.gridHash}\n${identity.baseHash}`), dataHash,
      cells: pending, force: argv.force === true, onFinished,
      onWaiting: (name) => progress(`sweep: ${pending.length} cells on queue ${name}; start workers with: exitlab worker --queue ${String(argv.queue)}${argv["sweep-id"] === undefined ? "" : ` --sweep-id ${String(argv["sweep-id"])}`}`),
    });
  } else {
    await runCellsLocally(pending, shareMarketData(prepared.data), pool, onFinished);
  }

  const rows = rankCells(cells, outcomes, spec);
  writeTextAtomically(join(out, TABLE_FILES[0]), formatSweepCsv(rows, spec));
  writeTextAtomically(join(out, TABLE_FILES[1]), formatSweepJson(rows, spec, identity));
  runPhase.outputWritten = true;
  runPhase.outputDir = out;
  if (!quiet) io.out(`${formatSweepTerminal(rows, spec, top)}written to ${out}/ (sweep.csv, sweep.json, cells.jsonl)\n`);
  return rows.some((row) => row.status === "failed") ? 1 : 0;
}

/**
 * The base config's identity: every setting but where the data lies and where output goes,
 * plus the data's content. A resumed sweep must match it, so moving the data folder keeps the
 * finished cells while changing a setting or a byte of data does not.
 */
export function baseHashOf(config: RunConfig, dataHash: string): string {
  const { data: _data, output: _output, ...settings } = config;
  return sha256Hex(canonicalJson({ settings, dataHash }));
}

function topOf(value: unknown): number {
  const top = Number(value ?? 20);
  if (!Number.isInteger(top) || top < 0) throw new ConfigError(`"${String(value)}" is not a whole number ≥ 0`, "--top");
  return top;
}

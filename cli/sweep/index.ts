import { ConfigError } from "../../engine/index.js";
import { DEFAULT_SWEEP_ID } from "../../workflows/sweep/queueProtocol.js";
import { CONFIG_FLAGS } from "../backtestFlags.js";
import type { CommandRow } from "../commandRow.js";

/** The `sweep` and `worker` rows of the command table (see workflows/sweep/SWEEP.md). */

const QUEUE_OPTION = { type: "string", describe: "Redis URL of the BullMQ job queue: redis://host:port[/db] (rediss:// for TLS)" } as const;
const SWEEP_ID_OPTION = { type: "string", default: DEFAULT_SWEEP_ID, describe: "Names the queue (exitlab-sweep-<id>); the sweep and its workers must agree" } as const;
const WORKERS_OPTION = { type: "number", describe: "Cells run at once (worker threads); default: one per core, and never more (more is capped with a warning)" } as const;
const CACHE_OPTION = { type: "boolean", default: true, describe: "Load the bars through the columnar (Arrow) cache keyed by the files' sha256; --no-cache to parse every time" } as const;
const CACHE_DIR_OPTION = { type: "string", default: ".exitlab-cache", describe: "Cache folder" } as const;

export const SWEEP_COMMANDS: readonly CommandRow[] = [
  {
    name: "sweep",
    describe: "Run a parameter grid over one base config and data set, in parallel on all cores or on `exitlab worker`s through a Redis queue; rank the cells by a metric (sweep.csv, sweep.json, sweep.html, cells.jsonl)",
    options: (command) =>
      command
        .option("grid", { type: "string", demandOption: true, describe: "Sweep file: { \"grid\": { \"exits.stopLossPct\": [0.02, 0.03] }, \"metric\": \"sharpeRatio\", \"direction\": \"max\" }" })
        .option("config", { type: "string", describe: "JSON config file: the base config of every cell (see README: configuration)" })
        .options(Object.fromEntries(Object.entries(CONFIG_FLAGS).map(([flag, spec]) => [flag, spec.option])))
        .default("out", "runs/sweep")
        .option("workers", WORKERS_OPTION)
        .option("resume", { type: "boolean", default: true, describe: "Keep the finished cells of the same sweep in --out (--no-resume runs them all again)" })
        .option("queue", QUEUE_OPTION)
        .option("sweep-id", SWEEP_ID_OPTION)
        .option("search", { type: "string", choices: ["grid", "random", "tpe"], describe: "grid: every cell (ranges need a step); random: --trials cells drawn uniformly; tpe: --trials cells proposed by a tree-structured Parzen estimator. Default: the sweep file's \"search\", else grid. Seeded by --seed" })
        .option("trials", { type: "number", describe: "Cells a random or tpe search runs (default: the sweep file's \"trials\")" })
        .option("batch", { type: "number", describe: "tpe: cells proposed per round from the same results (default 4; the same on any number of workers)" })
        .option("rank-by", { type: "string", describe: "Rank by this run metric (any scalar summary field, e.g. calmarRatio); default: the sweep file's \"metric\", else sharpeRatio" })
        .option("min-trades", { type: "number", describe: "Done cells with fewer trades are listed but not ranked (default: the sweep file's \"minTrades\", else 30)" })
        .option("pbo-partitions", { type: "number", describe: "CSCV blocks S of the probability of backtest overfitting (even, 2–24; C(S, S/2) splits); default 16" })
        .option("top", { type: "number", default: 20, describe: "Rows of the ranked table printed (all are in sweep.csv)" })
        .option("max-cells", { type: "number", describe: "The most cells the sweep may run (a grid's size, a search's trials); a larger sweep is an error. Default 10000" })
        .option("force", { type: "boolean", default: false, describe: "Start afresh: discard the finished cells in --out (of this sweep or another) and the queue's jobs; write into a folder exitlab did not write (its other files are kept; a file of the sweep's names is replaced)" })
        .option("quiet", { type: "boolean", default: false, describe: "Print nothing on success" })
        .option("cache", CACHE_OPTION)
        .option("cache-dir", CACHE_DIR_OPTION),
    examples: [
      ["$0 sweep --grid sweep.json --data data/synth", "the grid on all cores, results in runs/sweep/"],
      ["$0 sweep --grid sweep.json --queue redis://10.0.0.5:6379", "the grid on `exitlab worker`s anywhere"],
      ["$0 sweep --grid sweep.json --search tpe --trials 60 --seed 7 --rank-by calmarRatio", "60 cells chosen by TPE, ranked by Calmar"],
    ],
    run: async (argv, env, io) => (await import("./sweepCommand.js")).runSweepCommand(argv, env, io),
  },
  {
    name: "worker",
    describe: "Run sweep and walk-forward cells from a Redis queue on this machine's cores until stopped (or, with --exit-when-drained, until the queue is empty); the data must be at the same paths as on the sweep's machine",
    options: (command) =>
      command
        .option("queue", { ...QUEUE_OPTION, demandOption: true })
        .option("sweep-id", SWEEP_ID_OPTION)
        .option("workers", WORKERS_OPTION)
        .option("exit-when-drained", { type: "boolean", default: false, describe: "Stop once the queue has no waiting, active or delayed job left" })
        .option("lock-duration", { type: "number", default: 30_000, describe: "ms a cell's lock lasts without renewal: how soon a dead worker's cell is retried elsewhere" })
        .option("stalled-interval", { type: "number", default: 30_000, describe: "ms between this worker's checks for cells of dead workers" })
        .option("cache", CACHE_OPTION)
        .option("cache-dir", CACHE_DIR_OPTION),
    examples: [["$0 worker --queue redis://10.0.0.5:6379", "serve sweeps on every core until stopped"]],
    run: async (argv, _env, io) => {
      // bullmq is loaded only by the commands that use a queue: it adds ~0.15 s to every start-up.
      const [{ runQueueWorker }, { capThreadsToCores, threadCountOf }, { cacheOf }] = await Promise.all([
        import("../../workflows/sweep/queueWorker.js"), import("../../workflows/sweep/cellPool.js"), import("../runArgs.js"),
      ]);
      const { threads, warning } = capThreadsToCores(threadCountOf(argv.workers));
      if (warning !== null) io.err(`exitlab: warning: ${warning.message}\n`);
      await runQueueWorker({
        queue: argv.queue, sweepId: argv["sweep-id"], threads,
        lockDurationMs: millisecondsOf(argv["lock-duration"], "--lock-duration"),
        stalledIntervalMs: millisecondsOf(argv["stalled-interval"], "--stalled-interval"),
        exitWhenDrained: argv["exit-when-drained"] === true, cache: cacheOf(argv),
        log: (line) => io.out(`${line}\n`),
      });
      return 0;
    },
  },
];

function millisecondsOf(value: unknown, flag: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100) throw new ConfigError(`"${String(value)}" is not a whole number of ms ≥ 100`, flag);
  return ms;
}

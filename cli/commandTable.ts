import type { Argv } from "yargs";
import { EXIT_KINDS } from "../strategies/exits/exitConfig.js";
import { CONFIG_FLAGS } from "./backtestFlags.js";
import { BINANCE_COMMAND } from "./binanceCommand.js";
import type { CommandRow } from "./commandRow.js";
import { SWEEP_COMMANDS } from "./sweep/index.js";

/**
 * Every exitlab command in one table. A row holds what `--help` needs (name, description,
 * flags, examples) and a `run` that imports its command module only when the command runs, so
 * `exitlab --help` loads no workflow and `exitlab backtest` none of the other commands' code.
 * To add a command, add a row (under `parent` for a `data …` subcommand).
 */

/** Groups of subcommands: name, description, and the message when no subcommand is named. */
export const COMMAND_GROUPS: ReadonlyArray<{ readonly name: string; readonly describe: string; readonly demand: string }> = [
  { name: "data", describe: "Data tools", demand: "name a data command: synth, predictions or binance" },
];

/** The options every run-based command shares: the config file, every config flag, --force, --quiet, the cache. */
export function withRunOptions(command: Argv): Argv {
  return command
    .option("config", { type: "string", describe: "JSON config file (see README: configuration)" })
    .options(Object.fromEntries(Object.entries(CONFIG_FLAGS).map(([flag, spec]) => [flag, spec.option])))
    .option("force", { type: "boolean", default: false, describe: "Write into an --out folder that is not an exitlab run, and replace files of the same names that exitlab did not write (--out, --rl-save, --junit, --markdown); other files are always kept" })
    .option("quiet", { type: "boolean", default: false, describe: "Print nothing on success" })
    .option("cache", { type: "boolean", default: true, describe: "Keep parsed bars in a columnar (Arrow) cache keyed by the files' sha256; --no-cache to parse every time" })
    .option("cache-dir", { type: "string", default: ".exitlab-cache", describe: "Cache folder" });
}

export const COMMANDS: readonly CommandRow[] = [
  {
    name: "backtest",
    describe: "Replay bars through signals, sizing and exits into the paper exchange; write summary.json, equity.csv, trades.csv, fills.csv, exit_stats.csv, positions.json, report.html",
    options: withRunOptions,
    examples: [
      ["$0 backtest", "run the shipped sample (Binance USD-M BTCUSDT + ETHUSDT 1h, funding)"],
      ["$0 backtest --exit ai --sizing math", "confidence-tier exits, mathematician sizing"],
      ["$0 backtest --data data/samples/binance-spot-1h --market spot --out runs/spot", "the spot pair with 1m detail, long only"],
      ["$0 backtest --signals preds.csv --sl 0.02 --tp off --intrabar pessimistic", "your model's predictions"],
    ],
    run: async (argv, env, io) => (await import("./backtestCommand.js")).runBacktestCommand(argv, env, io),
  },
  {
    name: "compare",
    describe: "Run several exit plans on the same data, signals, gates and sizing (and under the pessimistic and optimistic paths); paired per-trade differences with a bootstrap interval",
    options: (command) =>
      withRunOptions(command)
        .option("plans", { type: "string", default: "static,ai,lsf", describe: `Exit plans, the first is the baseline (${EXIT_KINDS.join(", ")})` })
        .option("paths", { type: "string", default: "default,pessimistic,optimistic", describe: "Intrabar paths to run every plan under" })
        .option("resamples", { type: "number", default: 10_000, describe: "Bootstrap resamples" })
        .default("out", "runs/compare"),
    examples: [["$0 compare", "static vs ai vs lsf on the shipped sample"]],
    run: async (argv, env, io) => (await import("./workflowCommands.js")).runCompareCommand(argv, env, io),
  },
  {
    name: "tiers",
    describe: "Backtest, then metrics per confidence tier with a calibration verdict (is win rate monotone in confidence?)",
    options: (command) =>
      withRunOptions(command)
        .option("min-trades", { type: "number", default: 10, describe: "Trades a tier needs to be judged in the calibration" })
        .default("out", "runs/tiers"),
    examples: [["$0 tiers --signals data/samples/predictions/binance-perp-1h-macd-cross.csv --exit ai --min-confidence 0", "tiers of the sample predictions"]],
    run: async (argv, env, io) => (await import("./workflowCommands.js")).runTiersCommand(argv, env, io),
  },
  {
    name: "regress",
    describe: "Backtest and compare metrics and the trade fingerprint with a committed baseline; exit 1 on a regression",
    options: (command) =>
      withRunOptions(command)
        .option("baseline", { type: "string", demandOption: true, describe: "Baseline JSON (written by --update)" })
        .option("update", { type: "boolean", default: false, describe: "Rewrite the baseline from this run (keeps its tolerances)" })
        .option("junit", { type: "string", describe: "Also write JUnit XML here" })
        .option("markdown", { type: "string", describe: "Also write a Markdown diff here" })
        .option("ignore-fingerprint", { type: "boolean", default: false, describe: "Do not fail on a changed trade list" })
        .option("check-anyway", { type: "boolean", default: false, describe: "Compare metrics even when the run's config or data differs from the baseline's" }),
    examples: [["$0 regress --baseline .ci/baselines/perp-static.json", "the CI gate on the shipped sample"]],
    run: async (argv, env, io) => (await import("./workflowCommands.js")).runRegressCommand(argv, env, io),
  },
  {
    name: "lookahead",
    describe: "Check a signal source for look-ahead: re-run it on data truncated at many points and report any signal that changes when later bars are added (exit 1 if one does)",
    options: (command) =>
      command
        .option("config", { type: "string", describe: "JSON config file (its data and signals sections are used)" })
        .option("data", CONFIG_FLAGS.data.option)
        .option("informative", CONFIG_FLAGS.informative.option)
        .option("signals", CONFIG_FLAGS.signals.option)
        .option("param", CONFIG_FLAGS.param.option)
        .option("seed", CONFIG_FLAGS.seed.option)
        .option("cuts", { type: "number", describe: "Cut points per symbol (half evenly spread, half seeded random); default every bar, at most the bar count" }),
    examples: [["$0 lookahead --signals my_strategy.mjs", "check your own strategy module on the shipped sample"]],
    run: async (argv, env, io) => (await import("./lookaheadCommand.js")).runLookaheadCommand(argv, env, io),
  },
  ...SWEEP_COMMANDS,
  {
    name: "walkforward",
    describe: "Walk-forward: per window, search the sweep file's space on the training part, run the in-sample best cell on the following test part; stitch the test parts into one run folder (walkforward.csv, walkforward.json, summary.json, equity.csv, trades.csv, …) with the walk-forward efficiency and each window's PBO and deflated Sharpe",
    options: (command) =>
      withRunOptions(command)
        .option("grid", { type: "string", demandOption: true, describe: "Sweep file: the search space and the ranking metric (as exitlab sweep reads it)" })
        .option("train", { type: "string", demandOption: true, describe: "In-sample length of each window: 90d, 12h, 2w or 500bars" })
        .option("test", { type: "string", demandOption: true, describe: "Out-of-sample length of each window (same units)" })
        .option("step", { type: "string", describe: "How far each window moves on (≥ --test); default --test" })
        .option("anchored", { type: "boolean", default: false, describe: "Every training part starts at the data's first bar and grows by a step (default: rolling, fixed length)" })
        .option("warmup", { type: "string", default: "all", describe: "History before each part that indicators see but no decision is taken in: all (every earlier bar) or a length (30d, 500bars)" })
        .option("workers", { type: "number", describe: "Worker threads (the in-sample cells of all windows share them); default one per core" })
        .option("queue", { type: "string", describe: "Run the in-sample cells as jobs on this Redis queue (redis://host:port[/db]) for `exitlab worker`s instead of local threads" })
        .option("sweep-id", { type: "string", default: "default", describe: "Names the queue (exitlab-sweep-<id>); the walk-forward and its workers must agree" })
        .option("search", { type: "string", choices: ["grid", "random", "tpe"], describe: "In-sample search per window (default: the sweep file's \"search\", else grid); seeded by --seed" })
        .option("trials", { type: "number", describe: "Cells a random or tpe search runs per window" })
        .option("batch", { type: "number", describe: "tpe: cells proposed per round (default 4)" })
        .option("rank-by", { type: "string", describe: "In-sample ranking metric (default: the sweep file's \"metric\", else sharpeRatio)" })
        .option("min-trades", { type: "number", describe: "In-sample cells with fewer trades are not ranked (default: the sweep file's \"minTrades\", else 30)" })
        .option("pbo-partitions", { type: "number", describe: "CSCV blocks of each window's PBO (even, 2–24); default 16" })
        .option("baseline", { type: "string", describe: "Also gate the stitched out-of-sample run against this regress baseline (exit 1 on a regression); --update writes it" })
        .option("update", { type: "boolean", default: false, describe: "With --baseline: rewrite the baseline from this walk-forward (keeps its tolerances)" })
        .option("ignore-fingerprint", { type: "boolean", default: false, describe: "With --baseline: do not fail on a changed trade list" })
        .option("check-anyway", { type: "boolean", default: false, describe: "With --baseline: compare metrics even when the settings or data differ from the baseline's" })
        .default("out", "runs/walkforward"),
    examples: [["$0 walkforward --grid sweep.json --train 60d --test 25d --min-trades 10", "the shipped sample in 5 windows"]],
    run: async (argv, env, io) => (await import("./walkforwardCommand.js")).runWalkforwardCommand(argv, env, io),
  },
  {
    name: "montecarlo",
    describe: "Monte Carlo over a run's trades (reshuffle or bootstrap them N times) or its daily returns (block bootstrap); quantiles of final equity, max drawdown and longest drawdown, probability of ruin; writes montecarlo.json into the run folder",
    options: (command) =>
      command
        .option("run", { type: "string", default: "runs/backtest", describe: "Run folder (an exitlab backtest's --out)" })
        .option("method", { type: "string", choices: ["shuffle", "bootstrap", "block"], default: "shuffle", describe: "shuffle: the same trades in random order; bootstrap: as many trades drawn with replacement; block: the run's daily returns resampled in blocks of consecutive days (moving-block bootstrap), compounded" })
        .option("block-length", { type: "number", describe: "block: days per block (default ⌈n^(1/3)⌉ of the run's n days; 1 = i.i.d. days)" })
        .option("n", { type: "number", default: 10_000, describe: "Simulated paths" })
        .option("seed", { type: "number", default: 1, describe: "Seed of the draws" })
        .option("ruin", { type: "number", default: 0.5, describe: "Drawdown from the running peak that counts as ruin (0.5 = −50 %)" })
        .option("quiet", { type: "boolean", default: false, describe: "Print nothing on success" }),
    examples: [["$0 montecarlo --run runs/backtest --method bootstrap --n 10000", "how bad could the drawdown have been with the same trades?"]],
    run: async (argv, _env, io) => (await import("./montecarloCommand.js")).runMonteCarloCommand(argv, io),
  },
  {
    name: "synth",
    parent: "data",
    describe: "Write seeded synthetic bars (trending, ranging and volatile regimes with jumps) as CSV",
    options: (synth) =>
      synth
        .option("bars", { type: "number", default: 10_000, describe: "Number of bars" })
        .option("symbols", { type: "string", default: "SYNTHUSDT", describe: "Comma-separated symbol names (one file each)" })
        .option("seed", { type: "number", default: 1, describe: "Generator seed (same seed, same bars)" })
        .option("timeframe", { type: "string", default: "1h", describe: "Bar length: 1m, 5m, 15m, 1h, 4h, 1d" })
        .option("start", { type: "string", default: "2024-01-01T00:00:00Z", describe: "Open time of the first bar (ISO-8601)" })
        .option("start-price", { type: "number", default: 100, describe: "First open" })
        .option("out", { type: "string", default: "data/synth", describe: "Output folder" })
        .option("force", { type: "boolean", default: false, describe: "Replace CSV files exitlab did not write" }),
    run: async (argv, _env, io) => (await import("./synthCommand.js")).runSynthCommand(argv, io),
  },
  {
    name: "predictions",
    parent: "data",
    describe: "Write a signal source's BUY/SELL signals as a predictions CSV (the format --signals file.csv reads)",
    options: (predictions) =>
      predictions
        .option("config", { type: "string", describe: "JSON config file (its data and signals sections are used)" })
        .option("data", CONFIG_FLAGS.data.option)
        .option("informative", CONFIG_FLAGS.informative.option)
        .option("signals", CONFIG_FLAGS.signals.option)
        .option("param", CONFIG_FLAGS.param.option)
        .option("out", { type: "string", demandOption: true, describe: "Predictions CSV to write" })
        .option("force", { type: "boolean", default: false, describe: "Replace a file exitlab did not write" }),
    run: async (argv, env, io) => (await import("./predictionsCommand.js")).runPredictionsCommand(argv, env, io),
  },
  BINANCE_COMMAND,
];

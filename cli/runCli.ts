import yargs, { type Argv } from "yargs";
import { ExitlabError, closestName, exitCodeFor } from "../engine/index.js";
import { runBacktestCommand } from "./backtestCommand.js";
import { PROCESS_IO, type CliIo } from "./cliIo.js";
import { CONFIG_FLAGS } from "./backtestFlags.js";
import { runLookaheadCommand } from "./lookaheadCommand.js";
import { runCompareCommand, runRegressCommand, runTiersCommand } from "./workflowCommands.js";
import { EXIT_KINDS } from "../strategies/exits/exitConfig.js";
import { runPredictionsCommand } from "./predictionsCommand.js";
import { registerSweepCommands } from "./sweep/index.js";
import { runSynthCommand } from "./synthCommand.js";
import { binanceDataCommand } from "./binanceCommand.js";

/**
 * The CLI (STYLE: only cli/ touches the process). Exit codes: 0 ok, 1 run or data error,
 * 2 usage or configuration error. Known errors print one line; anything else is a bug and
 * prints its stack.
 */
export type { CliIo } from "./cliIo.js";

export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = PROCESS_IO): Promise<number> {
  let exitCode = 0;
  const parser = yargs([...args])
    .scriptName("exitlab")
    .usage("$0 <command> [options]")
    .command(
      "backtest",
      "Replay bars through signals, sizing and exits into the paper exchange; write summary.json, equity.csv, trades.csv, fills.csv, exit_stats.csv, positions.json, report.html",
      (command) =>
        withRunOptions(command)
          .example("$0 backtest", "run the shipped sample (Binance USD-M BTCUSDT + ETHUSDT 1h, funding)")
          .example("$0 backtest --exit ai --sizing math", "confidence-tier exits, mathematician sizing")
          .example("$0 backtest --data data/samples/binance-spot-1h --market spot --out runs/spot", "the spot pair with 1m detail, long only")
          .example("$0 backtest --signals preds.csv --sl 0.02 --tp off --intrabar pessimistic", "your model's predictions"),
      async (argv) => {
        await runBacktestCommand(argv as unknown as Record<string, unknown>, env, io);
      },
    )
    .command(
      "compare",
      "Run several exit plans on the same data, signals, gates and sizing (and under the pessimistic and optimistic paths); paired per-trade differences with a bootstrap interval",
      (command) =>
        withRunOptions(command)
          .option("plans", { type: "string", default: "static,ai,lsf", describe: `Exit plans, the first is the baseline (${EXIT_KINDS.join(", ")})` })
          .option("paths", { type: "string", default: "default,pessimistic,optimistic", describe: "Intrabar paths to run every plan under" })
          .option("resamples", { type: "number", default: 10_000, describe: "Bootstrap resamples" })
          .default("out", "runs/compare")
          .example("$0 compare", "static vs ai vs lsf on the shipped sample"),
      async (argv) => {
        await runCompareCommand(argv as unknown as Record<string, unknown>, env, io);
      },
    )
    .command(
      "tiers",
      "Backtest, then metrics per confidence tier with a calibration verdict (is win rate monotone in confidence?)",
      (command) =>
        withRunOptions(command)
          .option("min-trades", { type: "number", default: 10, describe: "Trades a tier needs to be judged in the calibration" })
          .default("out", "runs/tiers")
          .example("$0 tiers --signals data/samples/predictions/binance-perp-1h-macd-cross.csv --exit ai --min-confidence 0", "tiers of the sample predictions"),
      async (argv) => {
        await runTiersCommand(argv as unknown as Record<string, unknown>, env, io);
      },
    )
    .command(
      "regress",
      "Backtest and compare metrics and the trade fingerprint with a committed baseline; exit 1 on a regression",
      (command) =>
        withRunOptions(command)
          .option("baseline", { type: "string", demandOption: true, describe: "Baseline JSON (written by --update)" })
          .option("update", { type: "boolean", default: false, describe: "Rewrite the baseline from this run (keeps its tolerances)" })
          .option("junit", { type: "string", describe: "Also write JUnit XML here" })
          .option("markdown", { type: "string", describe: "Also write a Markdown diff here" })
          .option("ignore-fingerprint", { type: "boolean", default: false, describe: "Do not fail on a changed trade list" })
          .option("check-anyway", { type: "boolean", default: false, describe: "Compare metrics even when the run's config or data differs from the baseline's" })
          .example("$0 regress --baseline .ci/baselines/perp-static.json", "the CI gate on the shipped sample"),
      async (argv) => {
        exitCode = await runRegressCommand(argv as unknown as Record<string, unknown>, env, io);
      },
    )
    .command(
      "lookahead",
      "Check a signal source for look-ahead: re-run it on data truncated at many points and report any signal that changes when later bars are added (exit 1 if one does)",
      (command) =>
        command
          .option("config", { type: "string", describe: "JSON config file (its data and signals sections are used)" })
          .option("data", CONFIG_FLAGS.data.option)
          .option("signals", CONFIG_FLAGS.signals.option)
          .option("seed", CONFIG_FLAGS.seed.option)
          .option("cuts", { type: "number", describe: "Cut points per symbol (half evenly spread, half seeded random); default every bar, at most the bar count" })
          .example("$0 lookahead --signals my_strategy.mjs", "check your own strategy module on the shipped sample"),
      async (argv) => {
        exitCode = await runLookaheadCommand(argv as unknown as Record<string, unknown>, env, io);
      },
    );
  // yargs commands mutate the parser, so the sweep module registers its two on it here.
  registerSweepCommands(parser, env, io, (code) => { exitCode = code; });
  parser
    .command("data", "Data tools", (command) =>
      command
        .command(
          "synth",
          "Write seeded synthetic bars (trending, ranging and volatile regimes with jumps) as CSV",
          (synth) =>
            synth
              .option("bars", { type: "number", default: 10_000, describe: "Number of bars" })
              .option("symbols", { type: "string", default: "SYNTHUSDT", describe: "Comma-separated symbol names (one file each)" })
              .option("seed", { type: "number", default: 1, describe: "Generator seed (same seed, same bars)" })
              .option("timeframe", { type: "string", default: "1h", describe: "Bar length: 1m, 5m, 15m, 1h, 4h, 1d" })
              .option("start", { type: "string", default: "2024-01-01T00:00:00Z", describe: "Open time of the first bar (ISO-8601)" })
              .option("start-price", { type: "number", default: 100, describe: "First open" })
              .option("out", { type: "string", default: "data/synth", describe: "Output folder" }),
          async (argv) => {
            await runSynthCommand(argv as unknown as Record<string, unknown>, io);
          },
        )
        .command(
          "predictions",
          "Write a signal source's BUY/SELL signals as a predictions CSV (the format --signals file.csv reads)",
          (predictions) =>
            predictions
              .option("config", { type: "string", describe: "JSON config file (its data and signals sections are used)" })
              .option("data", CONFIG_FLAGS.data.option)
              .option("signals", CONFIG_FLAGS.signals.option)
              .option("out", { type: "string", demandOption: true, describe: "Predictions CSV to write" }),
          async (argv) => {
            await runPredictionsCommand(argv as unknown as Record<string, unknown>, env, io);
          },
        )
        .command(binanceDataCommand(io))
        .demandCommand(1, "name a data command: synth, predictions or binance"),
    )
    .demandCommand(1, `name a command: ${COMMANDS.join(", ")}`)
    .strict()
    .help()
    .alias("h", "help")
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageFailure(message);
    });
  try {
    rejectUnknownCommand(args);
    const separator = args.indexOf("--");
    if (separator >= 0 && separator < args.length - 1) {
      throw new UsageFailure(`${args.slice(separator + 1).join(" ")}: unexpected arguments after --`);
    }
    await parser.parseAsync();
  } catch (error) {
    exitCode = report(error, io);
  }
  return exitCode;
}

class UsageFailure extends Error {}

/** The top-level commands, as `exitlab --help` lists them (a test keeps the two in step). */
export const COMMANDS = ["backtest", "compare", "tiers", "regress", "lookahead", "sweep", "worker", "data"] as const;

/** A first word that is no command (a typo such as `backtset`) is an unknown command, not an unknown option. */
function rejectUnknownCommand(args: readonly string[]): void {
  const first = args[0];
  if (first === undefined || first.startsWith("-") || (COMMANDS as readonly string[]).includes(first)) return;
  const guess = closestName(first, COMMANDS);
  throw new UsageFailure(`${first}: unknown command${guess === null ? "" : ` (did you mean ${guess}?)`}; the commands are ${COMMANDS.join(", ")}`);
}

/** The options every run-based command shares: the config file, every config flag, --force, --quiet. */
function withRunOptions<T>(command: Argv<T>) {
  return command
    .option("config", { type: "string", describe: "JSON config file (see README: configuration)" })
    .options(Object.fromEntries(Object.entries(CONFIG_FLAGS).map(([flag, spec]) => [flag, spec.option])))
    .option("force", { type: "boolean", default: false, describe: "Replace an --out folder that is not an earlier exitlab run" })
    .option("quiet", { type: "boolean", default: false, describe: "Print nothing on success" })
    .option("cache", { type: "boolean", default: true, describe: "Keep parsed bars in a columnar (Arrow) cache keyed by the files' sha256; --no-cache to parse every time" })
    .option("cache-dir", { type: "string", default: ".exitlab-cache", describe: "Cache folder" });
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageFailure) {
    io.err(`exitlab: ${oneLine(usageMessage(error.message))} (see exitlab --help)\n`);
    return 2;
  }
  if (error instanceof ExitlabError) {
    io.err(`exitlab: ${oneLine(error.oneLine())}\n`);
    return exitCodeFor(error);
  }
  // Node's own errors for a user's path (ERR_INVALID_ARG_VALUE for a NUL byte, …) are usage errors.
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ERR_INVALID_ARG_VALUE" || code === "ERR_INVALID_ARG_TYPE") {
    io.err(`exitlab: ${oneLine((error as Error).message)}\n`);
    return 2;
  }
  io.err(`exitlab: internal error — please report it with this trace\n${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

/**
 * The error contract is one line: a line break or other control character that came from the
 * user's input (a CSV field, a flag, a module's message) is shown escaped, never raw.
 */
export function oneLine(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (character) => {
    const json = JSON.stringify(character).slice(1, -1);
    return json.length > 1 ? json : `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  // A huge field quoted in a message must not make the line unreadable.
  return escaped.length > MAX_ERROR_LENGTH ? `${escaped.slice(0, MAX_ERROR_LENGTH)}…` : escaped;
}

const MAX_ERROR_LENGTH = 1000;

/**
 * yargs' usage messages on one line, in the `<where>: <reason>` form: a bad choice names
 * its flag, an unknown option its flag; anything else has its line breaks folded.
 */
export function usageMessage(message: string): string {
  const choice = /Argument: ([\w-]+), Given: (.+?), Choices: (.+)/.exec(message);
  if (choice !== null) return `--${choice[1]}: ${choice[2]} is not one of ${choice[3].replace(/"/g, "")}`;
  const unknown = /^Unknown arguments?: (.+)$/.exec(message.trim());
  if (unknown !== null) {
    const flags = unknown[1].split(", ").map((name) => (name.startsWith("-") ? name : `--${name}`));
    return `${flags.join(", ")}: unknown option`;
  }
  return message.split("\n").map((line) => line.trim()).filter(Boolean).join(" ");
}

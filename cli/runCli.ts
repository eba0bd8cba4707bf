import yargs, { type Argv } from "yargs";
import { ExitlabError, closestName, exitCodeFor } from "../engine/index.js";
import { PROCESS_IO, type CliIo } from "./cliIo.js";
import type { CommandRow } from "./commandRow.js";
import { COMMAND_GROUPS, COMMANDS } from "./commandTable.js";

/**
 * The CLI (STYLE: only cli/ touches the process). Exit codes: 0 ok, 1 run or data error,
 * 2 usage or configuration error. Known errors print one line; anything else is a bug and
 * prints its stack. The commands come from one table (commandTable.ts).
 */
export type { CliIo } from "./cliIo.js";

export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = PROCESS_IO): Promise<number> {
  let exitCode = 0;
  const register = (parser: Argv, row: CommandRow): Argv =>
    parser.command(row.name, row.describe, (command) => {
      let built = row.options(command);
      for (const [example, description] of row.examples ?? []) built = built.example(example, description);
      return built;
    }, async (argv) => {
      exitCode = (await row.run(argv as unknown as Record<string, unknown>, env, io)) ?? 0;
    });
  let parser: Argv = yargs([...args]).scriptName("exitlab").usage("$0 <command> [options]");
  for (const row of COMMANDS.filter((command) => command.parent === undefined)) parser = register(parser, row);
  for (const group of COMMAND_GROUPS) {
    parser = parser.command(group.name, group.describe, (command) => {
      let built = command;
      for (const row of COMMANDS.filter((entry) => entry.parent === group.name)) built = register(built, row);
      return built.demandCommand(1, group.demand);
    });
  }
  parser = parser
    .demandCommand(1, `name a command: ${COMMAND_NAMES.join(", ")}`)
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
  skipHelpCache(parser);
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

/**
 * yargs renders the whole help text right after starting a command's handler, only to have it
 * ready should the handler ask for help: ~7 ms of every run, before its first phase. exitlab's
 * handlers never ask (help is printed while parsing, and failures print one line), so the
 * usage instance — one per parser, kept across yargs' resets — is told not to.
 */
function skipHelpCache(parser: Argv): void {
  const internal = parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  internal.getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
}

/** The top-level commands, in `exitlab --help`'s order: the table's rows, then its groups. */
export const COMMAND_NAMES: readonly string[] = [
  ...COMMANDS.filter((row) => row.parent === undefined).map((row) => row.name), ...COMMAND_GROUPS.map((group) => group.name),
];

/** A first word that is no command (a typo such as `backtset`) is an unknown command, not an unknown option. */
function rejectUnknownCommand(args: readonly string[]): void {
  const first = args[0];
  if (first === undefined || first.startsWith("-") || COMMAND_NAMES.includes(first)) return;
  const guess = closestName(first, COMMAND_NAMES);
  throw new UsageFailure(`${first}: unknown command${guess === null ? "" : ` (did you mean ${guess}?)`}; the commands are ${COMMAND_NAMES.join(", ")}`);
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

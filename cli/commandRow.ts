import type { Argv } from "yargs";
import type { CliIo } from "./cliIo.js";

/** One row of the command table (commandTable.ts). */

export type Handler = (argv: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CliIo) => Promise<number | void>;

export interface CommandRow {
  readonly name: string;
  /** The command this one is a subcommand of (`data`). */
  readonly parent?: string;
  readonly describe: string;
  readonly options: (command: Argv) => Argv;
  readonly examples?: ReadonlyArray<readonly [command: string, description: string]>;
  /** Resolves to the exit code; nothing means 0. */
  readonly run: Handler;
}

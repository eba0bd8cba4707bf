import { ExitlabError } from "../../engine/index.js";

/**
 * danfojs-node is an optional peer dependency: the backtest path never needs it, and as a
 * dependency it would pull @tensorflow/tfjs-node, whose install script downloads libtensorflow
 * (~400 MB, and it fails offline). It is imported here, lazily, by what uses it (the tiers
 * breakdown tables, `exitlab/dataframes`); when absent the error names the install command.
 */

export const DANFO_INSTALL_COMMAND = "npm install danfojs-node@1.1.2";

/** The lazily imported module; a type only, erased at compile time (and absent from the shipped declarations). */
type Danfo = typeof import("danfojs-node");

let loading: Promise<Danfo> | null = null;

/** danfojs-node, imported on the first call; `purpose` names what needs it in the error when it is not installed. */
export function loadDanfo(purpose: string): Promise<Danfo> {
  loading ??= import("danfojs-node").catch((error: unknown) => {
    loading = null;
    throw isMissing(error) ? missingDanfo(purpose) : error;
  });
  return loading;
}

function isMissing(error: unknown): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(message).includes("danfojs-node");
}

export function missingDanfo(purpose: string): ExitlabError {
  return new ExitlabError("USAGE_INVALID", `${purpose} needs danfojs-node, an optional peer dependency that is not installed`, null, `install it: ${DANFO_INSTALL_COMMAND}`);
}

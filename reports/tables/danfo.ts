import { ExitlabError } from "../../engine/index.js";
import { importAtRunTime } from "../../data/runtimeImport.js";

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
  loading ??= importAtRunTime<Danfo>("danfojs-node").catch((error: unknown) => {
    loading = null;
    const { code, message } = error as NodeJS.ErrnoException;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    // danfojs-node itself, or a module it requires (it needs @tensorflow/tfjs beside it).
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String(message))?.[1] ?? "a module";
    throw missing === "danfojs-node" ? missingDanfo(purpose) : new ExitlabError(
      "USAGE_INVALID", `${purpose} needs danfojs-node, which cannot load: ${missing} is not installed`, null, `install it: npm install ${missing}`,
    );
  });
  return loading;
}

export function missingDanfo(purpose: string): ExitlabError {
  return new ExitlabError("USAGE_INVALID", `${purpose} needs danfojs-node, an optional peer dependency that is not installed`, null, `install it: ${DANFO_INSTALL_COMMAND}`);
}
